package io.respin.io;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Where a Redis server is and how to log in, parsed from the URIs redis-cli and Lettuce users already write:
 * <pre>
 *   redis://[[user]:password@]host[:port][/db][?option=value&amp;...]      TCP, port 6379 by default
 *   rediss://...                                                       the same over TLS
 *   unix:///path/to/redis.sock[?db=1&amp;password=...]                  a Unix domain socket
 *   (redis-socket:///path is accepted as a synonym of unix://)
 * </pre>
 * Options: {@code db} / {@code database}, {@code user}, {@code password}, {@code timeout} (command timeout:
 * {@code 5s}, {@code 500ms}, {@code 2m} or plain milliseconds), {@code clientName} / {@code client_name},
 * {@code protocol} (2 or 3), {@code verifyPeer} (TLS hostname verification, default true). User, password and
 * option values are percent-decoded as UTF-8, so a password may hold any character: {@code p%40ss} is {@code p@ss},
 * {@code %2F} a {@code /}, {@code %3A} a {@code :}, {@code %25} a {@code %}. A raw {@code @}, {@code /} or
 * {@code ?} in the user info is refused with a message saying how to encode it. IPv6 hosts go in brackets:
 * {@code redis://[::1]:6380}. Neither {@link #toString()} nor any message shows a password.
 *
 * <pre>{@code
 * RedisUri uri = RedisUri.parse("redis://app:s3cret@cache.internal:6380/2?timeout=2s&clientName=orders");
 * uri.port();      // 6380
 * uri.database();  // 2
 * }</pre>
 */
public final class RedisUri {

    /** Redis's default TCP port. */
    public static final int DEFAULT_PORT = 6379;

    private final String host;
    private final int port;
    private final Path socketPath;
    private final boolean tls;
    private final String user;
    private final String password;
    private final int database;
    private final Duration timeout;
    private final String clientName;
    private final int protocol;
    private final boolean verifyPeer;

    private RedisUri(String host, int port, Path socketPath, boolean tls, String user, String password, int database,
                     Duration timeout, String clientName, int protocol, boolean verifyPeer) {
        this.host = host;
        this.port = port;
        this.socketPath = socketPath;
        this.tls = tls;
        this.user = user;
        this.password = password;
        this.database = database;
        this.timeout = timeout;
        this.clientName = clientName;
        this.protocol = protocol;
        this.verifyPeer = verifyPeer;
    }

    /** A plain TCP address with no credentials. */
    public static RedisUri tcp(String host, int port) {
        return new RedisUri(Objects.requireNonNull(host), checkPort(port, host + ":" + port), null, false, null, null, 0,
                null, null, 3, true);
    }

    /** A Unix domain socket with no credentials. */
    public static RedisUri unix(Path socket) {
        return new RedisUri(null, -1, Objects.requireNonNull(socket), false, null, null, 0, null, null, 3, true);
    }

    /**
     * Parses a URI as described on the class. A message about a malformed URI never shows a password, whatever
     * the shape of the URI: it shows the URI with its user info (everything between {@code ://} and the last
     * {@code @}) and any {@code password=} value replaced by {@code ***}, and quotes no part that lies there.
     *
     * @throws IllegalArgumentException naming the part that is wrong and the expected form
     */
    public static RedisUri parse(String uri) {
        return new RedisUriParser(Objects.requireNonNull(uri, "uri")).parse();
    }

    private static int checkPort(int port, String uri) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("invalid Redis address '" + uri + "': port must be 1..65535, got " + port);
        }
        return port;
    }

    /** Host name or address; null for a Unix socket. */
    public String host() { return host; }

    /** TCP port; -1 for a Unix socket. */
    public int port() { return port; }

    /** Path of the Unix domain socket, or null for TCP. */
    public Path socketPath() { return socketPath; }

    public boolean isUnixSocket() { return socketPath != null; }

    /** True for {@code rediss://}. */
    public boolean tls() { return tls; }

    /** ACL user, or null for the default user. */
    public String user() { return user; }

    /** Password, or null when none is given. */
    public String password() { return password; }

    /** Database index to SELECT after connecting (0 by default). */
    public int database() { return database; }

    /** Command timeout given in the URI, or null to use the runtime's default. */
    public Duration timeout() { return timeout; }

    /** CLIENT SETNAME value, or null. */
    public String clientName() { return clientName; }

    /** Preferred RESP version, 3 by default (the engine falls back to 2 on servers without HELLO). */
    public int protocol() { return protocol; }

    /** TLS hostname verification (on unless {@code verifyPeer=false}). */
    public boolean verifyPeer() { return verifyPeer; }

    /**
     * The same settings (credentials, TLS, database, timeout, client name, protocol) for another TCP address: how a
     * cluster client reaches the nodes it learns of from the one it was given, a Sentinel client the primary a
     * sentinel named.
     */
    public RedisUri withAddress(String host, int port) {
        return new RedisUri(Objects.requireNonNull(host), checkPort(port, host + ":" + port), null, tls, user, password,
                database, timeout, clientName, protocol, verifyPeer);
    }

    /** The same address with other credentials. */
    public RedisUri withCredentials(String user, String password) {
        return new RedisUri(host, port, socketPath, tls, user, password, database, timeout, clientName, protocol, verifyPeer);
    }

    /** The same address with another database index. */
    public RedisUri withDatabase(int db) {
        return new RedisUri(host, port, socketPath, tls, user, password, db, timeout, clientName, protocol, verifyPeer);
    }

    /** The same address with TLS on or off. */
    public RedisUri withTls(boolean on) {
        return new RedisUri(host, port, socketPath, on, user, password, database, timeout, clientName, protocol, verifyPeer);
    }

    /** The same address with another CLIENT SETNAME value (null for none). */
    public RedisUri withClientName(String name) {
        return new RedisUri(host, port, socketPath, tls, user, password, database, timeout, name, protocol, verifyPeer);
    }

    /** The same address, asking for another RESP version (2 or 3). */
    public RedisUri withProtocol(int resp) {
        if (resp != 2 && resp != 3) {
            throw new IllegalArgumentException("protocol must be 2 or 3, got " + resp);
        }
        return new RedisUri(host, port, socketPath, tls, user, password, database, timeout, clientName, resp, verifyPeer);
    }

    /** {@code host:port} or the socket path: how messages name the server. */
    public String address() {
        if (socketPath != null) {
            return socketPath.toString();
        }
        return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }

    /**
     * The URI in canonical form: every setting that differs from its default, the password hidden
     * ({@code redis://app:***@cache:6380/2?timeout=2000ms&clientName=orders&protocol=2&verifyPeer=false}). It parses
     * back to the same settings, except the password.
     */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        s.append(socketPath != null ? "unix://" : tls ? "rediss://" : "redis://");
        if (user != null || password != null) {
            s.append(user == null ? "" : RedisUriParser.encode(user)).append(password == null ? "" : ":***").append('@');
        }
        s.append(address());
        if (socketPath == null && database != 0) {
            s.append('/').append(database);
        }
        char sep = '?';
        if (socketPath != null && database != 0) {
            s.append(sep).append("db=").append(database);
            sep = '&';
        }
        if (timeout != null) {
            s.append(sep).append("timeout=").append(timeout.toMillis()).append("ms");
            sep = '&';
        }
        if (clientName != null) {
            s.append(sep).append("clientName=").append(RedisUriParser.encodeValue(clientName));
            sep = '&';
        }
        if (protocol != 3) {
            s.append(sep).append("protocol=").append(protocol);
            sep = '&';
        }
        if (!verifyPeer) {
            s.append(sep).append("verifyPeer=false");
        }
        return s.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RedisUri u && Objects.equals(host, u.host) && port == u.port
                && Objects.equals(socketPath, u.socketPath) && tls == u.tls && Objects.equals(user, u.user)
                && Objects.equals(password, u.password) && database == u.database && Objects.equals(timeout, u.timeout)
                && Objects.equals(clientName, u.clientName) && protocol == u.protocol && verifyPeer == u.verifyPeer;
    }

    @Override
    public int hashCode() {
        return Objects.hash(host, port, socketPath, tls, user, database);
    }

    /** What {@link RedisUriParser} gathers. */
    static final class Builder {
        String host;
        int port = DEFAULT_PORT;
        Path socketPath;
        boolean tls;
        String user;
        String password;
        int database;
        Duration timeout;
        String clientName;
        int protocol = 3;
        boolean verifyPeer = true;

        RedisUri build() {
            return new RedisUri(host, socketPath == null ? port : -1, socketPath, tls, user, password, database, timeout,
                    clientName, protocol, verifyPeer);
        }
    }
}
