package io.respin.client.async.cluster;

import io.respin.io.RedisUri;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads {@code redis-cluster://[user:password@]host1:port1,host2:port2[/db][?options]} (and {@code rediss-cluster://}
 * for TLS) into the seed addresses and one template URI that carries everything else (credentials, TLS, timeout,
 * client name, protocol) for every node. The seeds part is everything between the last {@code @} (or
 * {@code ://}) and the first {@code /} or {@code ?} after it, split at commas; each seed is then checked by
 * {@link RedisUri#parse}, so a bad port is reported as it would be for {@code redis://}.
 *
 * <pre>{@code
 * ClusterSeeds s = ClusterSeeds.parse("redis-cluster://app:secret@10.0.0.1:7000,10.0.0.2:7000");
 * s.seeds();      // [10.0.0.1:7000, 10.0.0.2:7000], each with app's credentials
 * }</pre>
 */
public record ClusterSeeds(List<RedisUri> seeds) {
    public ClusterSeeds {
        if (seeds.isEmpty()) {
            throw new IllegalArgumentException("a cluster needs at least one seed node (host:port)");
        }
        seeds = List.copyOf(seeds);
    }

    /** True for a URI with the {@code redis-cluster://} or {@code rediss-cluster://} scheme. */
    public static boolean isClusterUri(String uri) {
        String lower = uri.toLowerCase(Locale.ROOT);
        return lower.startsWith("redis-cluster://") || lower.startsWith("rediss-cluster://");
    }

    /** Parses a {@code redis-cluster://} URI (see the class comment). */
    public static ClusterSeeds parse(String uri) {
        int schemeEnd = uri.indexOf("://");
        if (!isClusterUri(uri)) {
            throw new IllegalArgumentException("not a cluster URI: expected redis-cluster://host:port,host:port or "
                    + "rediss-cluster://...");
        }
        String scheme = uri.substring(0, schemeEnd).toLowerCase(Locale.ROOT).equals("rediss-cluster") ? "rediss" : "redis";
        int at = uri.lastIndexOf('@');
        int hostsStart = at > schemeEnd ? at + 1 : schemeEnd + 3;
        int hostsEnd = hostsStart;
        while (hostsEnd < uri.length() && uri.charAt(hostsEnd) != '/' && uri.charAt(hostsEnd) != '?') {
            hostsEnd++;
        }
        String userInfo = uri.substring(schemeEnd + 3, hostsStart);
        String rest = uri.substring(hostsEnd);
        List<RedisUri> seeds = new ArrayList<>();
        for (String hostPort : uri.substring(hostsStart, hostsEnd).split(",")) {
            if (!hostPort.isBlank()) {
                seeds.add(RedisUri.parse(scheme + "://" + userInfo + hostPort.strip() + rest));
            }
        }
        if (seeds.isEmpty()) {
            throw new IllegalArgumentException("a cluster URI names its seed nodes: redis-cluster://host1:port1,host2:port2");
        }
        return new ClusterSeeds(seeds);
    }

    /** {@code host:port} seeds with the settings of {@code template}. */
    public static ClusterSeeds of(RedisUri template, List<String> hostPorts) {
        List<RedisUri> seeds = new ArrayList<>();
        for (String hp : hostPorts) {
            int colon = hp.lastIndexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("a seed node is host:port, got '" + hp + "'");
            }
            String host = hp.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            int port;
            try {
                port = Integer.parseInt(hp.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("a seed node is host:port, got '" + hp + "'");
            }
            seeds.add(template.withAddress(host, port));
        }
        return new ClusterSeeds(seeds);
    }
}
