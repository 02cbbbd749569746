package io.respin.client.async;

import io.respin.engine.command.Codec;
import io.respin.engine.command.Command;
import io.respin.engine.command.Decoders;
import io.respin.engine.connection.CommandKind;
import io.respin.engine.resp.Reply;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

/**
 * Pub/sub and MONITOR of one client, blocking and asynchronous, with payloads decoded by a {@link Codec}. The
 * blocking methods are the asynchronous ones, waited on: both submit the same SUBSCRIBE definition. Get one from
 * {@code client.pubSub()} (UTF-8 strings) or {@code client.pubSub(codec)}.
 *
 * <pre>{@code
 * PubSub<byte[]> frames = client.pubSub(Codec.bytes());
 * frames.subscribeAsync(m -> render(m.message()), "video")   // completes once the server confirmed
 *       .thenAccept(sub -> log.info("listening to {}", sub.names()));
 * }</pre>
 *
 * <p>Threads: listeners (message, MONITOR and {@link PubSubEvents}) run on the IO runtime's push thread, one call
 * at a time, in the order the server sent the messages — never on the IO thread or the completion thread, so a
 * slow listener never delays a command. Messages wait for the listeners in a bounded queue
 * ({@link RedisClientBuilder#pushQueueCapacity}); when they fall that far behind, new messages are dropped,
 * counted in {@link #dropped()} and announced to {@link PubSubEvents#onDropped}. A subscriber connection the
 * server closes (or kills) is announced to {@link PubSubEvents#onDisconnected}, reconnected and resubscribed.
 *
 * @param <V> the payload type
 */
public final class PubSub<V> {
    private final RedisClient client;
    private final Codec<?, V> codec;

    PubSub(RedisClient client, Codec<?, V> codec) {
        this.client = client;
        this.codec = codec;
    }

    /**
     * Adds a listener for this client's pub/sub notices: its subscriber connection lost (and restored), messages
     * dropped because the listeners fell behind. It hears of them from now on, on the push thread.
     */
    public void addEventListener(PubSubEvents listener) {
        client.router().events.add(java.util.Objects.requireNonNull(listener));
    }

    /** Removes a listener added with {@link #addEventListener}; removing one that is not there is harmless. */
    public void removeEventListener(PubSubEvents listener) {
        client.router().events.remove(listener);
    }

    /**
     * Messages (and MONITOR lines) this client received but its listeners never got: the push queue was full
     * ({@code pushQueueCapacity} messages waited for slow listeners), or the client closed before their turn.
     * For the whole client: every {@code PubSub} view of it, every subscription. A subscription's own bounded
     * buffer ({@link PubSubStream#dropped()}, {@link PubSubPublisher#dropped()}) counts separately.
     */
    public long dropped() {
        return client.endpoint().droppedPushes();
    }

    /** SUBSCRIBE: {@code listener} gets every message published to these channels; waits for the server. */
    public Subscription subscribe(Consumer<? super PubSubMessage<V>> listener, String... channels) {
        return Await.join(subscribeAsync(listener, channels));
    }

    /** PSUBSCRIBE: messages to every channel matching the glob patterns; waits for the server. */
    public Subscription psubscribe(Consumer<? super PubSubMessage<V>> listener, String... patterns) {
        return Await.join(psubscribeAsync(listener, patterns));
    }

    /** SSUBSCRIBE: shard channels (Redis 7); waits for the server. */
    public Subscription ssubscribe(Consumer<? super PubSubMessage<V>> listener, String... channels) {
        return Await.join(ssubscribeAsync(listener, channels));
    }

    /**
     * SUBSCRIBE without waiting: the future completes with the subscription once the server confirmed it (from
     * then on every message published is delivered), or fails with the server's refusal (the listener is then
     * dropped). The listener runs on the runtime's push thread (see {@link PubSub}). No channel at all is an
     * IllegalArgumentException.
     */
    public CompletableFuture<Subscription> subscribeAsync(Consumer<? super PubSubMessage<V>> listener,
                                                          String... channels) {
        return subscribe(CommandKind.SUBSCRIBE, CommandKind.UNSUBSCRIBE, listener, channels);
    }

    /** PSUBSCRIBE without waiting. */
    public CompletableFuture<Subscription> psubscribeAsync(Consumer<? super PubSubMessage<V>> listener,
                                                           String... patterns) {
        return subscribe(CommandKind.PSUBSCRIBE, CommandKind.PUNSUBSCRIBE, listener, patterns);
    }

    /** SSUBSCRIBE without waiting. */
    public CompletableFuture<Subscription> ssubscribeAsync(Consumer<? super PubSubMessage<V>> listener,
                                                           String... channels) {
        return subscribe(CommandKind.SSUBSCRIBE, CommandKind.SUNSUBSCRIBE, listener, channels);
    }

    /** SUBSCRIBE as a blocking stream of at most {@code capacity} unread messages (more are dropped and counted). */
    public PubSubStream<V> subscribeStream(int capacity, String... channels) {
        PubSubStream<V> stream = new PubSubStream<>(capacity);
        stream.attach(subscribe(stream::offer, channels));
        return stream;
    }

    /** PSUBSCRIBE as a blocking stream. */
    public PubSubStream<V> psubscribeStream(int capacity, String... patterns) {
        PubSubStream<V> stream = new PubSubStream<>(capacity);
        stream.attach(psubscribe(stream::offer, patterns));
        return stream;
    }

    /**
     * SUBSCRIBE as a {@link java.util.concurrent.Flow.Publisher}: the future completes once the server confirmed;
     * each Flow subscriber gets the messages published from the moment it subscribed, at the pace it requests,
     * with a buffer of at least {@code capacity} messages for it (beyond that, new ones are dropped and counted). Close the publisher to
     * unsubscribe and complete its subscribers.
     */
    public CompletableFuture<PubSubPublisher<V>> subscribePublisher(int capacity, String... channels) {
        PubSubPublisher<V> p = new PubSubPublisher<>(capacity);
        return subscribeAsync(p::offer, channels).thenApply(p::attach);
    }

    /** PSUBSCRIBE as a {@link java.util.concurrent.Flow.Publisher}. */
    public CompletableFuture<PubSubPublisher<V>> psubscribePublisher(int capacity, String... patterns) {
        PubSubPublisher<V> p = new PubSubPublisher<>(capacity);
        return psubscribeAsync(p::offer, patterns).thenApply(p::attach);
    }

    /**
     * MONITOR: every command the server runs, parsed, to {@code listener} (on the push thread); the future
     * completes when the server has started streaming. MONITOR costs the server a lot; use it to debug. It runs
     * on a connection of its own.
     */
    public CompletableFuture<Void> monitorAsync(Consumer<MonitorEvent> listener) {
        java.util.Objects.requireNonNull(listener, "MONITOR: listener is null");
        Consumer<String> lines = line -> listener.accept(MonitorEvent.parse(line));
        client.router().monitors.add(lines); // before the server starts streaming, so that no line is missed
        return client.async().submit(new Command<>("MONITOR", CommandKind.MONITOR, 0, w -> w.array(1).arg("MONITOR"),
                Decoders.status())).handle((ok, e) -> {
                    if (e != null) {
                        client.router().monitors.remove(lines); // refused (e.g. by ACL): keep no listener
                        throw e instanceof CompletionException c ? c : new CompletionException(e);
                    }
                    return null;
                });
    }

    /** MONITOR, waiting until the server has started streaming. */
    public void monitor(Consumer<MonitorEvent> listener) {
        Await.join(monitorAsync(listener));
    }

    private CompletableFuture<Subscription> subscribe(CommandKind kind, CommandKind unkind,
                                                      Consumer<? super PubSubMessage<V>> listener, String... names) {
        // checked here, on the caller's thread: the listener runs later and the names are written by the IO thread
        String what = kind == CommandKind.PSUBSCRIBE ? "patterns" : "channels";
        java.util.Objects.requireNonNull(listener, () -> kind + ": listener is null");
        java.util.Objects.requireNonNull(names, () -> kind + ": " + what + " is null");
        if (names.length == 0) {
            throw new IllegalArgumentException(kind + " needs at least one channel or pattern");
        }
        for (int i = 0; i < names.length; i++) {
            if (names[i] == null) {
                throw new NullPointerException(kind + ": " + what + "[" + i + "] is null");
            }
        }
        Subscription s = new Subscription(client, (channel, pattern, payload) -> listener.accept(
                new PubSubMessage<>(channel, pattern, codec.decodeValue(payload, 0, payload.byteSize()))),
                List.of(names), unkind);
        client.router().add(s); // before the server confirms, so that no message published right after is missed
        String name = kind.name();
        CompletableFuture<Reply> confirmed = client.clusterSubscriptions() != null
                ? client.clusterSubscriptions().subscribe(kind, List.of(names)) // on the node it belongs to, followed
                : client.async().submit(new Command<>(name, kind, names.length, w -> {
                    w.array(1 + names.length).arg(name);
                    for (String n : names) {
                        w.arg(n);
                    }
                }, Decoders.reply()));
        return confirmed.handle((ok, e) -> {
            if (e != null) {
                client.router().remove(s); // nothing is subscribed: do not keep the listener either
                throw e instanceof CompletionException c ? c : new CompletionException(e);
            }
            return s;
        });
    }
}
