package io.respin.engine.connection;

import io.respin.engine.resp.RespHandler;
import io.respin.engine.resp.RespWriter;

/**
 * One command as the {@link Connection} sees it: how to write it, which reply rules it changes, and where its
 * reply's tokens go. The transport's own command object implements this (it also carries the caller's
 * completion and deadline); the connection keeps it in its in-flight FIFO and hands it back in
 * {@link ConnectionListener} events, so the object is the caller's handle.
 *
 * <pre>{@code
 * final class Get implements Request {
 *     public void encode(RespWriter w) { w.array(2).arg("GET").arg(key); }
 *     public RespHandler replyHandler() { return decoder; }
 *     public CommandKind kind() { return CommandKind.PLAIN; }
 * }
 * }</pre>
 */
public interface Request {

    /** Writes the command's RESP array into {@code w}. Called once per send; must write the same bytes each time. */
    void encode(RespWriter w);

    /** Receives the reply's tokens (not a top-level error reply: that comes as {@code onServerError}). */
    RespHandler replyHandler();

    /** The framing rules this command brings (MULTI, SUBSCRIBE, MONITOR, ...). Most commands are PLAIN. */
    CommandKind kind();

    /**
     * For SUBSCRIBE-family commands: the number of channels/patterns named, i.e. the number of confirmations
     * the server will send (0 for UNSUBSCRIBE-all forms). Ignored for other kinds.
     */
    default int channelCount() {
        return 0;
    }

    /** How messages name the command ("GET", "CONFIG GET"); by default its {@code toString()}. */
    default String name() {
        return toString();
    }
}
