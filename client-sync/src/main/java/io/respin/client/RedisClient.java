package io.respin.client;

import io.respin.client.async.RedisClientBuilder;
import io.respin.client.sync.ClusterCommands;
import io.respin.client.sync.RedisCommands;
import io.respin.client.sync.RedisTransaction;
import io.respin.engine.command.Codec;
import io.respin.engine.command.Commands;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/**
 * respin's entry point: one Redis server, one IO runtime, one auto-pipelined connection, and the views over it —
 * {@link #sync()} (blocking; with virtual threads it pipelines as well as async does) and {@link #async()}
 * ({@code CompletableFuture}s). Both are thread-safe and cheap; create the client once and share it. Blocking
 * commands, transactions and pub/sub get connections of their own automatically.
 *
 * <pre>{@code
 * try (RedisClient client = RedisClient.create("redis://localhost:6379")) {
 *     client.sync().set("greeting", "hello");
 *     client.async().get("greeting").thenAccept(System.out::println).join();
 * }
 * }</pre>
 *
 * <p>This is client-async's {@link io.respin.client.async.RedisClient} with the blocking API added: everything
 * else ({@code async()}, {@code pubSub()}, {@code pipeline()}...) is inherited from there, and code written for
 * client-async alone accepts this client too.
 */
public final class RedisClient extends io.respin.client.async.RedisClient {
    private final RedisCommands<String, String> sync;

    private RedisClient(io.respin.client.async.RedisClient connected) {
        super(connected);
        this.sync = sync(Codec.utf8());
    }

    /** Connects with default settings; throws at once if the server cannot be reached or refuses the login. */
    public static RedisClient create(String uri) {
        return builder(uri).build();
    }

    /** Settings beyond the URI: timeouts, idle strategy, queue size, RESP version, credentials, TLS, reconnect. */
    public static RedisClientBuilder<RedisClient> builder(String uri) {
        return builder(uri, RedisClient::new);
    }

    /** The blocking API with String keys and values (UTF-8). */
    public RedisCommands<String, String> sync() {
        return sync;
    }

    /** The blocking API with your codec (e.g. {@code Codec.bytes()}), on the same connection. */
    public <K, V> RedisCommands<K, V> sync(Codec<K, V> codec) {
        if (isCluster()) {
            return new ClusterCommands<>(clusterRouter(), new Commands<>(codec), -1);
        }
        return new RedisCommands<>(commandTarget(), new Commands<>(codec));
    }

    /** One node of the cluster with the blocking API too; see {@link io.respin.client.async.RedisClient#node}. */
    @Override
    public ClusterNode node(String host, int port) {
        return new ClusterNode(super.node(host, port));
    }

    /** Every primary that serves slots now, in address order, with the blocking API too. */
    @Override
    public List<ClusterNode> primaries() {
        List<ClusterNode> all = new ArrayList<>();
        for (io.respin.client.async.ClusterNode n : super.primaries()) {
            all.add(new ClusterNode(n));
        }
        return all;
    }

    /**
     * Runs {@code command} on every primary that serves slots, all at once (a virtual thread each), and returns each
     * node's value under its {@code host:port}, in address order. If a node fails, the first failure is thrown once
     * every node has answered, the others added to it as suppressed.
     *
     * <pre>{@code
     * Map<String, Long> sizes = client.forEachPrimary(node -> node.dbsize());
     * }</pre>
     */
    public <T> Map<String, T> forEachPrimary(Function<? super RedisCommands<String, String>, ? extends T> command) {
        java.util.Objects.requireNonNull(command, "forEachPrimary: command is null");
        Map<String, CompletableFuture<T>> running = new LinkedHashMap<>();
        for (ClusterNode node : primaries()) {
            CompletableFuture<T> f = new CompletableFuture<>();
            Thread.ofVirtual().name("respin-for-each-primary").start(() -> {
                try {
                    f.complete(command.apply(node.sync()));
                } catch (Throwable t) {
                    f.completeExceptionally(t);
                }
            });
            running.put(node.address(), f);
        }
        Map<String, T> out = new LinkedHashMap<>();
        RuntimeException first = null;
        for (Map.Entry<String, CompletableFuture<T>> e : running.entrySet()) {
            try {
                out.put(e.getKey(), e.getValue().join());
            } catch (CompletionException failed) {
                RuntimeException cause = failed.getCause() instanceof RuntimeException r ? r : failed;
                if (first == null) {
                    first = cause;
                } else {
                    first.addSuppressed(cause);
                }
            }
        }
        if (first != null) {
            throw first;
        }
        return out;
    }

    /**
     * The read commands answered from the client-side cache when it holds them, String keys and values (see
     * {@link io.respin.client.sync.CachedCommands}, docs/caching.md).
     *
     * @throws IllegalStateException the client was built without {@code RedisClientBuilder.clientCache(...)}
     */
    public io.respin.client.sync.CachedCommands<String, String> cached() {
        return cached(Codec.utf8());
    }

    /** {@link #cached()} with your codec; the cache is shared by every codec's view of this client. */
    public <K, V> io.respin.client.sync.CachedCommands<K, V> cached(Codec<K, V> codec) {
        return new io.respin.client.sync.CachedCommands<>(cachedReads(codec));
    }

    /** A WATCH/MULTI/EXEC transaction on a connection of its own; close it when done. Not on a cluster client. */
    public RedisTransaction<String, String> transaction() {
        refuseOnCluster("transaction()", "use transaction(key), which runs on the node that serves the key's slot, "
                + "for keys in that one slot");
        return RedisTransaction.open(endpoint().dedicated(), Commands.utf8());
    }

    /**
     * A WATCH/MULTI/EXEC transaction for keys in {@code slotKey}'s hash slot, on a connection of its own to the node
     * that serves it: how transactions run on a Redis Cluster (give the keys one hash tag). A command with a key of
     * another slot is refused before it is sent, naming its keys and their slots; a queued one makes
     * {@code exec()} send DISCARD and throw that refusal. On a client of one server it is {@link #transaction()}.
     *
     * <pre>{@code
     * try (RedisTransaction<String, String> tx = client.transaction("{acct:7}")) {
     *     tx.multi();
     *     tx.queue().incrby("{acct:7}:balance", -10);
     *     tx.queue().rpush("{acct:7}:log", "-10");
     *     tx.exec();
     * }
     * }</pre>
     */
    public RedisTransaction<String, String> transaction(String slotKey) {
        return RedisTransaction.open(slotEndpoint(slotKey).dedicated(), Commands.utf8(), transactionSlot(slotKey));
    }
}
