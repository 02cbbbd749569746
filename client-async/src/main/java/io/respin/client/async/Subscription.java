package io.respin.client.async;

import io.respin.engine.command.Command;
import io.respin.engine.command.Decoders;
import io.respin.engine.connection.CommandKind;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Channels or patterns one listener is subscribed to. {@link #close()} (or {@link #closeAsync()}) unsubscribes
 * them. Subscriptions live on the client's subscriber connection and are restored by the IO runtime after a
 * reconnect; the listener runs on the runtime's push thread, in the order the server sent the messages (see
 * {@link PubSub} for what happens when it falls behind, and {@link PubSubEvents} to hear of losses).
 * State: {@link #closed} is set by the thread that closes it and read by the push thread, which then stops
 * delivering to it; the rest is immutable.
 *
 * <pre>{@code
 * try (Subscription s = client.psubscribe(m -> handle(m), "orders.*")) {
 *     ...
 * }
 * client.pubSub().subscribeAsync(m -> handle(m), "news").thenCompose(Subscription::closeAsync);
 * }</pre>
 */
public final class Subscription implements AutoCloseable {
    /** Decodes a payload with the subscription's codec and hands the message to its listener. */
    interface Delivery {
        void deliver(String channel, String pattern, MemorySegment payload);
    }

    private final RedisClient client;
    private final Delivery delivery;
    private final List<String> names;
    private final CommandKind unsubscribe;
    private volatile boolean closed;

    Subscription(RedisClient client, Delivery delivery, List<String> names, CommandKind unsubscribe) {
        this.client = client;
        this.delivery = delivery;
        this.names = names;
        this.unsubscribe = unsubscribe;
    }

    /** The channels (or patterns) of this subscription. */
    public List<String> names() {
        return names;
    }

    boolean isPattern() {
        return unsubscribe == CommandKind.PUNSUBSCRIBE;
    }

    boolean isShard() {
        return unsubscribe == CommandKind.SUNSUBSCRIBE;
    }

    boolean isClosed() {
        return closed;
    }

    void deliver(String channel, String pattern, MemorySegment payload) {
        if (!closed) {
            delivery.deliver(channel, pattern, payload);
        }
    }

    /** Stops this listener and unsubscribes its channels (those no other subscription still uses); waits. */
    @Override
    public void close() {
        Await.join(closeAsync());
    }

    /**
     * Stops this listener at once and unsubscribes its channels (those no other subscription still uses); the
     * future completes when the server has confirmed. Closing twice is harmless.
     */
    public CompletableFuture<Void> closeAsync() {
        if (closed) {
            return CompletableFuture.completedFuture(null);
        }
        closed = true;
        List<String> unused = client.router().remove(this);
        if (unused.isEmpty() || client.isClosed()) {
            return CompletableFuture.completedFuture(null);
        }
        if (client.clusterSubscriptions() != null) { // each name on the node it is subscribed on
            return client.clusterSubscriptions().unsubscribe(unsubscribe, unused);
        }
        String name = unsubscribe.name();
        return client.async().submit(new Command<>(name, unsubscribe, unused.size(), w -> {
            w.array(1 + unused.size()).arg(name);
            unused.forEach(w::arg);
        }, Decoders.reply())).thenApply(r -> null);
    }
}
