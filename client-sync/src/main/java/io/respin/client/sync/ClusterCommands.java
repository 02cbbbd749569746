package io.respin.client.sync;

import io.respin.client.async.cluster.ClusterRouter;
import io.respin.client.async.cluster.ClusterSyncCall;
import io.respin.engine.command.Command;
import io.respin.engine.command.Commands;
import java.time.Duration;
import java.util.Objects;

/**
 * The blocking API over a Redis Cluster: the same methods as {@link RedisCommands}, each command sent to the node
 * that serves its key's slot; the calling thread follows MOVED/ASK/TRYAGAIN/CLUSTERDOWN itself. Get one from
 * {@code RedisClient.sync()} of a client built from a {@code redis-cluster://} URI.
 *
 * <pre>{@code
 * RedisCommands<String, String> redis = RedisClient.create("redis-cluster://10.0.0.1:7000").sync();
 * redis.set("{user:42}:name", "Ann");
 * }</pre>
 */
public final class ClusterCommands<K, V> extends RedisCommands<K, V> {
    private final ClusterRouter router;
    private final long timeoutNanos;

    /** @param timeoutNanos each command's timeout, or -1 for the client's */
    @SuppressWarnings("exports") // the router's package is exported to this module only
    public ClusterCommands(ClusterRouter router, Commands<K, V> commands, long timeoutNanos) {
        super(c -> {
            throw new IllegalStateException("a cluster facade routes each command itself");
        }, commands);
        this.router = router;
        this.timeoutNanos = timeoutNanos;
    }

    /** Runs {@code command} on the node that serves its slot and waits for its value. */
    @Override
    public <T> T run(Command<T> command) {
        Objects.requireNonNull(command, "run: command is null");
        return ClusterSyncCall.run(router, command, timeoutNanos);
    }

    /**
     * The plain catalogue: the standalone facade's per-thread scratch is handed on only by its own call, which
     * knows when the IO runtime is done with it (a timed-out command may still be in flight).
     */
    @Override
    protected Commands<K, V> catalogue() {
        return commands;
    }

    @Override
    public ClusterCommands<K, V> withTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "withTimeout: timeout is null");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be > 0, got " + timeout);
        }
        return new ClusterCommands<>(router, commands, timeout.toNanos());
    }
}
