package io.respin.client;

import io.respin.client.async.RedisAsyncCommands;
import io.respin.client.async.RedisPipeline;
import io.respin.client.sync.RedisCommands;
import io.respin.client.sync.RedisTransaction;
import io.respin.engine.command.Codec;
import io.respin.engine.command.Command;
import io.respin.engine.command.Commands;
import io.respin.engine.command.Decoders;
import io.respin.engine.connection.CommandKind;
import io.respin.io.IoRuntime;
import io.respin.io.RedisEndpoint;
import java.util.List;
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

    RedisClient(IoRuntime runtime, boolean ownsRuntime, RedisEndpoint endpoint, PushRouter router) {
        this.runtime = runtime;
        this.ownsRuntime = ownsRuntime;
        this.endpoint = endpoint;
        this.router = router;
        this.sync = sync(Codec.utf8());
        this.async = async(Codec.utf8());
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

    /** SUBSCRIBE: {@code listener} gets every message published to these channels until the subscription closes. */
    public Subscription subscribe(Consumer<PubSubMessage> listener, String... channels) {
        return subscribe(CommandKind.SUBSCRIBE, CommandKind.UNSUBSCRIBE, listener, channels);
    }

    /** PSUBSCRIBE: messages to every channel matching the glob patterns. */
    public Subscription psubscribe(Consumer<PubSubMessage> listener, String... patterns) {
        return subscribe(CommandKind.PSUBSCRIBE, CommandKind.PUNSUBSCRIBE, listener, patterns);
    }

    /** SSUBSCRIBE: shard channels (Redis 7). */
    public Subscription ssubscribe(Consumer<PubSubMessage> listener, String... channels) {
        return subscribe(CommandKind.SSUBSCRIBE, CommandKind.SUNSUBSCRIBE, listener, channels);
    }

    /** SUBSCRIBE as a blocking stream of at most {@code capacity} unread messages (more are dropped and counted). */
    public PubSubStream subscribeStream(int capacity, String... channels) {
        PubSubStream stream = new PubSubStream(capacity);
        stream.attach(subscribe(stream::offer, channels));
        return stream;
    }

    /** PSUBSCRIBE as a blocking stream. */
    public PubSubStream psubscribeStream(int capacity, String... patterns) {
        PubSubStream stream = new PubSubStream(capacity);
        stream.attach(psubscribe(stream::offer, patterns));
        return stream;
    }

    private Subscription subscribe(CommandKind kind, CommandKind unkind, Consumer<PubSubMessage> listener,
                                   String... names) {
        if (names.length == 0) {
            throw new IllegalArgumentException(kind + " needs at least one channel or pattern");
        }
        Subscription s = new Subscription(this, listener, List.of(names), unkind);
        router.add(s); // before the server confirms, so that no message published right after is missed
        String name = kind.name();
        sync.run(new Command<>(name, kind, names.length, w -> {
            w.array(1 + names.length).arg(name);
            for (String n : names) {
                w.arg(n);
            }
        }, Decoders.reply()));
        return s;
    }

    /**
     * MONITOR: every command the server runs, parsed, to {@code listener} (on the completion thread). MONITOR costs
     * the server a lot; use it to debug. It runs on a connection of its own.
     */
    public void monitor(Consumer<MonitorEvent> listener) {
        router.monitors.add(line -> listener.accept(MonitorEvent.parse(line)));
        sync.run(new Command<>("MONITOR", CommandKind.MONITOR, 0, w -> w.array(1).arg("MONITOR"), Decoders.status()));
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
