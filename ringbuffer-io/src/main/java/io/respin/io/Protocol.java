package io.respin.io;

import io.respin.RedisException;
import io.respin.engine.connection.Request;
import java.lang.foreign.MemorySegment;

/**
 * The seam between the IO thread and the sans-IO engine connection of one socket. {@link EngineProtocol} adapts
 * the engine's {@code Connection}; tests may plug in their own. One instance lives exactly as long as one socket:
 * a reconnect starts a new one, so no state of a dead connection can leak into the next.
 *
 * <p>Events (replies, errors, pushes, ready) go to the {@link Events} given at creation, during
 * {@link #receive}, {@link #fail} or {@link #abandon} calls, on the IO thread.
 */
interface Protocol {

    /**
     * Writes the handshake (HELLO/AUTH/SELECT/...) into {@code out[offset, limit)}.
     *
     * @return the offset after what was written, or {@code -(bytes needed)} when it does not fit (nothing written)
     */
    long startHandshake(MemorySegment out, long offset, long limit);

    /**
     * Encodes {@code r} into {@code out[offset, limit)} and records it as in flight, in one step.
     *
     * @return the offset after the command, or {@code -(bytes needed)} when it does not fit (nothing recorded)
     */
    long encode(Request r, MemorySegment out, long offset, long limit);

    /**
     * Parses {@code in[offset, offset + length)} and emits events.
     *
     * @return bytes consumed (the unconsumed tail must be presented again, followed by new bytes), or -1 when the
     *         input is not valid RESP: then {@link #error()} says why and the connection is dead
     */
    long receive(MemorySegment in, long offset, long length);

    /** The sticky protocol error after {@code receive} returned -1. */
    RedisException error();

    /** {@code r}'s reply, when it comes, is to be discarded; no event will name {@code r} any more. */
    void abandon(Request r);

    /** The socket is gone: every in-flight request gets {@code onFailed(r, error)}. */
    void fail(RedisException error);

    /** What the protocol reports to the IO thread. */
    interface Events extends io.respin.engine.connection.ConnectionListener {
        /** The handshake was refused (wrong password, unknown database, ...): {@code error} says how. */
        void onHandshakeFailed(RedisException error);
    }

    /** Creates the protocol of a fresh socket. */
    interface Factory {
        Protocol create(RedisUri uri, ConnectionOptions options, Events events);
    }
}
