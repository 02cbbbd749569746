package io.respin.client;

import io.respin.client.async.RedisAsyncCommands;
import io.respin.client.async.RedisPipeline;
import io.respin.client.sync.RedisCommands;
import io.respin.client.sync.RedisTransaction;
import io.respin.engine.command.Codec;
import io.respin.engine.command.Commands;
import io.respin.io.IoRuntime;
import io.respin.io.RedisEndpoint;
import java.util.function.Consumer;

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
 */
public final class RedisClient implements AutoCloseable {
    private final IoRuntime runtime;
    private final boolean ownsRuntime;
    private final RedisEndpoint endpoint;
    private final PushRouter router;
    private final RedisCommands<String, String> sync;
    private final RedisAsyncCommands<String, String> async;
    private final PubSub<String> pubSub;

    RedisClient(IoRuntime runtime, boolean ownsRuntime, RedisEndpoint endpoint, PushRouter router) {
        this.runtime = runtime;
        this.ownsRuntime = ownsRuntime;
        this.endpoint = endpoint;
        this.router = router;
        this.sync = sync(Codec.utf8());
        this.async = async(Codec.utf8());
        this.pubSub = new PubSub<>(this, Codec.utf8());
    }

    /** Connects with default settings; throws at once if the server cannot be reached or refuses the login. */
    public static RedisClient create(String uri) {
        return builder(uri).build();
    }

    /** Settings beyond the URI: timeouts, idle strategy, queue size, RESP version, credentials, TLS, reconnect. */
    public static RedisClientBuilder builder(String uri) {
        return new RedisClientBuilder(uri);
    }

    /** The blocking API with String keys and values (UTF-8). */
    public RedisCommands<String, String> sync() {
        return sync;
    }

    /** The future-based API with String keys and values (UTF-8). */
    public RedisAsyncCommands<String, String> async() {
        return async;
    }

    /** The blocking API with your codec (e.g. {@code Codec.bytes()}), on the same connection. */
    public <K, V> RedisCommands<K, V> sync(Codec<K, V> codec) {
        return new RedisCommands<>(endpoint::submit, new Commands<>(codec));
    }

    /** The future-based API with your codec, on the same connection. */
    public <K, V> RedisAsyncCommands<K, V> async(Codec<K, V> codec) {
        return new RedisAsyncCommands<>(endpoint::submit, new Commands<>(codec));
    }

    /** An explicit batch: queue commands, then {@code awaitAll()}. */
    public RedisPipeline<String, String> pipeline() {
        return new RedisPipeline<>(endpoint::submit, Commands.utf8());
    }

    /** A WATCH/MULTI/EXEC transaction on a connection of its own; close it when done. */
    public RedisTransaction<String, String> transaction() {
        return RedisTransactionFactory.open(endpoint, Commands.utf8());
    }

    /** The same transaction, with futures instead of waits. */
    public io.respin.client.async.AsyncTransaction<String, String> asyncTransaction() {
        return io.respin.client.async.AsyncTransaction.open(endpoint.dedicated(), Commands.utf8());
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

    /** The IO layer's endpoint, for submitting hand-made commands. */
    public RedisEndpoint endpoint() {
        return endpoint;
    }

    PushRouter router() {
        return router;
    }

    public boolean isClosed() {
        return endpoint.isClosed();
    }

    /** Closes the connections (pending commands fail) and, if the client started it, the IO runtime. */
    @Override
    public void close() {
        endpoint.close();
        if (ownsRuntime) {
            runtime.close();
        }
    }
}
