package io.respin.engine.connection;

import io.respin.RedisConnectionException;
import io.respin.RedisException;
import io.respin.engine.resp.RespWriter;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.List;

/**
 * The connection's send side: commands in, bytes out. Handshake commands waiting to be written go out ahead of the
 * next user command, and every command is recorded in the in-flight FIFO (and in the {@link Modes}) in the same
 * step that writes its bytes, so the order of bytes and of the FIFO never diverge:
 * <pre>
 *   encode(r)  refused? ─yes─▶ onFailed(r), REFUSED
 *                 │no
 *              [pending handshake commands][r]  ─does not fit─▶ -needed, nothing written or recorded
 *                 │fits
 *              record pending, record r  ─▶ bytes written
 * </pre>
 * Whether a command is refused is the {@link Connection}'s decision (its state and modes); this class applies it.
 */
final class Outbound {
    private final RespWriter writer = new RespWriter();
    private final ArrayDeque<Handshake.Command> pending = new ArrayDeque<>();
    private final RequestRing inFlight;
    private final Modes modes;
    private final ConnectionListener listener;
    /** The encoded length of the command {@link #encodePart} last wrote a part of. */
    private long partLength;

    Outbound(RequestRing inFlight, Modes modes, ConnectionListener listener) {
        this.inFlight = inFlight;
        this.modes = modes;
        this.listener = listener;
    }

    /** Handshake commands to write ahead of the next command. */
    void queue(List<Handshake.Command> commands) {
        pending.addAll(commands);
    }

    void clear() {
        pending.clear();
    }

    boolean hasPending() {
        return !pending.isEmpty();
    }

    /** See {@link Connection#encodePending}. */
    long encodePending(MemorySegment out, long offset, long limit) {
        if (pending.isEmpty()) {
            return 0;
        }
        writer.wrap(out, offset, limit);
        writePending();
        if (writer.overflowed()) {
            return -writer.required();
        }
        recordPending();
        return writer.position() - offset;
    }

    /** See {@link Connection#encode}; {@code refused} is why {@code r} may not be sent, or null. */
    long encode(Request r, RedisConnectionException refused, MemorySegment out, long offset, long limit) {
        if (refused != null) {
            listener.onFailed(r, refused);
            return Connection.REFUSED;
        }
        CommandKind kind = r.kind();
        writer.wrap(out, offset, limit);
        writePending();
        long start = writer.position();
        RuntimeException broken = encodeChecked(r);
        if (broken != null) {
            // nothing is recorded until the whole command is encoded, and the next wrap() forgets the writer's
            // half-written state: dropping the bytes is all it takes to leave the connection as it was
            return encodingFailed(r, broken);
        }
        if (writer.overflowed()) {
            return -writer.required();
        }
        recordPending();
        record(r, kind);
        sent(kind);
        if (kind == CommandKind.HELLO && !inFlight.isEmpty()) {
            // a HELLO sent by the user switches the protocol once the server accepts it: remember which one
            inFlight.setExpected(inFlight.size() - 1, HelloBytes.protocol(out, start, writer.position()));
        }
        return writer.position() - offset;
    }

    /** See {@link Connection#encodePart}; {@code refused} as for {@link #encode}, looked at for the first part only. */
    long encodePart(Request r, RedisConnectionException refused, MemorySegment out, long offset, long limit, long skip) {
        if (skip == 0) {
            if (refused == null && !pending.isEmpty()) {
                refused = new RedisConnectionException(r.name() + " was not sent: it is too large for one write and "
                        + "the connection's handshake is still being written", false);
            }
            if (refused != null) {
                listener.onFailed(r, refused);
                return Connection.REFUSED;
            }
        }
        writer.wrapPart(out, offset, limit, skip);
        RuntimeException broken = encodeChecked(r);
        if (broken != null) {
            if (skip == 0) {
                return encodingFailed(r, broken);
            }
            // bytes of this command are already on the wire: the stream cannot be completed
            throw new IllegalStateException(r.name() + ": its encoder threw in the middle of a streamed write", broken);
        }
        partLength = writer.partLength();
        if (skip == 0) {
            record(r, r.kind());
            sent(r.kind());
        }
        return writer.position() - offset;
    }

    long partLength() {
        return partLength;
    }

    private void writePending() {
        if (pending.isEmpty()) {
            return; // the usual case, and one without the iterator the loop would allocate
        }
        for (Handshake.Command c : pending) {
            c.encode(writer);
        }
    }

    /** Runs {@code r}'s encoder; what it threw (or a miscount it left), or null when it wrote a whole command. */
    private RuntimeException encodeChecked(Request r) {
        try {
            r.encode(writer);
        } catch (RuntimeException e) {
            return e;
        }
        return writer.complete() ? null
                : new IllegalStateException(r.name() + " wrote fewer arguments than its array(n) announced");
    }

    private long encodingFailed(Request r, RuntimeException broken) {
        listener.onFailed(r, new RedisException(r.name() + " was not sent: encoding it failed: " + broken, broken));
        return Connection.REFUSED;
    }

    private void recordPending() {
        Handshake.Command c;
        while ((c = pending.poll()) != null) {
            record(c, c.kind());
        }
    }

    // What the caller's commands did to the server-side session, as sent (counted when encoded, before any reply),
    // over the connection's whole life: a restart() does not clear them. Handshake commands are not counted.
    private boolean sentMulti;
    private boolean sentWatch;
    private boolean sentStateChange;

    boolean inTransaction() {
        return sentMulti;
    }

    boolean watching() {
        return sentWatch;
    }

    boolean stateChanged() {
        return sentStateChange;
    }

    /** A caller's command was recorded (its bytes are in the caller's buffer): what it does to the session. */
    private void sent(CommandKind kind) {
        switch (kind) {
            case MULTI -> sentMulti = true;
            case WATCH -> sentWatch = true;
            case UNWATCH -> sentWatch = false;
            case EXEC, DISCARD -> {
                sentMulti = false;
                sentWatch = false;
            }
            case SELECT, HELLO, AUTH, RESET, QUIT, CLIENT_REPLY_OFF, CLIENT_REPLY_SKIP, CLIENT_REPLY_ON ->
                    sentStateChange = true;
            default -> {
            }
        }
    }

    private void record(Request r, CommandKind kind) {
        int expect = modes.sent(kind, r.channelCount());
        if (expect == Modes.NO_REPLY) {
            listener.onReply(r); // the server will not answer: the request ends once written
            return;
        }
        inFlight.add(r, kind, expect);
    }
}
