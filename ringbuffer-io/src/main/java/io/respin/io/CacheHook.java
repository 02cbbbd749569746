package io.respin.io;

import io.respin.engine.resp.Reply;

/**
 * What a client-side cache must hear from an endpoint's shared connection, in the order the connection's bytes are
 * parsed: its handshakes and losses, its pushes (tracking invalidations), and the replies of its commands (so that the
 * client's own writes invalidate at once). That order is the cache's correctness: an invalidation parsed after a
 * reply always comes after the reply's store.
 *
 * <p>Thread: every method runs on the thread that holds the IO duty (the IO thread, or a submitter doing its work),
 * inside the parse of the bytes concerned and before any later command's outcome is published; implementations
 * update memory and return, never block, never throw. Unset (the default) it costs one null check per event.
 *
 * <pre>{@code
 * ConnectionOptions opts = ConnectionOptions.builder().tracking("NOLOOP").cacheHook(myCache).build();
 * }</pre>
 */
public interface CacheHook {

    /** The shared connection finished a handshake (first connect or a reconnect), speaking RESP {@code protocol}. */
    void onConnected(int protocol);

    /** The shared connection is gone (lost or closed): whatever it tracked is no longer tracked. */
    void onDisconnected();

    /**
     * A push arrived on the shared connection (e.g. {@code ["invalidate", [keys]]}). Returns true when the hook has
     * taken it (it then does not reach the push listener).
     */
    boolean onPush(Reply push);

    /** {@code command}'s reply arrived on the shared connection; called before its caller can see it. */
    void onReply(IoCommand command);
}
