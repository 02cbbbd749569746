package io.respin.io;

import io.respin.engine.resp.Reply;

/**
 * Hears what the server sends without being asked: pub/sub messages, client-tracking invalidations, MONITOR
 * lines. Called on the runtime's completion thread (or its completion executor), never on the IO thread, in the
 * order the server sent them.
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

    /** The connection was lost (subscriptions are restored after the reconnect); {@code why} says what happened. */
    default void onDisconnected(io.respin.RedisConnectionException why) {
    }
}
