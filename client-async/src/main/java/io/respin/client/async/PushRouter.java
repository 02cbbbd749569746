package io.respin.client.async;

import io.respin.RedisConnectionException;
import io.respin.engine.resp.Reply;
import io.respin.io.PushListener;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Hands each pub/sub message to the subscriptions whose channel or pattern it came through (each decodes the
 * payload with its own codec), MONITOR lines to the monitor listeners, and drop and disconnect notices to the
 * {@link PubSubEvents} listeners. Every method but the list changes runs on the IO runtime's push thread (one
 * thread, one call at a time, never the IO or completion thread); a slow listener therefore delays the other
 * listeners' messages, never a command.
 *
 * <p>State: the three listener lists are copy-on-write, changed by any caller thread and read by the push
 * thread; {@link #remove} is synchronized so that two closing subscriptions agree on which names are unused.
 */
final class PushRouter implements PushListener {
    private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
    final List<Consumer<String>> monitors = new CopyOnWriteArrayList<>();
    final List<PubSubEvents> events = new CopyOnWriteArrayList<>();
    /**
     * Told of an (un)subscribe confirmation nobody asked for: the server dropped a name on its own (a shard channel
     * whose slot moved away sends {@code sunsubscribe}). Null: nobody listens (one server).
     */
    volatile java.util.function.BiConsumer<String, String> dropped;

    void add(Subscription s) {
        subscriptions.add(s);
    }

    /** Removes {@code s}; returns its names that no remaining subscription of the same kind uses. */
    synchronized List<String> remove(Subscription s) {
        subscriptions.remove(s);
        List<String> unused = new ArrayList<>();
        for (String n : s.names()) {
            boolean used = false;
            for (Subscription o : subscriptions) {
                used |= o.isPattern() == s.isPattern() && o.isShard() == s.isShard() && o.names().contains(n);
            }
            if (!used) {
                unused.add(n);
            }
        }
        return unused;
    }

    /** True while a subscription that is not closed wants {@code name} ({@code kind}: its subscribe command). */
    boolean wants(io.respin.engine.connection.CommandKind kind, String name) {
        boolean pattern = kind == io.respin.engine.connection.CommandKind.PSUBSCRIBE;
        boolean shard = kind == io.respin.engine.connection.CommandKind.SSUBSCRIBE;
        for (Subscription s : subscriptions) {
            if (s.isPattern() == pattern && s.isShard() == shard && !s.isClosed() && s.names().contains(name)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void onPush(Reply push) {
        if (!(push instanceof Reply.Aggregate a) || a.size() < 3) {
            return;
        }
        String kind = a.get(0).asString();
        switch (kind) {
            case "message" -> deliver(false, false, a.get(1).asString(), null, payload(a.get(2)));
            case "smessage" -> deliver(false, true, a.get(1).asString(), null, payload(a.get(2)));
            case "pmessage" -> {
                if (a.size() >= 4) {
                    deliver(true, false, a.get(1).asString(), a.get(2).asString(), payload(a.get(3)));
                }
            }
            case "sunsubscribe", "unsubscribe", "punsubscribe" -> { // unasked (asked ones never come here)
                var d = dropped;
                if (d != null) {
                    d.accept(kind, a.get(1).asString());
                }
            }
            default -> { } // other confirmations and tracking pushes are not messages
        }
    }

    /** The payload's bytes as the server sent them, so that each subscription's codec sees the raw value. */
    private static MemorySegment payload(Reply r) {
        byte[] b = r instanceof Reply.Text t ? t.bytes() : String.valueOf(r.asString()).getBytes(StandardCharsets.UTF_8);
        return MemorySegment.ofArray(b);
    }

    private void deliver(boolean pattern, boolean shard, String name, String channel, MemorySegment payload) {
        for (Subscription s : subscriptions) {
            if (s.isPattern() == pattern && s.isShard() == shard && s.names().contains(name)) {
                try {
                    // a pattern message names the pattern first, then the channel it was published to
                    s.deliver(channel == null ? name : channel, channel == null ? null : name, payload);
                } catch (RuntimeException e) { // one failing listener (or codec) must not starve the others
                    report("pub/sub listener", e);
                }
            }
        }
    }

    private static final System.Logger LISTENERS = System.getLogger("io.respin.callbacks");

    private static void report(String who, RuntimeException e) {
        LISTENERS.log(System.Logger.Level.ERROR, "respin: a " + who + " threw " + e + "; the message was dropped "
                + "for it, other listeners still got it (catch exceptions in your listener to handle them yourself)", e);
    }

    @Override
    public void onDropped(long count) {
        for (PubSubEvents e : events) {
            try {
                e.onDropped(count);
            } catch (RuntimeException x) {
                report("pub/sub event listener", x);
            }
        }
    }

    @Override
    public void onDisconnected(RedisConnectionException why) {
        for (PubSubEvents e : events) {
            try {
                e.onDisconnected(why);
            } catch (RuntimeException x) {
                report("pub/sub event listener", x);
            }
        }
    }

    /** Tells the event listeners that a cluster subscription moved (on the completion thread; see PubSubEvents). */
    void resubscribed(PubSubEvents.Resubscribed moved) {
        for (PubSubEvents e : events) {
            try {
                e.onResubscribed(moved);
            } catch (RuntimeException x) {
                report("pub/sub event listener", x);
            }
        }
    }

    @Override
    public void onMonitor(String line) {
        for (Consumer<String> m : monitors) {
            try {
                m.accept(line);
            } catch (RuntimeException e) {
                report("MONITOR listener", e);
            }
        }
    }
}
