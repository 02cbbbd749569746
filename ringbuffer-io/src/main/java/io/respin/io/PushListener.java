package io.respin.io;

import io.respin.engine.resp.Reply;

/**
 * Hears what the server sends without being asked: pub/sub messages, client-tracking invalidations, MONITOR
 * lines, and notices about them.
 *
 * <p>Thread: every method runs on the runtime's push thread ({@code <threadName>-pushes}), one call at a time —
 * never on the IO thread, never on the completion thread or the completion executor — so a slow listener delays
 * only the pushes after it, never a command's completion. Pushes wait for it in a bounded queue
 * ({@link IoSettings.Builder#pushQueueCapacity}); when that is full, new pushes are dropped (the IO thread never
 * waits for a listener), counted in {@link RedisEndpoint#droppedPushes()} and announced by {@link #onDropped}.
 * The listener's own state is touched by that one thread only.
 *
 * <p>Order: pushes come in the order the server sent them. A notice ({@link #onDropped}, {@link #onDisconnected})
 * needs no room in the queue, so it is never dropped; it comes after the pushes that were queued before its event
 * and before those received after it.
 *
 * <pre>{@code
 * PushListener l = push -> System.out.println(push);
 * }</pre>
 */
@FunctionalInterface
public interface PushListener {

    /** One push frame ({@code >} in RESP3, a message array in RESP2 subscribed mode). */
    void onPush(Reply push);

    /** One MONITOR line, without the leading '+'. */
    default void onMonitor(String line) {
    }

    /**
     * {@code count} pushes were dropped since the last call because the push queue was full (this listener fell
     * behind). Several drops in a row are reported together; the total is {@link RedisEndpoint#droppedPushes()}.
     */
    default void onDropped(long count) {
    }

    /**
     * The subscriber or MONITOR connection was lost; {@code why} says what happened. Subscriptions are restored
     * after the reconnect (messages published in between are lost); MONITOR is not re-issued. Losses in quick
     * succession, before this listener got to the first, are reported once, with the latest cause.
     */
    default void onDisconnected(io.respin.RedisConnectionException why) {
    }
}
