package io.respin.client.async.cluster;

import io.respin.client.async.RedisAsyncCommands;
import io.respin.engine.command.Command;
import io.respin.engine.command.Commands;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * The future-based API over a Redis Cluster: the same typed methods as a standalone client's
 * {@link RedisAsyncCommands}, each command sent to the node that serves its key's slot (keyless ones to a
 * primary), following MOVED/ASK/TRYAGAIN/CLUSTERDOWN on its own. Get one from {@code RedisClient.async()} of a
 * client built from a {@code redis-cluster://} URI.
 *
 * <pre>{@code
 * RedisAsyncCommands<String, String> redis = RedisClient.create("redis-cluster://10.0.0.1:7000").async();
 * redis.set("{user:42}:name", "Ann").thenCompose(ok -> redis.get("{user:42}:name"));
 * }</pre>
 */
public final class ClusterAsyncCommands<K, V> extends RedisAsyncCommands<K, V> {
    private final ClusterRouter router;
    private final Duration timeout;

    public ClusterAsyncCommands(ClusterRouter router, Commands<K, V> commands) {
        this(router, commands, null);
    }

    private ClusterAsyncCommands(ClusterRouter router, Commands<K, V> commands, Duration timeout) {
        super(c -> {
            throw new IllegalStateException("a cluster facade routes each command itself");
        }, commands);
        this.router = router;
        this.timeout = timeout;
    }

    /** Sends {@code command} to its slot's owner; the typed methods all come through here. */
    @Override
    public <T> CompletableFuture<T> submit(Command<T> command) {
        Objects.requireNonNull(command, "submit: command is null");
        ClusterCall<T> call = new ClusterCall<>(router, command);
        if (timeout != null) {
            call.timeout(timeout);
        }
        return call.start();
    }

    /**
     * The plain catalogue: a command built in a pooled call's scratch (the standalone facade's) would be reused by
     * this thread's next command while a {@link ClusterCall} still holds it through redirects.
     */
    @Override
    protected Commands<K, V> catalogue() {
        return commands;
    }

    @Override
    public ClusterAsyncCommands<K, V> withTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "withTimeout: timeout is null");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be > 0, got " + timeout);
        }
        return new ClusterAsyncCommands<>(router, commands, timeout);
    }
}
