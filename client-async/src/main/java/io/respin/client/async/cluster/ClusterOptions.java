package io.respin.client.async.cluster;

import io.respin.client.async.ReadFrom;
import io.respin.engine.cluster.Redirects;
import java.time.Duration;
import java.util.Objects;

/**
 * How a cluster client follows its cluster: {@code refreshPeriod} between periodic topology refreshes (zero: only
 * on MOVED and connection loss), {@code refreshTimeout} for one node's answer to {@code CLUSTER SHARDS},
 * {@code redirects} the bounds for MOVED/ASK/TRYAGAIN/CLUSTERDOWN per command, {@code readFrom} where read-only
 * commands go.
 */
public record ClusterOptions(Duration refreshPeriod, Duration refreshTimeout, Redirects.Policy redirects,
                             ReadFrom readFrom) {
    /** Periodic refresh every 10 s (jittered by up to a tenth), 1 s per node's answer, the engine's redirect bounds. */
    public static final ClusterOptions DEFAULT = new ClusterOptions(Duration.ofSeconds(10), Duration.ofSeconds(1),
            Redirects.Policy.DEFAULT, ReadFrom.PRIMARY);

    public ClusterOptions {
        Objects.requireNonNull(refreshPeriod, "refreshPeriod");
        Objects.requireNonNull(refreshTimeout, "refreshTimeout");
        Objects.requireNonNull(redirects, "redirects");
        Objects.requireNonNull(readFrom, "readFrom");
        if (refreshPeriod.isNegative()) {
            throw new IllegalArgumentException("the cluster refresh period must be >= 0 (0: no periodic refresh), got "
                    + refreshPeriod);
        }
        if (refreshTimeout.isNegative() || refreshTimeout.isZero()) {
            throw new IllegalArgumentException("the cluster refresh timeout must be > 0, got " + refreshTimeout);
        }
    }

    public ClusterOptions withRefreshPeriod(Duration period) {
        return new ClusterOptions(period, refreshTimeout, redirects, readFrom);
    }

    public ClusterOptions withRedirects(Redirects.Policy policy) {
        return new ClusterOptions(refreshPeriod, refreshTimeout, policy, readFrom);
    }

    public ClusterOptions withReadFrom(ReadFrom from) {
        return new ClusterOptions(refreshPeriod, refreshTimeout, redirects, from);
    }
}
