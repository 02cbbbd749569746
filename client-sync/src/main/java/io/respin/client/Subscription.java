package io.respin.client;

import io.respin.engine.command.Command;
import io.respin.engine.command.Decoders;
import io.respin.engine.connection.CommandKind;
import java.util.List;
import java.util.function.Consumer;

/**
 * Channels or patterns one listener is subscribed to. {@link #close()} unsubscribes them. Subscriptions live on
 * the client's subscriber connection and are restored by the IO runtime after a reconnect; the listener runs on
 * the runtime's completion thread, in the order the server sent the messages.
 *
 * <pre>{@code
 * try (Subscription s = client.psubscribe(m -> handle(m), "orders.*")) {
 *     ...
 * }
 * }</pre>
 */
public final class Subscription implements AutoCloseable {
    private final RedisClient client;
    private final Consumer<PubSubMessage> listener;
    private final List<String> names;
    private final CommandKind unsubscribe;
    private volatile boolean closed;

    Subscription(RedisClient client, Consumer<PubSubMessage> listener, List<String> names, CommandKind unsubscribe) {
        this.client = client;
        this.listener = listener;
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

    Consumer<PubSubMessage> listener() {
        return listener;
    }

    /** Stops this listener and unsubscribes its channels (those no other subscription still uses). */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<String> unused = client.router().remove(this);
        if (unused.isEmpty() || client.isClosed()) {
            return;
        }
        String name = unsubscribe.name();
        client.sync().run(new Command<>(name, unsubscribe, unused.size(), w -> {
            w.array(1 + unused.size()).arg(name);
            unused.forEach(w::arg);
        }, Decoders.reply()));
    }
}
