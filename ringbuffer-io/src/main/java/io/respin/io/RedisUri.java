package io.respin.io;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
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
 * {@code protocol} (2 or 3), {@code verifyPeer} (TLS hostname verification, default true). User and password are
 * percent-decoded, so {@code p%40ss} is {@code p@ss}. IPv6 hosts go in brackets: {@code redis://[::1]:6380}.
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
     * Parses a URI as described on the class.
     *
     * @throws IllegalArgumentException naming the part that is wrong and the expected form
     */
    public static RedisUri parse(String uri) {
        Objects.requireNonNull(uri, "uri");
        int schemeEnd = uri.indexOf("://");
        if (schemeEnd < 0) {
            throw bad(uri, "no scheme; expected redis://host:port, rediss://host:port or unix:///path");
        }
        String scheme = uri.substring(0, schemeEnd).toLowerCase(Locale.ROOT);
        String rest = uri.substring(schemeEnd + 3);
        String query = "";
        int q = rest.indexOf('?');
        if (q >= 0) {
            query = rest.substring(q + 1);
            rest = rest.substring(0, q);
        }
        Builder b = new Builder();
        switch (scheme) {
            case "redis", "rediss" -> {
                b.tls = scheme.equals("rediss");
                parseAuthority(uri, rest, b);
            }
            case "unix", "redis-socket" -> {
                String path = rest;
                int at = path.lastIndexOf('@', path.indexOf('/') < 0 ? path.length() : path.indexOf('/'));
                if (at >= 0) {
                    userInfo(path.substring(0, at), b);
                    path = path.substring(at + 1);
                }
                if (path.isEmpty() || path.charAt(0) != '/') {
                    throw bad(uri, "a unix socket needs an absolute path: unix:///path/to/redis.sock");
                }
                b.socketPath = Path.of(decode(path));
            }
            default -> throw bad(uri, "unknown scheme '" + scheme + "'; expected redis, rediss or unix");
        }
        if (!query.isEmpty()) {
            for (String pair : query.split("&")) {
                if (!pair.isEmpty()) {
                    int eq = pair.indexOf('=');
                    String k = eq < 0 ? pair : pair.substring(0, eq);
                    String v = eq < 0 ? "" : decode(pair.substring(eq + 1));
                    option(uri, k, v, b);
                }
            }
        }
        return b.build();
    }

    private static void parseAuthority(String uri, String rest, Builder b) {
        String authority = rest;
        String path = "";
        int slash = rest.indexOf('/');
        int at = rest.lastIndexOf('@', slash < 0 ? rest.length() : slash);
        if (at >= 0) {
            userInfo(rest.substring(0, at), b);
            authority = rest.substring(at + 1);
            slash = authority.indexOf('/');
        }
        if (slash >= 0) {
            path = authority.substring(slash + 1);
            authority = authority.substring(0, slash);
        }
        String hostPart;
        String portPart = null;
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            if (close < 0) {
                throw bad(uri, "unclosed '[' in IPv6 host");
            }
            hostPart = authority.substring(1, close);
            if (close + 1 < authority.length()) {
                if (authority.charAt(close + 1) != ':') {
                    throw bad(uri, "expected ':port' after ']'");
                }
                portPart = authority.substring(close + 2);
            }
        } else {
            int colon = authority.lastIndexOf(':');
            hostPart = colon < 0 ? authority : authority.substring(0, colon);
            portPart = colon < 0 ? null : authority.substring(colon + 1);
        }
        b.host = hostPart.isEmpty() ? "localhost" : hostPart;
        if (portPart != null && !portPart.isEmpty()) {
            try {
                b.port = checkPort(Integer.parseInt(portPart), uri);
            } catch (NumberFormatException e) {
                throw bad(uri, "port '" + portPart + "' is not a number");
            }
        }
        if (!path.isEmpty()) {
            b.database = database(uri, path);
        }
    }

    private static void userInfo(String info, Builder b) {
        int colon = info.indexOf(':');
        if (colon < 0) {
            // redis-cli and Lettuce read a lone userinfo as the password (redis://secret@host)
            b.password = decode(info);
        } else {
            String u = info.substring(0, colon);
            b.user = u.isEmpty() ? null : decode(u);
            b.password = decode(info.substring(colon + 1));
        }
    }

    private static void option(String uri, String key, String value, Builder b) {
        switch (key.toLowerCase(Locale.ROOT)) {
            case "db", "database" -> b.database = database(uri, value);
            case "user", "username" -> b.user = value;
            case "password" -> b.password = value;
            case "timeout" -> b.timeout = duration(uri, value);
            case "clientname", "client_name", "name" -> b.clientName = value;
            case "protocol" -> {
                if (!value.equals("2") && !value.equals("3")) {
                    throw bad(uri, "protocol must be 2 or 3, got '" + value + "'");
                }
                b.protocol = Integer.parseInt(value);
            }
            case "verifypeer" -> b.verifyPeer = !value.equalsIgnoreCase("false") && !value.equals("0")
                    && !value.equalsIgnoreCase("none");
            default -> throw bad(uri, "unknown option '" + key
                    + "'; known: db, user, password, timeout, clientName, protocol, verifyPeer");
        }
    }

    private static int database(String uri, String s) {
        try {
            int db = Integer.parseInt(s);
            if (db < 0) {
                throw bad(uri, "database must be >= 0, got " + db);
            }
            return db;
        } catch (NumberFormatException e) {
            throw bad(uri, "database '" + s + "' is not a number");
        }
    }

    static Duration duration(String uri, String s) {
        String v = s.trim().toLowerCase(Locale.ROOT);
        try {
            if (v.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            }
            if (v.endsWith("s")) {
                return Duration.ofMillis((long) (Double.parseDouble(v.substring(0, v.length() - 1)) * 1000));
            }
            if (v.endsWith("m")) {
                return Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1)));
            }
            return Duration.ofMillis(Long.parseLong(v));
        } catch (NumberFormatException e) {
            throw bad(uri, "timeout '" + s + "' is not a duration; write e.g. 5s, 500ms or 2m");
        }
    }

    private static int checkPort(int port, String uri) {
        if (port < 1 || port > 65535) {
            throw bad(uri, "port must be 1..65535, got " + port);
        }
        return port;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static IllegalArgumentException bad(String uri, String why) {
        return new IllegalArgumentException("invalid Redis URI '" + redact(uri) + "': " + why);
    }

    /** The URI with any password replaced by "***", for messages and logs. */
    static String redact(String uri) {
        return uri.replaceAll("(://[^:/@]*:)[^@/]*@", "$1***@").replaceAll("(?i)(password=)[^&]*", "$1***");
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

    /** The URI in canonical form, password hidden. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        s.append(socketPath != null ? "unix://" : tls ? "rediss://" : "redis://");
        if (user != null || password != null) {
            s.append(user == null ? "" : user).append(password == null ? "" : ":***").append('@');
        }
        s.append(address());
        if (socketPath == null && database != 0) {
            s.append('/').append(database);
        } else if (socketPath != null && database != 0) {
            s.append("?db=").append(database);
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

    private static final class Builder {
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
