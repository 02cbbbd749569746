package io.respin.engine.connection;

import io.respin.RedisConnectionException;
import io.respin.RedisException;
import io.respin.RedisProtocolException;
import io.respin.RedisRedirectException;
import io.respin.RedisServerException;
import io.respin.engine.resp.Reply;
import io.respin.engine.resp.RespParser;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The sans-IO Redis connection: handshake, the in-flight FIFO that matches replies to requests, push routing
 * and the modes (MULTI, subscribed, MONITOR) that change framing — no sockets, threads or clocks. The transport
 * owns the socket and the buffers and calls three verbs:
 * <pre>
 *   encode(request, out, off, limit)  request → bytes in the caller's segment, and into the in-flight FIFO
 *   receive(in, off, len)             bytes → events on the {@link ConnectionListener}
 *   fail(reason) / restart()          the socket closed / a new socket: handshake again, resubscribe
 * </pre>
 * Events arrive on the thread that called {@code receive}: each request ends in exactly one of
 * {@code onReply} (its reply's tokens went to {@link Request#replyHandler()} first), {@code onServerError}
 * or {@code onFailed}; pushes go to {@code onPush}, MONITOR lines to {@code onMonitor}.
 *
 * <pre>{@code
 * Connection c = new Connection(ConnectionSettings.builder().auth("alice", "pw").build(), listener);
 * c.startHandshake();
 * long n = c.encode(get, out, 0, out.byteSize());   // HELLO ... then GET, one write
 * if (n == Connection.REFUSED) { ... }              // failed via listener.onFailed
 * else if (n < 0) { growTo(-n); }                   // needs -n bytes, nothing recorded
 * channel.write(out.asSlice(0, n).asByteBuffer());
 * long used = c.receive(in, 0, read);               // events fire; keep in[used, read) for next time
 * }</pre>
 *
 * <p>Ordinary commands and replies allocate nothing: the FIFO is a preallocated ring and tokens go straight
 * from the parser to the request's handler. Pushes, errors and the handshake build objects (they are rare).
 *
 * <p>Inside, each direction has its own part: {@code Outbound} writes commands and records them in the FIFO,
 * {@code Router} sends each reply's tokens where they belong, {@code Modes} tracks MULTI, MONITOR, QUIT and
 * CLIENT REPLY on both sides of the wire; this class holds the lifecycle, the handshake and the FIFO's endings.
 *
 * <p>Not thread-safe: one thread (the transport's) calls everything. A listener may call back into the
 * connection from inside an event — {@code encode}, {@code abandon}, {@code fail}, even {@code restart} (the
 * rest of that {@code receive} call's input is then ignored, as it belongs to the old socket).
 */
public final class Connection {

    /** {@link #encode} result: the request was not sent and has been failed through {@code onFailed}. */
    public static final long REFUSED = Long.MIN_VALUE;
    /** {@link #receive} result: the connection is dead (protocol error, handshake failure, {@link #fail}). */
    public static final long FAILED = RespParser.FAILED;

    /** What the server will do with the next command, as far as replies are concerned. */
    public enum Mode { NORMAL, MULTI, SUBSCRIBED, MONITOR, DEAD }

    private final ConnectionSettings settings;
    private final ConnectionListener listener;
    private final RequestRing inFlight = new RequestRing(256);
    /** Commands answered +QUEUED, waiting for their element of EXEC's array. */
    private final Transaction transaction;
    /** What the server confirmed we are subscribed to. */
    private final Subscriptions subscriptions = new Subscriptions();
    /** MULTI, MONITOR, QUIT and CLIENT REPLY, on the send side and the reply side. */
    private final Modes modes;
    /** Where each top-level value's tokens go. */
    private final Router router;
    /** Commands in, bytes out: the pending handshake commands and the recording of each command written. */
    private final Outbound outbound;
    private RespParser parser;
    /** Bulk strings longer than this reach the handlers in chunks (see {@link #chunkThreshold(long)}). */
    private long chunkThreshold = Long.MAX_VALUE;

    private Handshake handshake;
    private boolean ready;
    private int protocol;
    private RedisException failure;
    /** Inside {@link #receive}; a reset() then makes the rest of that input stale. */
    private boolean receiving;
    private boolean staleInput;

    public Connection(ConnectionSettings settings, ConnectionListener listener) {
        this.settings = settings;
        this.listener = listener;
        this.parser = new RespParser(Router.parserLimits(settings.limits())).chunkThreshold(parserChunks());
        this.transaction = new Transaction(listener);
        this.modes = new Modes(transaction);
        this.router = new Router(this, listener, inFlight, transaction, subscriptions, modes);
        this.outbound = new Outbound(inFlight, modes, listener);
        this.protocol = 2; // until a handshake says otherwise, a server speaks RESP2
    }

    // ------------------------------------------------------------------------------------------- lifecycle

    /**
     * Queues the handshake (and the subscriptions this connection had before {@link #reset()}); they are written
     * by the next {@link #encode} or {@link #encodePending} call, ahead of any user command.
     */
    public void startHandshake() {
        handshake = new Handshake(settings);
        ready = false;
        protocol = settings.protocol();
        List<Handshake.Command> cmds = handshake.initialCommands(subscriptions.names(Subscriptions.CHANNEL),
                subscriptions.names(Subscriptions.PATTERN), subscriptions.names(Subscriptions.SHARD));
        subscriptions.clear(); // the confirmations of the resubscribe rebuild them
        outbound.queue(cmds);
    }

    /**
     * Forgets the old socket's state so the connection can run on a new one: anything still in flight fails
     * (outcome unknown), modes end, the parser starts fresh. Subscriptions are remembered and re-issued by the
     * next {@link #startHandshake()}.
     */
    public void reset() {
        if (!inFlight.isEmpty() || !transaction.isEmpty()) {
            failAll(new RedisConnectionException("connection reset while the command was in flight; it was written and "
                    + "may have run on the server (outcome unknown)", true));
        }
        outbound.clear();
        parser = new RespParser(Router.parserLimits(settings.limits())).chunkThreshold(parserChunks());
        router.clear();
        if (receiving) {
            staleInput = true; // called from a listener: drop what the old parser still delivers
            router.drop();
        }
        handshake = null;
        ready = false;
        failure = null;
        modes.clear();
        protocol = 2;
    }

    /** {@link #reset()} then {@link #startHandshake()}: what a transport calls on a fresh socket. */
    public void restart() {
        reset();
        startHandshake();
    }

    /**
     * The transport lost the socket: every request in flight fails with a {@link RedisConnectionException} whose
     * outcome is unknown (it was written and may have run), and the connection is dead until {@link #restart()}.
     */
    public void fail(String reason) {
        if (failure != null) {
            return;
        }
        die(new RedisConnectionException("connection lost (" + reason + ") after the command was written; it may "
                + "have run on the server (outcome unknown) and was not sent again", true));
    }

    /** As {@link #fail(String)}, with the transport's exception as the cause. */
    public void fail(Throwable cause) {
        if (failure != null) {
            return;
        }
        die(new RedisConnectionException("connection lost (" + cause + ") after the command was written; it may have "
                + "run on the server (outcome unknown) and was not sent again", true, cause));
    }

    // -------------------------------------------------------------------------------------------- outbound

    /** True while handshake commands wait to be written. */
    public boolean hasPendingWrites() {
        return outbound.hasPending();
    }

    /**
     * Writes the pending handshake commands (if any) into {@code out[offset, limit)} and records them.
     *
     * @return bytes written (0 when nothing was pending), or {@code -n}: {@code n} bytes from {@code offset} are
     *         needed and nothing was written or recorded
     */
    public long encodePending(MemorySegment out, long offset, long limit) {
        return outbound.encodePending(out, offset, limit);
    }

    /**
     * Writes {@code r} (after any pending handshake commands) into {@code out[offset, limit)} and records it in the
     * in-flight FIFO in the same step, so the order of bytes and of the FIFO never diverge.
     *
     * @return bytes written; or {@code -n} when the command does not fit: {@code n} bytes from {@code offset} are
     *         needed, nothing was written or recorded; or {@link #REFUSED} when the connection's mode (RESP2
     *         subscribed, MONITOR) or state (dead) does not allow the command, or when {@code r.encode} threw (a
     *         null the command did not check, a codec that throws, a miscounted array) — it was failed via
     *         {@link ConnectionListener#onFailed} ("GET was not sent: encoding it failed: ..."), nothing was
     *         written, and the connection is as it was: pending handshake commands still go out with the next one
     */
    public long encode(Request r, MemorySegment out, long offset, long limit) {
        return outbound.encode(r, refusal(r.kind()), out, offset, limit);
    }

    /**
     * Writes one part of a command too large for the transport's buffer: bytes {@code [skip, skip + limit - offset)}
     * of {@code r}'s encoding, into {@code out} from {@code offset}. The first part ({@code skip == 0}) records
     * {@code r} in the in-flight FIFO, as {@link #encode} does; the transport then writes the following parts, in
     * order and without any other bytes between them, until {@link #partLength()} bytes are out. The encoder runs
     * once per part and must write the same bytes each time; the value is copied from its own memory into each part,
     * so a value of any size streams through the transport's buffer. Handshake commands still pending: refused.
     *
     * @return bytes written; or {@link #REFUSED} (the first part only, as for {@link #encode}, and when handshake
     *         commands are pending)
     */
    public long encodePart(Request r, MemorySegment out, long offset, long limit, long skip) {
        return outbound.encodePart(r, skip == 0 ? refusal(r.kind()) : null, out, offset, limit, skip);
    }

    /** After {@link #encodePart}: the whole command's encoded length. */
    public long partLength() {
        return outbound.partLength();
    }

    /**
     * Forgets {@code r}'s reply: it gets no more events, and its reply, when it comes, is parsed and discarded
     * (never handed to the next command). The caller decides when (a timeout); returns false when {@code r} is
     * not in flight.
     */
    public boolean abandon(Request r) {
        return inFlight.abandon(r) || transaction.abandon(r);
    }

    /**
     * Bulk strings longer than {@code bytes} are handed to the request's handler in pieces as they arrive
     * ({@code onStringStart}/{@code onStringChunk}/{@code onStringEnd}) instead of whole: the transport's read buffer
     * then never has to hold a whole large value, only what one read brings. Default: never (a value is delivered
     * whole, so the input buffer must hold it). Kept across {@link #restart()}.
     */
    public Connection chunkThreshold(long bytes) {
        this.chunkThreshold = bytes;
        parser.chunkThreshold(parserChunks());
        return this;
    }

    /** The longest reply value a command may get (the settings' maxBulk); longer ones fail only their command. */
    long maxBulk() {
        return settings.limits().maxBulk();
    }

    private long parserChunks() {
        return Router.chunks(chunkThreshold, settings.limits().maxBulk());
    }


    /**
     * True when the oldest request in flight — the one the bytes now arriving belong to — was abandoned. With
     * {@link #repliesMatched()} a transport can tell a late reply that finishes from a server that keeps streaming one
     * that never ends, and drop the connection in the second case.
     */
    public boolean headAbandoned() {
        return !inFlight.isEmpty() && inFlight.abandoned(0);
    }

    /**
     * The request whose reply has begun to arrive but not ended (some of its tokens reached its handler), or null
     * when the bytes read so far end at a reply boundary. A transport that sends read-only requests again after a
     * connection loss leaves this one out: its handler holds part of a reply.
     */
    public Request replyInProgress() {
        if (inFlight.isEmpty() || parser.atReplyBoundary() || inFlight.abandoned(0)) {
            return null;
        }
        return inFlight.get(0);
    }

    /** How many in-flight requests have ended in reply order so far (a counter of reply boundaries). */
    public long repliesMatched() {
        return inFlight.polled();
    }

    /** Why a command of {@code kind} may not be sent now, or null when it may (no allocation then). */
    private RedisConnectionException refusal(CommandKind kind) {
        if (failure != null) {
            return new RedisConnectionException("connection is dead, the command was not sent; the transport must "
                    + "reconnect and restart() it. Cause: " + failure.getMessage(), false, failure);
        }
        String refusal = modes.refusal(kind, protocol, subscriptionCount());
        return refusal == null ? null : new RedisConnectionException(refusal, false);
    }

    // --------------------------------------------------------------------------------------------- inbound

    /**
     * Parses {@code in[offset, offset + length)} and fires the events of every complete reply in it.
     *
     * @return bytes consumed (keep the rest and present it again with more), or {@link #FAILED} when the
     *         connection is dead ({@link #failure()} says why; every in-flight request has been failed)
     */
    public long receive(MemorySegment in, long offset, long length) {
        if (failure != null) {
            return FAILED;
        }
        long used;
        receiving = true;
        try {
            used = parser.parse(in, offset, length, router);
        } finally {
            receiving = false;
        }
        if (staleInput) {
            // a listener reset the connection during this call: the rest of these bytes belong to the old socket
            staleInput = false;
            router.clear();
            return failure != null ? FAILED : length;
        }
        if (used == RespParser.FAILED) {
            if (failure == null) {
                die(parser.error());
            }
            return FAILED;
        }
        return failure != null ? FAILED : used;
    }

    // ------------------------------------------------------------------------------------------ inspection

    /**
     * During {@code onReply} or {@code onServerError}: the bytes the request's reply took on the wire (its RESP
     * encoding, attributes before it included). A request of a transaction ends with EXEC's reply: that one's
     * bytes. Counted from stream positions, so it costs nothing per byte.
     */
    public long replyBytes() {
        return parser.valueBytes();
    }

    /** The protocol version in use: the handshake's result, 2 after RESET, 2 before any handshake. */
    public int protocol() {
        return protocol;
    }

    /** True once the handshake has completed successfully. */
    public boolean isReady() {
        return ready;
    }

    /** Why the connection is dead, or null while it is alive. */
    public RedisException failure() {
        return failure;
    }

    /** The mode as of the last reply processed. */
    public Mode mode() {
        if (failure != null) {
            return Mode.DEAD;
        }
        Mode replied = modes.replied(); // NORMAL, MULTI or MONITOR
        if (replied != Mode.NORMAL) {
            return replied;
        }
        return subscriptionCount() > 0 ? Mode.SUBSCRIBED : Mode.NORMAL;
    }

    /** Requests written and waiting for a reply (including ones queued in MULTI awaiting EXEC). */
    public int inFlight() {
        return inFlight.size() + transaction.size();
    }

    /** Channels, patterns and shard channels the server has confirmed. */
    public int subscriptionCount() {
        return subscriptions.count();
    }

    /** The confirmed channels (SUBSCRIBE), as UTF-8 text; cold path. */
    public List<String> channels() {
        return subscriptions.texts(Subscriptions.CHANNEL);
    }

    /** The confirmed patterns (PSUBSCRIBE). */
    public List<String> patterns() {
        return subscriptions.texts(Subscriptions.PATTERN);
    }

    /** The confirmed shard channels (SSUBSCRIBE). */
    public List<String> shardChannels() {
        return subscriptions.texts(Subscriptions.SHARD);
    }

    // ------------------------------------------------------------------ state the sent commands left behind

    /** True after MULTI was sent and no EXEC or DISCARD since: later commands are queued in a transaction. */
    public boolean inTransaction() {
        return outbound.inTransaction();
    }

    /** True after WATCH was sent and no UNWATCH, EXEC or DISCARD since: the session watches keys. */
    public boolean watching() {
        return outbound.watching();
    }

    /**
     * True once a command that changes the session for the commands after it was sent (SELECT, HELLO, AUTH, RESET,
     * QUIT, CLIENT REPLY): the connection no longer is what its {@link ConnectionSettings} describe. Counted when
     * encoded, over the connection's whole life (a restart() does not clear it); handshake commands do not count.
     */
    public boolean stateChanged() {
        return outbound.stateChanged();
    }

    // ---------------------------------------------------------------------------------- reply completion

    /**
     * The head's reply is complete (its tokens have been delivered): end it and apply its mode change. For the
     * {@link Router}, as {@link #deliverError} and {@link #die} are.
     */
    void completeHead(boolean nullReply) {
        Request r = inFlight.get(0); // null when abandoned: only its recorded kind is used then
        CommandKind kind = inFlight.kind(0);
        boolean abandoned = inFlight.abandoned(0);
        int expectedOfHead = inFlight.expected(0);
        inFlight.poll();
        modes.replied(kind, nullReply);
        if (kind == CommandKind.HELLO && expectedOfHead >= 2) {
            protocol = expectedOfHead;
        } else if (kind == CommandKind.RESET) {
            protocol = 2; // RESET returns the connection to RESP2
            subscriptions.clear();
        }
        if (r instanceof Handshake.Command c) {
            // a resubscribe ends with its confirmations (assembled as pushes); the others' replies are in the assembler
            boolean resubscribe = c.step == Handshake.Step.RESUBSCRIBE;
            handshakeReply(c, resubscribe || handshake == null ? null : handshake.assembler().poll());
        } else if (!abandoned) {
            listener.onReply(r);
        }
    }

    /** A top-level error reply: it belongs to the head. */
    void deliverError(String message) {
        if (!inFlight.isEmpty() && inFlight.get(0) instanceof Handshake.Command) {
            message = handshake.withoutPassword(message); // "unknown command 'HELLO'" echoes HELLO's AUTH arguments
        }
        RedisServerException e = serverError(message);
        if (inFlight.isEmpty()) {
            die(new RedisProtocolException("the server sent an error reply while no command was waiting: " + message, -1));
            return;
        }
        Request r = inFlight.get(0); // null when abandoned
        CommandKind kind = inFlight.kind(0);
        boolean abandoned = inFlight.abandoned(0);
        inFlight.poll();
        modes.refused(kind, message);
        if (r instanceof Handshake.Command c) {
            handshakeError(c, e);
        } else if (!abandoned) {
            listener.onServerError(r, e);
        }
    }

    static RedisServerException serverError(String message) {
        RedisRedirectException.Redirect redirect = RedisRedirectException.parse(message);
        return redirect != null ? new RedisRedirectException(message, redirect) : new RedisServerException(message);
    }

    // ------------------------------------------------------------------------------------------- handshake

    private void handshakeReply(Handshake.Command c, Reply reply) {
        handshakeStep(c, () -> handshake.onReply(c, reply));
    }

    private void handshakeError(Handshake.Command c, RedisServerException e) {
        handshakeStep(c, () -> handshake.onError(c, e));
    }

    private void handshakeStep(Handshake.Command c, java.util.function.Supplier<List<Handshake.Command>> step) {
        if (handshake == null) {
            return;
        }
        try {
            outbound.queue(step.get());
        } catch (RedisConnectionException failed) {
            handshake = null; // reported below, with the server's words, not as "interrupted"
            die(new RedisConnectionException(failed.getMessage() + ". The command was sent behind the handshake; "
                    + "its outcome is unknown", true, failed));
            failure = failed;
            listener.onHandshakeFailed(failed);
            return;
        }
        protocol = handshake.protocol();
        if (handshake.complete() && !outbound.hasPending() && !ready) {
            ready = true;
            listener.onReady(handshake.result());
        }
    }

    // -------------------------------------------------------------------------------------------- failure

    /** The connection is dead: every request in flight gets {@code e}, and a running handshake is over. */
    void die(RedisException e) {
        failure = e;
        router.drop(); // a value half-way through (fail() called from a listener) goes nowhere
        failAll(e);
        boolean handshaking = handshake != null && !ready;
        handshake = null;
        outbound.clear();
        if (handshaking) {
            listener.onHandshakeFailed(Handshake.interrupted(e));
        }
    }

    private void failAll(RedisException e) {
        transaction.failAll(e);
        while (!inFlight.isEmpty()) {
            boolean abandoned = inFlight.abandoned(0);
            Request r = inFlight.poll();
            if (!abandoned && !(r instanceof Handshake.Command)) {
                listener.onFailed(r, e);
            }
        }
        modes.clearInFlight();
    }

    /** True while tokens must go nowhere: the connection is dead, or the input is the old socket's. */
    boolean dropping() {
        return failure != null || staleInput;
    }

    /** Does {@code data[offset, offset + length)} hold exactly the ASCII text {@code s}? For the {@link Router}. */
    static boolean equalsAscii(MemorySegment data, long offset, long length, String s) {
        if (data == null || length != s.length()) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (data.get(ValueLayout.JAVA_BYTE, offset + i) != s.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** The UTF-8 text of {@code data[offset, offset + length)}; cold path (MONITOR lines). */
    static String utf8(MemorySegment data, long offset, long length) {
        return new String(data.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
    }
}
