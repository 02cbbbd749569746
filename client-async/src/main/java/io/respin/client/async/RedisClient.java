package io.respin.client.async;

import io.respin.client.async.cluster.ClusterAsyncCommands;
import io.respin.client.async.cluster.ClusterRouter;
import io.respin.engine.cluster.SlotMap;
import io.respin.engine.command.Codec;
import io.respin.engine.command.Commands;
import io.respin.io.EndpointStatus;
import io.respin.io.IoCommand;
import io.respin.io.IoRuntime;
import io.respin.io.RedisEndpoint;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * respin's entry point for asynchronous code: one Redis server, one IO runtime, one auto-pipelined connection,
 * and the views over it — {@link #async()} ({@code CompletableFuture}s), {@link #pubSub()} (listeners, Flow
 * publishers, MONITOR), {@link #pipeline()} and {@link #asyncTransaction()}. Everything here needs
 * {@code client-async} alone. Thread-safe and cheap to use; create the client once and share it. Blocking
 * commands, transactions and pub/sub get connections of their own automatically.
 *
 * <pre>{@code
 * try (RedisClient client = RedisClient.create("redis://localhost:6379")) {
 *     client.async().set("greeting", "hello")
 *           .thenCompose(ok -> client.async().get("greeting"))
 *           .thenAccept(System.out::println).join();
 * }
 * }</pre>
 *
 * <p>With {@code client-sync} on the path, use {@code io.respin.client.RedisClient} instead: it is this client
 * plus {@code sync()} and {@code transaction()}, and can be passed wherever this one is expected.
 */
public class RedisClient implements AutoCloseable {
    private final IoRuntime runtime;
    private final boolean ownsRuntime;
    private final RedisEndpoint endpoint;
    private final PushRouter router;
    private final RedisAsyncCommands<String, String> async;
    private final PubSub<String> pubSub;
    /** What keeps {@link #endpoint} on a moving server (a Sentinel follower), closed first; null for one server. */
    private final AutoCloseable follower;
    /** Where the command facades submit: the endpoint, or a router that sends reads to replicas (Sentinel). */
    private final Consumer<IoCommand> target;
    /** Null for one server; for a Redis Cluster, routes every command by its key's slot. */
    private final ClusterRouter cluster;
    /** Where each subscription is on a cluster, moved when its node or slot moves; null for one server. */
    private final ClusterSubscriptions clusterSubscriptions;

    RedisClient(IoRuntime runtime, boolean ownsRuntime, RedisEndpoint endpoint, PushRouter router) {
        this(runtime, ownsRuntime, endpoint, router, null, endpoint::submit, null);
    }

    RedisClient(IoRuntime runtime, boolean ownsRuntime, RedisEndpoint endpoint, PushRouter router,
                AutoCloseable follower, Consumer<IoCommand> target, ClusterRouter cluster) {
        this(runtime, ownsRuntime, endpoint, router, follower, target, cluster,
                cluster == null ? null : new ClusterSubscriptions(router, cluster));
    }

    @SuppressWarnings("this-escape") // PubSub only keeps the client; it calls it later, from its own methods
    private RedisClient(IoRuntime runtime, boolean ownsRuntime, RedisEndpoint endpoint, PushRouter router,
                        AutoCloseable follower, Consumer<IoCommand> target, ClusterRouter cluster,
                        ClusterSubscriptions clusterSubscriptions) {
        this.runtime = runtime;
        this.ownsRuntime = ownsRuntime;
        this.endpoint = endpoint;
        this.router = router;
        this.follower = follower;
        this.target = target;
        this.cluster = cluster;
        this.clusterSubscriptions = clusterSubscriptions;
        this.async = cluster != null ? new ClusterAsyncCommands<>(cluster, Commands.utf8())
                : new RedisAsyncCommands<>(target, Commands.utf8());
        this.pubSub = new PubSub<>(this, Codec.utf8());
    }

    /**
     * A view over the connections of {@code connected}, for a client that adds APIs of its own (client-sync's
     * {@code RedisClient} adds the blocking ones); the two share everything and closing either closes both.
     */
    protected RedisClient(RedisClient connected) {
        this(connected.runtime, connected.ownsRuntime, connected.endpoint, connected.router, connected.follower,
                connected.target, connected.cluster, connected.clusterSubscriptions);
    }

    /**
     * Connects with default settings; throws at once if the server cannot be reached or refuses the login. A
     * {@code redis-sentinel://s1:26379,s2:26379/mymaster} URI finds the primary through the sentinels and follows it
     * through failovers (docs/sentinel.md). A
     * {@code redis-cluster://host1:port1,host2:port2} URI (or {@code rediss-cluster://}) gives a client of a Redis
     * Cluster: the same API, every command sent to the node that serves its key (see docs/cluster.md).
     */
    public static RedisClient create(String uri) {
        return builder(uri).build();
    }

    /** Settings beyond the URI: timeouts, idle strategy, queue size, RESP version, credentials, TLS, reconnect. */
    public static RedisClientBuilder<? extends RedisClient> builder(String uri) {
        return builder(uri, Function.identity());
    }

    /** A builder whose {@code build()} hands the connected client to {@code view} (see {@link #RedisClient(RedisClient)}). */
    protected static <C extends RedisClient> RedisClientBuilder<C> builder(String uri, Function<RedisClient, C> view) {
        return new RedisClientBuilder<>(uri, view);
    }

    /** The future-based API with String keys and values (UTF-8). */
    public RedisAsyncCommands<String, String> async() {
        return async;
    }

    /** The future-based API with your codec (e.g. {@code Codec.bytes()}), on the same connection. */
    public <K, V> RedisAsyncCommands<K, V> async(Codec<K, V> codec) {
        return cluster != null ? new ClusterAsyncCommands<>(cluster, new Commands<>(codec))
                : new RedisAsyncCommands<>(target, new Commands<>(codec));
    }

    /**
     * The cached reads as futures, String keys and values (see {@link CachedAsyncCommands}, docs/caching.md).
     *
     * @throws IllegalStateException the client was built without {@link RedisClientBuilder#clientCache}
     */
    public CachedAsyncCommands<String, String> cachedAsync() {
        return cachedAsync(Codec.utf8());
    }

    /** {@link #cachedAsync()} with your codec; the cache is shared by every codec's view of this client. */
    public <K, V> CachedAsyncCommands<K, V> cachedAsync(Codec<K, V> codec) {
        return new CachedAsyncCommands<>(cachedReads(codec));
    }

    /** The cache's reads for {@code codec}, for the cached facades. */
    @SuppressWarnings("exports") // the cache package is client-sync's, not an API of its own
    protected <K, V> io.respin.client.async.cache.CachedReads<K, V> cachedReads(Codec<K, V> codec) {
        if (cluster != null && cluster.nodes().cache() != null) {
            return cluster.nodes().cache().reads(codec, endpoint); // by slot, to each primary's own cache
        }
        if (!(endpoint.options().cacheHook() instanceof io.respin.client.async.cache.TrackedCache cache)) {
            throw new IllegalStateException("this client has no client-side cache: build it with "
                    + "RedisClientBuilder.clientCache(CacheSettings.defaults()) (RESP3)");
        }
        return cache.reads(codec, endpoint);
    }

    /**
     * An explicit batch: queue commands, then {@code awaitAll()}. On a cluster client each flush sends every node
     * its share of the batch in one write, redirected commands follow their slot, and the outcomes keep the order
     * the commands were queued in.
     */
    public RedisPipeline<String, String> pipeline() {
        return pipeline(Codec.utf8());
    }

    /** {@link #pipeline()} with your codec. */
    public <K, V> RedisPipeline<K, V> pipeline(Codec<K, V> codec) {
        return cluster != null ? new RedisPipeline<>(cluster, new Commands<>(codec))
                : new RedisPipeline<>(endpoint::submitAll, new Commands<>(codec));
    }

    /** A WATCH/MULTI/EXEC transaction on a connection of its own, with futures; close it when done. */
    public AsyncTransaction<String, String> asyncTransaction() {
        refuseOnCluster("asyncTransaction()", "use asyncTransaction(key), which runs on the node that serves the key's "
                + "slot, for keys in that one slot");
        return AsyncTransaction.open(endpoint.dedicated(), Commands.utf8());
    }

    /**
     * A WATCH/MULTI/EXEC transaction for keys in {@code slotKey}'s hash slot, on a connection of its own to the node
     * that serves that slot — how a transaction runs on a Redis Cluster (give the keys one hash tag:
     * {@code {acct:7}:balance}, {@code {acct:7}:log}). A command inside it with a key of another slot is refused
     * before it is sent, naming its keys and their slots (a queued one makes EXEC send DISCARD and fail with that
     * refusal: nothing runs). On a client of one server it is {@link #asyncTransaction()}.
     */
    public AsyncTransaction<String, String> asyncTransaction(String slotKey) {
        return AsyncTransaction.open(slotEndpoint(slotKey).dedicated(), Commands.utf8(), transactionSlot(slotKey));
    }

    /**
     * On a cluster client, the check every command of a transaction for {@code slotKey}'s slot must pass before it is
     * sent: its keys in that slot, or none ({@link io.respin.client.async.cluster.TransactionSlot}); null for one
     * server.
     */
    protected Consumer<IoCommand> transactionSlot(String slotKey) {
        return cluster == null ? null : io.respin.client.async.cluster.TransactionSlot.of(slotKey);
    }

    /**
     * The endpoint that serves {@code key}'s slot (the client's one endpoint for one server): for connections that
     * must be on that node, a transaction's.
     */
    protected RedisEndpoint slotEndpoint(String key) {
        java.util.Objects.requireNonNull(key, "the transaction's slot key is null");
        return cluster == null ? endpoint : cluster.ownerOf(key);
    }

    /**
     * One node of the cluster, for commands meant for it alone (INFO, CONFIG, CLUSTER NODES, one shard's DBSIZE):
     * sent there as they are, no routing, no redirect followed. A replica's commands go over a READONLY connection.
     *
     * @throws IllegalArgumentException the cluster as the client knows it has no node {@code host:port}
     * @throws UnsupportedOperationException on a client of one server
     */
    public ClusterNode node(String host, int port) {
        refuseOffCluster("node(host, port)");
        return new ClusterNode(cluster.nodes(), host, port);
    }

    /** Every primary that serves slots now, in address order (a topology refresh may change the list). */
    public List<? extends ClusterNode> primaries() {
        refuseOffCluster("primaries()");
        List<ClusterNode> all = new ArrayList<>();
        for (SlotMap.Node p : cluster.nodes().servingPrimaries()) {
            all.add(new ClusterNode(cluster.nodes(), p.host(), p.port()));
        }
        return all;
    }

    /**
     * Runs {@code command} on every primary that serves slots, at once: each node's outcome under its
     * {@code host:port}, in address order. For commands the client does not fan out itself (CONFIG SET, INFO,
     * MEMORY STATS, a SCRIPT or FUNCTION command it does not know...).
     *
     * <pre>{@code
     * Map<String, CompletableFuture<String>> infos = client.forEachPrimaryAsync(node -> node.info("memory"));
     * }</pre>
     */
    public <T> Map<String, CompletableFuture<T>> forEachPrimaryAsync(
            Function<? super RedisAsyncCommands<String, String>, ? extends CompletionStage<T>> command) {
        java.util.Objects.requireNonNull(command, "forEachPrimaryAsync: command is null");
        Map<String, CompletableFuture<T>> out = new LinkedHashMap<>();
        for (ClusterNode node : primaries()) {
            CompletableFuture<T> f;
            try {
                f = command.apply(node.async()).toCompletableFuture();
            } catch (RuntimeException e) {
                f = CompletableFuture.failedFuture(e);
            }
            out.put(node.address(), f);
        }
        return out;
    }

    /** Throws for cluster-only APIs on a client of one server. */
    protected void refuseOffCluster(String api) {
        if (cluster == null) {
            throw new UnsupportedOperationException(api + " is for a Redis Cluster client (a redis-cluster:// URI); "
                    + "this client talks to one server: send the command with async() or sync()");
        }
    }

    /** True for a client of a Redis Cluster ({@code redis-cluster://}). */
    public boolean isCluster() {
        return cluster != null;
    }

    /**
     * The cluster router of a cluster client (null for one server): for client-sync's blocking facade, which
     * follows redirects on the caller's thread.
     */
    @SuppressWarnings("exports") // exported to io.respin.client.sync only
    protected ClusterRouter clusterRouter() {
        return cluster;
    }

    /** Throws for APIs that need one connection to one server, on a cluster client. */
    protected void refuseOnCluster(String api, String instead) {
        if (cluster != null) {
            throw new UnsupportedOperationException(api + " is not available on a Redis Cluster client: it needs one "
                    + "connection to one server, and a cluster spreads keys over many; " + instead);
        }
    }

    /** Pub/sub and MONITOR, blocking and asynchronous, with UTF-8 {@code String} payloads. */
    public PubSub<String> pubSub() {
        return pubSub;
    }

    /** Pub/sub with payloads decoded by {@code codec} (e.g. {@code Codec.bytes()}); channel names stay text. */
    public <V> PubSub<V> pubSub(Codec<?, V> codec) {
        return new PubSub<>(this, codec);
    }

    /** SUBSCRIBE: {@code listener} gets every message published to these channels until the subscription closes. */
    public Subscription subscribe(Consumer<? super PubSubMessage<String>> listener, String... channels) {
        return pubSub.subscribe(listener, channels);
    }

    /** PSUBSCRIBE: messages to every channel matching the glob patterns. */
    public Subscription psubscribe(Consumer<? super PubSubMessage<String>> listener, String... patterns) {
        return pubSub.psubscribe(listener, patterns);
    }

    /** SSUBSCRIBE: shard channels (Redis 7). */
    public Subscription ssubscribe(Consumer<? super PubSubMessage<String>> listener, String... channels) {
        return pubSub.ssubscribe(listener, channels);
    }

    /** SUBSCRIBE as a blocking stream of at most {@code capacity} unread messages (more are dropped and counted). */
    public PubSubStream<String> subscribeStream(int capacity, String... channels) {
        return pubSub.subscribeStream(capacity, channels);
    }

    /** PSUBSCRIBE as a blocking stream. */
    public PubSubStream<String> psubscribeStream(int capacity, String... patterns) {
        return pubSub.psubscribeStream(capacity, patterns);
    }

    /**
     * MONITOR: every command the server runs, parsed, to {@code listener} (on the push thread). MONITOR costs
     * the server a lot; use it to debug. It runs on a connection of its own. {@code pubSub().monitorAsync} does
     * not wait.
     */
    public void monitor(Consumer<MonitorEvent> listener) {
        pubSub.monitor(listener);
    }

    /**
     * Where {@link #async()} submits each command: the {@link #endpoint()}'s {@code submit}, or, for a Sentinel
     * client with {@code readFromReplicas}, a router that sends read-only commands to a replica. For a client that
     * adds a facade of its own (client-sync's {@code sync()}), so that it routes as {@code async()} does.
     */
    protected Consumer<IoCommand> commandTarget() {
        return target;
    }

    /**
     * A health view of this client now: each of its connections (shared, dedicated, subscriber, MONITOR) with its
     * state, in-flight commands, reconnects and last error, and the commands and bytes the runtime holds (see
     * {@link RedisEndpoint#status()}). Taken on the IO thread; cheap enough for a health check, not for every command.
     *
     * <pre>{@code
     * EndpointStatus s = client.status();
     * if (s.sharedState() != ConnectionStatus.State.READY) { ... }   // e.g. report "degraded"
     * }</pre>
     */
    public EndpointStatus status() {
        return endpoint.status();
    }

    /**
     * The IO layer's endpoint, for submitting hand-made commands. On a cluster client: the endpoint of one primary
     * (the one keyless commands and SUBSCRIBE go to), not a router.
     */
    public RedisEndpoint endpoint() {
        return endpoint;
    }

    ClusterSubscriptions clusterSubscriptions() {
        return clusterSubscriptions;
    }

    PushRouter router() {
        return router;
    }

    public boolean isClosed() {
        return cluster != null ? cluster.nodes().isClosed() : endpoint.isClosed();
    }

    /** Closes the connections (pending commands fail) and, if the client started it, the IO runtime. */
    @Override
    public void close() {
        if (cluster != null) {
            cluster.nodes().close();
        }
        if (follower != null) {
            try {
                follower.close();
            } catch (Exception e) {
                throw new IllegalStateException("closing " + follower + " failed", e);
            }
        }
        endpoint.close();
        if (ownsRuntime) {
            runtime.close();
        }
    }
}
