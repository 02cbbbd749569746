package io.respin.io.loop;

import io.respin.RedisConnectionException;
import io.respin.RedisException;
import io.respin.engine.connection.Connection;
import io.respin.io.buffer.WriteBuffer;
import java.io.IOException;
import java.util.ArrayDeque;

/**
 * A link's write path: commands routed to it wait here until the link is ready, are encoded by the engine straight
 * into the off-heap {@link WriteBuffer} (recorded in its in-flight FIFO in the same step) and flushed with as few
 * socket writes as the socket allows. A command larger than any buffer should be streams through it in parts.
 * <pre>
 *   enqueue ─▶ READY, nothing waiting? ─yes─▶ encode ─▶ buffer ─(agent's dirty list)─▶ flush ─▶ socket
 *                 └─ no ─▶ waiting ─(onReady, or the flush that empties a full buffer)─▶ drainWaiting ─▶ encode
 *   too large:  streaming ─▶ writePart (buffer empty) ─▶ flush ─▶ writePart ... ─▶ last part: output unblocked
 * </pre>
 * Duty-confined, like its link.
 */
final class LinkWriter {

    /** Commands larger than this are streamed through the write buffer in parts rather than grown into it. */
    private static final long STREAM_ABOVE = 16L << 20;
    /** The size a streamed command's parts aim for (the buffer grows to it, within its maximum). */
    private static final long PART = 1L << 20;

    private final Link link;
    private final WriteBuffer out;
    private final ArrayDeque<Submission> waiting = new ArrayDeque<>();
    private boolean outputBlocked;
    private boolean dirty;
    /** A command too large for the write buffer, written in parts ({@link #writePart}); null when none. */
    private Submission streaming;
    private long streamSent;
    private long streamTotal;

    LinkWriter(Link link) {
        this.link = link;
        this.out = new WriteBuffer(link.settings.writeBufferSize(), link.settings.maxWriteBufferSize());
    }

    boolean hasWaiting() {
        return !waiting.isEmpty();
    }

    /** A timeout or a cancel took {@code c} out before it was sent. */
    void remove(Submission c) {
        waiting.remove(c);
    }

    /** A command caught by a connection loss goes out again after the reconnect, ahead of what never went out. */
    void requeueFirst(Submission c) {
        waiting.addFirst(c);
    }

    /** The socket is gone: what was encoded is dropped (the engine failed or keeps it), the output unblocked. */
    void clear() {
        out.clear();
        outputBlocked = false;
        streaming = null;
    }

    /** Fails every command that waits here, unsent. */
    void failWaiting(RedisException e) {
        Submission c;
        while ((c = waiting.poll()) != null) {
            link.agent.finish(c, e);
        }
    }

    /**
     * Writes the handshake commands the engine has queued: at the start, and again when a reply made it queue more
     * (a server that refuses HELLO gets AUTH, SETNAME and SELECT in RESP2 instead).
     */
    void writeHandshake(long now) {
        long n = link.connection.encodePending(out.segment(), out.end(), out.capacity());
        if (n < 0 && out.makeRoom(-n)) {
            n = link.connection.encodePending(out.segment(), out.end(), out.capacity());
        }
        if (n < 0) {
            link.lost("the handshake does not fit the write buffer (" + -n + " bytes needed)", null, now);
            return;
        }
        if (n > 0) {
            out.advance(out.end() + n);
            markDirty();
        }
    }

    /** Routes {@code c} to this link: encode now when possible, else keep it until the link is ready. */
    void enqueue(Submission c) {
        c.link = link;
        if (link.state == Link.State.CLOSED) {
            link.agent.finish(c, new RedisConnectionException(c.name() + " was not sent: its connection to "
                    + link.address() + " is closed", false));
        } else if (link.state == Link.State.READY && !outputBlocked && waiting.isEmpty()) {
            encode(c);
        } else if (link.refusedBy != null) {
            link.agent.finish(c, link.refusedBy); // hopeless for now: say why at once rather than at the deadline
        } else if (link.state == Link.State.BACKOFF && link.settings.failFastWhenDisconnected()) {
            link.agent.finish(c, new RedisConnectionException(c.name() + " was not sent: the connection to "
                    + link.address() + " is down (" + link.lastFailure + ") and reconnecting; "
                    + "whenDisconnected is FAIL_FAST (RedisClientBuilder.whenDisconnected(WAIT) keeps such commands until "
                    + "the reconnect)", false));
        } else {
            c.where = Submission.Where.WAITING;
            waiting.add(c);
        }
    }

    /** Encodes one command, growing the write buffer if needed; false when it must wait for a flush. */
    private boolean encode(Submission c) {
        io.respin.engine.connection.Request prelude = c.prelude();
        if (prelude != null && !encodePrelude(prelude)) {
            outputBlocked = true;
            c.where = Submission.Where.WAITING;
            waiting.addFirst(c);
            return false;
        }
        // counted before the call: the engine may end the command inside encode (refused, CLIENT REPLY OFF)
        c.where = Submission.Where.IN_FLIGHT;
        c.resendable = !link.sessionChanged();
        link.inFlight++;
        long n = link.connection.encode(c, out.segment(), out.end(), out.capacity());
        if (n == Connection.REFUSED) {
            return true; // already failed through onFailed
        }
        if (n < 0) {
            long needed = -n;
            if (out.tooLarge(needed) || needed > STREAM_ABOVE && !link.connection.hasPendingWrites()) {
                // larger than any buffer should be: stream it through the buffer in parts, its value copied from
                // its own memory into each part (direct memory stays bounded by the buffer, whatever the value)
                streaming = c;
                streamSent = 0;
                streamTotal = needed;
                outputBlocked = true; // what comes next waits until the last part is in the buffer
                return writePart();
            }
            boolean room;
            try {
                room = out.makeRoom(needed);
            } catch (RedisConnectionException noDirectMemory) {
                link.inFlight--;
                link.agent.finish(c, new RedisConnectionException(c.name() + " was not sent: "
                        + noDirectMemory.getMessage(), false, noDirectMemory.getCause()));
                return true;
            }
            if (!room) {
                link.inFlight--;
                outputBlocked = true;
                c.where = Submission.Where.WAITING;
                waiting.addFirst(c);
                return false;
            }
            n = link.connection.encode(c, out.segment(), out.end(), out.capacity());
            if (n == Connection.REFUSED) {
                return true;
            }
            if (n < 0) {
                throw new IllegalStateException("encoder asked for " + needed + " bytes, then for " + -n);
            }
        }
        c.bytesOut = n;
        out.advance(out.end() + n);
        markDirty();
        return true;
    }

    /** Encodes a command's prelude (a small request whose reply is dropped); false when it must wait for a flush. */
    private boolean encodePrelude(io.respin.engine.connection.Request prelude) {
        long n = link.connection.encode(prelude, out.segment(), out.end(), out.capacity());
        if (n == Connection.REFUSED) {
            return true; // the command after it is refused for the same reason
        }
        if (n < 0) {
            boolean room;
            try {
                room = out.makeRoom(-n);
            } catch (RedisConnectionException noDirectMemory) {
                room = false;
            }
            if (!room) {
                return false;
            }
            n = link.connection.encode(prelude, out.segment(), out.end(), out.capacity());
            if (n < 0) {
                return n == Connection.REFUSED;
            }
        }
        out.advance(out.end() + n);
        markDirty();
        return true;
    }

    /**
     * Writes the next part of {@link #streaming} into the write buffer, when it is empty (parts follow each other
     * with no other bytes between them). False when the command is not all in the buffer yet.
     */
    private boolean writePart() {
        Submission c = streaming;
        if (!out.isEmpty()) {
            return false;
        }
        long left = streamTotal - streamSent;
        try {
            out.makeRoom(Math.min(left, Math.max(PART, out.capacity())));
        } catch (RedisConnectionException noDirectMemory) {
            // the buffer keeps its size: parts are smaller
        }
        long room = Math.min(left, out.capacity() - out.end());
        long n = link.connection.encodePart(c, out.segment(), out.end(), out.end() + room, streamSent);
        if (n == Connection.REFUSED) {
            streaming = null; // failed through onFailed, nothing written
            outputBlocked = false;
            return true;
        }
        if (streamSent == 0) {
            streamTotal = link.connection.partLength(); // exact, without handshake bytes
            c.bytesOut = streamTotal;
        }
        out.advance(out.end() + n);
        streamSent += n;
        markDirty();
        if (streamSent >= streamTotal) {
            streaming = null; // all of it is in the buffer: flush() unblocks the output once it is written
            return true;
        }
        return false;
    }

    /** True when {@code c} is being streamed and part of it is already in the write buffer or on the wire. */
    boolean isStreaming(Submission c) {
        return c == streaming && streamSent > 0;
    }

    /** True when {@code c} is the command being streamed (whether or not a part of it went out yet). */
    boolean isStreamed(Submission c) {
        return c == streaming;
    }

    /** Stops streaming (the command ended or the link closed); true when part of it was already written. */
    boolean stopStreaming() {
        boolean begun = streaming != null && streamSent > 0;
        streaming = null;
        return begun;
    }

    void drainWaiting() {
        Submission c;
        while (link.state == Link.State.READY && !outputBlocked && (c = waiting.poll()) != null) {
            if (!encode(c)) {
                return;
            }
        }
    }

    void markDirty() {
        if (!dirty) {
            dirty = true;
            link.agent.dirty(this);
        }
    }

    /** Writes what is encoded: as much as the socket takes now; the rest waits for OP_WRITE. */
    int flush() throws IOException {
        dirty = false;
        if (link.socket == null || !link.socket.hasTransport() || link.state == Link.State.CLOSED
                || link.state == Link.State.BACKOFF) {
            return 0;
        }
        int total = 0;
        if (!link.socket.flushPending()) {
            return 0;
        }
        while (true) {
            while (!out.isEmpty()) {
                int n = link.socket.write(out.forWrite());
                if (n <= 0) {
                    break;
                }
                out.written(n);
                total += n;
                link.agent.socketWrites++;
            }
            if (streaming != null && out.isEmpty() && !link.socket.hasPendingOutput()) {
                writePart(); // the next part of a streamed command
                continue;
            }
            break;
        }
        boolean pending = !out.isEmpty() || link.socket.hasPendingOutput();
        if (!pending && outputBlocked) {
            outputBlocked = false;
            drainWaiting();
            if (!out.isEmpty()) {
                return total + flush();
            }
        }
        link.socket.watchWrites(pending);
        return total;
    }

    /** True when the link is ready and everything encoded has gone to the socket (nothing waits for OP_WRITE). */
    boolean sentEverything() {
        return link.state == Link.State.READY && out.isEmpty() && !outputBlocked && waiting.isEmpty()
                && link.socket != null && !link.socket.hasPendingOutput();
    }

    /** Flush from the agent's dirty list, turning IO errors into a lost connection. */
    int flushSafely(long now) {
        try {
            return flush();
        } catch (IOException | RuntimeException e) {
            link.lost("writing to " + link.address() + " failed: " + Link.describe(e), e, now);
            return 1;
        }
    }
}
