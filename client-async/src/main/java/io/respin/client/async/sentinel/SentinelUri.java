package io.respin.client.async.sentinel;

import io.respin.engine.sentinel.HostAndPort;
import io.respin.io.RedisUri;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A {@code redis-sentinel://} URI: the sentinels to ask, the master name they watch, and the settings of the data
 * nodes (credentials, database, RESP version, client name, timeout), the same as in a {@code redis://} URI.
 * <pre>
 *   redis-sentinel://[user:password@]s1[:26379][,s2[:26379]...]/masterName[/db][?timeout=2s&amp;clientName=app...]
 *   rediss-sentinel://...     TLS to the sentinels and to the data nodes
 * </pre>
 * The password in the user info is the data nodes' ({@code requirepass} / ACL); sentinels that need one of their
 * own get it from {@code RedisClientBuilder.sentinelCredentials}. A sentinel without a port is on 26379. Messages
 * never show a password: the user info is parsed by {@link RedisUri#parse}, which hides it.
 *
 * @param masterName the name the sentinels monitor the primary under ({@code sentinel monitor <name> ...})
 * @param sentinels  the seed sentinels, in the order given
 * @param data       the data nodes' settings; its host and port are the first sentinel's, a placeholder
 */
public record SentinelUri(String masterName, List<HostAndPort> sentinels, RedisUri data) {

    /** The port of a sentinel that the URI gives without one. */
    public static final int DEFAULT_SENTINEL_PORT = 26379;

    /** Whether {@code uri} has a Sentinel scheme ({@code redis-sentinel://} or {@code rediss-sentinel://}). */
    public static boolean isSentinel(String uri) {
        String u = uri == null ? "" : uri.toLowerCase(Locale.ROOT);
        return u.startsWith("redis-sentinel://") || u.startsWith("rediss-sentinel://");
    }

    /**
     * Parses a Sentinel URI.
     *
     * @throws IllegalArgumentException naming what is wrong and the expected form (never showing a password)
     */
    public static SentinelUri parse(String uri) {
        if (!isSentinel(uri)) {
            throw new IllegalArgumentException("not a Sentinel URI: expected redis-sentinel://host[:port][,host[:port]]"
                    + "/masterName or rediss-sentinel://...");
        }
        boolean tls = uri.regionMatches(true, 0, "rediss", 0, 6);
        int start = uri.indexOf("://") + 3;
        int query = uri.indexOf('?', start);
        int end = query < 0 ? uri.length() : query;
        int at = uri.lastIndexOf('@', end - 1);
        String info = at >= start ? uri.substring(start, at + 1) : "";
        int hostsFrom = at >= start ? at + 1 : start;
        int slash = uri.indexOf('/', hostsFrom);
        if (slash < 0 || slash >= end) {
            throw new IllegalArgumentException("the Sentinel URI " + shown(uri, start, at) + " names no master: expected "
                    + "redis-sentinel://host[:port][,host[:port]]/masterName[/db]");
        }
        List<HostAndPort> sentinels = new ArrayList<>();
        for (String s : uri.substring(hostsFrom, slash).split(",")) {
            sentinels.add(sentinel(s.trim(), uri, start, at));
        }
        String[] path = uri.substring(slash + 1, end).split("/", -1);
        String master = path[0];
        if (master.isEmpty() || path.length > 2) {
            throw new IllegalArgumentException("the Sentinel URI " + shown(uri, start, at) + " must end in /masterName "
                    + "or /masterName/db");
        }
        String db = path.length == 2 && !path[1].isEmpty() ? "/" + path[1] : "";
        HostAndPort first = sentinels.getFirst();
        RedisUri data = RedisUri.parse((tls ? "rediss://" : "redis://") + info + first + db
                + (query < 0 ? "" : uri.substring(query)));
        return new SentinelUri(java.net.URLDecoder.decode(master, java.nio.charset.StandardCharsets.UTF_8),
                List.copyOf(sentinels), data);
    }

    private static HostAndPort sentinel(String s, String uri, int start, int at) {
        try {
            if (s.startsWith("[")) {
                int close = s.indexOf(']');
                String host = s.substring(1, close);
                return new HostAndPort(host, close + 1 < s.length() ? Integer.parseInt(s.substring(close + 2))
                        : DEFAULT_SENTINEL_PORT);
            }
            int colon = s.lastIndexOf(':');
            return colon < 0 ? new HostAndPort(s, DEFAULT_SENTINEL_PORT)
                    : new HostAndPort(s.substring(0, colon), Integer.parseInt(s.substring(colon + 1)));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("the Sentinel URI " + shown(uri, start, at) + " has a sentinel address '"
                    + s + "' that is not host[:port]", e);
        }
    }

    /** The URI with its user info hidden. */
    private static String shown(String uri, int start, int at) {
        return at >= start ? uri.substring(0, start) + "***" + uri.substring(at) : uri;
    }

    /** The data nodes' settings at {@code node}. */
    public RedisUri at(HostAndPort node) {
        return data.withAddress(node.host(), node.port());
    }

    /** The URI without a password: {@code redis-sentinel://s1:26379,s2:26379/mymaster}. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(data.tls() ? "rediss-sentinel://" : "redis-sentinel://");
        for (int i = 0; i < sentinels.size(); i++) {
            s.append(i == 0 ? "" : ",").append(sentinels.get(i));
        }
        return s.append('/').append(masterName).toString();
    }
}
