package io.respin.engine.connection;

import io.respin.RedisConnectionException;
import io.respin.RedisException;
import io.respin.RedisProtocolException;
import io.respin.RedisRedirectException;
import io.respin.RedisServerException;
import io.respin.RedisTransactionAbortedException;
import io.respin.engine.resp.Reply;
import io.respin.engine.resp.ReplyAssembler;
import io.respin.engine.resp.RespHandler;
import io.respin.engine.resp.RespLimits;
import io.respin.engine.resp.RespParser;
import io.respin.engine.resp.RespType;
import io.respin.engine.resp.RespWriter;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
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

    private static final int REPLY_ON = 0, REPLY_OFF = 1, REPLY_SKIP_NEXT = 2;
    private static final RespHandler DISCARD = new RespHandler.Adapter();

    private final ConnectionSettings settings;
    private final ConnectionListener listener;
    private final RespWriter writer = new RespWriter();
    private final Router router = new Router();
    private final RequestRing inFlight = new RequestRing(256);
    /** Commands answered +QUEUED, waiting for their element of EXEC's array. */
    private final Transaction transaction;
    /** What the server confirmed we are subscribed to. */
    private final Subscriptions subscriptions = new Subscriptions();
    private final ArrayDeque<Handshake.Command> pendingWrites = new ArrayDeque<>();
    private RespParser parser;
    /** The encoded length of the command {@link #encodePart} last wrote a part of. */
    private long partLength;
    /** Bulk strings longer than this reach the handlers in chunks (see {@link #chunkThreshold(long)}). */
    private long chunkThreshold = Long.MAX_VALUE;

    private Handshake handshake;
    private boolean ready;
    private int protocol;
    private RedisException failure;
    /** Inside {@link #receive}; a reset() then makes the rest of that input stale. */
    private boolean receiving;
    private boolean staleInput;

    // reply side: the mode the server is in as of the last reply processed
    private boolean inMulti;
    private boolean monitoring;
    // send side: what the server will be in when it reads the next command written
    private boolean sentMonitor;
    private boolean sentQuit;
    private int replyState = REPLY_ON;
    private int subscribesInFlight;
    private int unsubscribesInFlight;
    private int resetsInFlight;

    public Connection(ConnectionSettings settings, ConnectionListener listener) {
        this.settings = settings;
        this.listener = listener;
        this.parser = new RespParser(parserLimits(settings.limits())).chunkThreshold(parserChunks());
        this.transaction = new Transaction(listener);
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
        pendingWrites.addAll(cmds);
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
        pendingWrites.clear();
        parser = new RespParser(parserLimits(settings.limits())).chunkThreshold(parserChunks());
        router.clear();
        if (receiving) {
            staleInput = true; // called from a listener: drop what the old parser still delivers
            router.drop();
        }
        handshake = null;
        ready = false;
        failure = null;
        inMulti = false;
        monitoring = false;
        sentMonitor = false;
        sentQuit = false;
        replyState = REPLY_ON;
        subscribesInFlight = 0;
        unsubscribesInFlight = 0;
        resetsInFlight = 0;
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
        return !pendingWrites.isEmpty();
    }

    /**
     * Writes the pending handshake commands (if any) into {@code out[offset, limit)} and records them.
     *
     * @return bytes written (0 when nothing was pending), or {@code -n}: {@code n} bytes from {@code offset} are
     *         needed and nothing was written or recorded
     */
    public long encodePending(MemorySegment out, long offset, long limit) {
        if (pendingWrites.isEmpty()) {
            return 0;
        }
        writer.wrap(out, offset, limit);
        for (Handshake.Command c : pendingWrites) {
            c.encode(writer);
        }
        if (writer.overflowed()) {
            return -writer.required();
        }
        recordPending();
        return writer.position() - offset;
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
        CommandKind kind = r.kind();
        String refusal = refusal(kind);
        if (refusal != null) {
            listener.onFailed(r, failure != null
                    ? new RedisConnectionException(refusal + failure.getMessage(), false, failure)
                    : new RedisConnectionException(refusal, false));
            return REFUSED;
        }
        writer.wrap(out, offset, limit);
        if (!pendingWrites.isEmpty()) {
            for (Handshake.Command c : pendingWrites) {
                c.encode(writer);
            }
        }
        long start = writer.position();
        RuntimeException broken = encodeChecked(r);
        if (broken != null) {
            // nothing is recorded until the whole command is encoded, and the next wrap() forgets the writer's
            // half-written state: dropping the bytes is all it takes to leave the connection as it was
            listener.onFailed(r, new RedisException(r.name() + " was not sent: encoding it failed: " + broken, broken));
            return REFUSED;
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
        CommandKind kind = r.kind();
        if (skip == 0) {
            String refusal = refusal(kind);
            if (refusal == null && !pendingWrites.isEmpty()) {
                refusal = r.name() + " was not sent: it is too large for one write and the connection's handshake "
                        + "is still being written";
            }
            if (refusal != null) {
                listener.onFailed(r, failure != null
                        ? new RedisConnectionException(refusal + failure.getMessage(), false, failure)
                        : new RedisConnectionException(refusal, false));
                return REFUSED;
            }
        }
        writer.wrapPart(out, offset, limit, skip);
        RuntimeException broken = encodeChecked(r);
        if (broken != null) {
            if (skip == 0) {
                listener.onFailed(r, new RedisException(r.name() + " was not sent: encoding it failed: " + broken,
                        broken));
                return REFUSED;
            }
            // bytes of this command are already on the wire: the stream cannot be completed
            throw new IllegalStateException(r.name() + ": its encoder threw in the middle of a streamed write", broken);
        }
        partLength = writer.partLength();
        if (skip == 0) {
            record(r, kind);
            sent(kind);
        }
        return writer.position() - offset;
    }

    /** After {@link #encodePart}: the whole command's encoded length. */
    public long partLength() {
        return partLength;
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

    /**
     * The parser's own bulk limit is far above the settings' {@code maxBulk}: a value over {@code maxBulk} is then not
     * a protocol error that kills the connection but fails only its command ({@link io.respin.RedisLimitException});
     * its bytes stream past in chunks (see {@link #parserChunks()}) and are dropped. A value over the parser's limit
     * (4 GiB at least) still breaks the connection. Depth and element limits are the settings' own.
     */
    private static RespLimits parserLimits(RespLimits limits) {
        return limits.withMaxBulk(Math.max(limits.maxBulk(), Math.max(4L << 30, limits.maxBulk() * 2)));
    }

    /** Values over maxBulk always arrive in chunks, so that skipping one needs no buffer of its size. */
    private long parserChunks() {
        long limit = settings.limits().maxBulk();
        return chunkThreshold <= 0 ? Math.max(1, limit) : Math.min(chunkThreshold, Math.max(1, limit));
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

    private String refusal(CommandKind kind) {
        if (failure != null) {
            return "connection is dead, the command was not sent; the transport must reconnect and restart() it. Cause: ";
        }
        if (sentQuit) {
            return "QUIT was sent on this connection and the server closes it after answering; the command was not "
                    + "sent. Send it on a new connection";
        }
        if (sentMonitor && kind != CommandKind.RESET && kind != CommandKind.QUIT) {
            return "connection is in MONITOR mode: only RESET or QUIT may be sent; the command was not sent. "
                    + "Use another connection for other commands";
        }
        if (protocol == 2 && unsubscribesInFlight == 0 && resetsInFlight == 0
                && (subscribesInFlight > 0 || subscriptionCount() > 0)) {
            return switch (kind) {
                case SUBSCRIBE, PSUBSCRIBE, SSUBSCRIBE, UNSUBSCRIBE, PUNSUBSCRIBE, SUNSUBSCRIBE, PING, QUIT, RESET -> null;
                default -> "connection is subscribed (RESP2): only (P|S)SUBSCRIBE, (P|S)UNSUBSCRIBE, PING, QUIT and RESET "
                        + "are allowed; the command was not sent. Use RESP3 (protocol 3) or another connection";
            };
        }
        return null;
    }

    private void recordPending() {
        Handshake.Command c;
        while ((c = pendingWrites.poll()) != null) {
            record(c, c.kind());
        }
    }

    private void record(Request r, CommandKind kind) {
        boolean noReply = switch (kind) {
            case CLIENT_REPLY_OFF -> {
                replyState = REPLY_OFF;
                yield true;
            }
            case CLIENT_REPLY_SKIP -> {
                if (replyState == REPLY_ON) {
                    replyState = REPLY_SKIP_NEXT;
                }
                yield true;
            }
            case CLIENT_REPLY_ON, RESET -> {
                replyState = REPLY_ON;
                yield false;
            }
            default -> {
                boolean skipped = replyState != REPLY_ON;
                if (replyState == REPLY_SKIP_NEXT) {
                    replyState = REPLY_ON;
                }
                yield skipped;
            }
        };
        if (noReply) {
            listener.onReply(r); // the server will not answer: the request ends once written
            return;
        }
        int expect = 1;
        switch (kind) {
            case SUBSCRIBE, PSUBSCRIBE, SSUBSCRIBE -> {
                expect = Math.max(1, r.channelCount());
                subscribesInFlight++;
            }
            case UNSUBSCRIBE, PUNSUBSCRIBE, SUNSUBSCRIBE -> {
                expect = r.channelCount() == 0 ? -1 : r.channelCount(); // -1: one per subscription, known later
                unsubscribesInFlight++;
            }
            case MONITOR -> sentMonitor = true;
            case QUIT -> sentQuit = true;
            case RESET -> {
                sentMonitor = false;
                resetsInFlight++;
            }
            default -> { }
        }
        inFlight.add(r, kind, expect);
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
        if (monitoring) {
            return Mode.MONITOR;
        }
        if (inMulti) {
            return Mode.MULTI;
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

    // What the caller's commands did to the server-side session, as sent (counted when encoded, before any reply),
    // over the connection's whole life: a restart() does not clear them. A transport that pools connections asks
    // these before handing one to another caller; handshake commands are not counted.
    private boolean sentMulti;
    private boolean sentWatch;
    private boolean sentStateChange;

    /** True after MULTI was sent and no EXEC or DISCARD since: later commands are queued in a transaction. */
    public boolean inTransaction() {
        return sentMulti;
    }

    /** True after WATCH was sent and no UNWATCH, EXEC or DISCARD since: the session watches keys. */
    public boolean watching() {
        return sentWatch;
    }

    /**
     * True once a command that changes the session for the commands after it was sent (SELECT, HELLO, AUTH, RESET,
     * QUIT, CLIENT REPLY): the connection no longer is what its {@link ConnectionSettings} describe.
     */
    public boolean stateChanged() {
        return sentStateChange;
    }

    /**
     * Why a command of this kind may not go on a connection that many callers share (each one's commands pipelined
     * among the others'), or null when it may: it would change the session for everyone's commands after it.
     */
    public static String sharingRefusal(CommandKind kind) {
        return switch (kind) {
            case MULTI, EXEC, DISCARD, WATCH, UNWATCH -> "changes connection state for the commands after it; send "
                    + "transactions through endpoint.dedicated(), not the shared connection";
            case SELECT -> "would switch the database of every user of the shared connection; choose the database "
                    + "in the URI (redis://host/2), or use endpoint.dedicated()";
            case HELLO, AUTH -> "would change the protocol or user of every user of the shared connection; put them "
                    + "in the URI (user, password, protocol), or use endpoint.dedicated()";
            case RESET, QUIT, CLIENT_REPLY_ON, CLIENT_REPLY_OFF, CLIENT_REPLY_SKIP -> "would reset or silence the "
                    + "shared connection for everyone; use endpoint.dedicated() (or close the endpoint)";
            default -> null;
        };
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
            case SELECT, HELLO, AUTH, RESET, QUIT, CLIENT_REPLY_OFF, CLIENT_REPLY_SKIP, CLIENT_REPLY_ON -> sentStateChange = true;
            default -> {
            }
        }
    }

    // ---------------------------------------------------------------------------------- reply completion

    /** The head's reply is complete (its tokens have been delivered): end it and apply its mode change. */
    private void completeHead(boolean nullReply) {
        Request r = inFlight.get(0); // null when abandoned: only its recorded kind is used then
        CommandKind kind = inFlight.kind(0);
        boolean abandoned = inFlight.abandoned(0);
        int expectedOfHead = inFlight.expected(0);
        inFlight.poll();
        switch (kind) {
            case MULTI -> inMulti = true;
            case EXEC -> {
                if (inMulti && nullReply) {
                    transaction.abort("transaction aborted: a WATCHed key was modified, so EXEC ran nothing (EXEC returned null); "
                            + "retry the transaction");
                }
                inMulti = false;
            }
            case DISCARD -> {
                transaction.abort("transaction discarded (DISCARD): the command was not run");
                inMulti = false;
            }
            case MONITOR -> monitoring = true;
            case HELLO -> {
                if (expectedOfHead >= 2) {
                    protocol = expectedOfHead;
                }
            }
            case RESET -> {
                resetsInFlight--;
                resetReplySide();
            }
            case SUBSCRIBE, PSUBSCRIBE, SSUBSCRIBE -> subscribesInFlight--;
            case UNSUBSCRIBE, PUNSUBSCRIBE, SUNSUBSCRIBE -> unsubscribesInFlight--;
            default -> { }
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
    private void deliverError(String message) {
        RedisServerException e = serverError(message);
        if (inFlight.isEmpty()) {
            die(new RedisProtocolException("the server sent an error reply while no command was waiting: " + message, -1));
            return;
        }
        Request r = inFlight.get(0); // null when abandoned
        CommandKind kind = inFlight.kind(0);
        boolean abandoned = inFlight.abandoned(0);
        inFlight.poll();
        switch (kind) {
            case EXEC -> {
                if (inMulti) {
                    transaction.abort("transaction aborted: the server refused EXEC with '" + message + "'; nothing ran");
                }
                inMulti = false;
            }
            case SUBSCRIBE, PSUBSCRIBE, SSUBSCRIBE -> subscribesInFlight--;
            case UNSUBSCRIBE, PUNSUBSCRIBE, SUNSUBSCRIBE -> unsubscribesInFlight--;
            case RESET -> resetsInFlight--;
            default -> { }
        }
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

    private void resetReplySide() {
        if (inMulti) {
            transaction.abort("transaction discarded by RESET: the command was not run");
        }
        inMulti = false;
        monitoring = false;
        protocol = 2; // RESET returns the connection to RESP2
        subscriptions.clear();
    }

    // --------------------------------------------------------------------------------------- pub/sub routing

    /** A RESP3 push, or an array read while RESP2-subscribed, assembled. */
    private void routeAssembled(Reply reply) {
        if (reply instanceof Reply.Aggregate a && a.size() >= 1 && a.get(0) instanceof Reply.Text t) {
            String kind = t.asString();
            switch (kind) {
                case "message", "pmessage", "smessage" -> {
                    listener.onPush(reply);
                    return;
                }
                case Subscriptions.SUBSCRIBE, Subscriptions.PSUBSCRIBE, Subscriptions.SSUBSCRIBE, Subscriptions.UNSUBSCRIBE,
                     Subscriptions.PUNSUBSCRIBE, Subscriptions.SUNSUBSCRIBE -> {
                    confirm(kind, a);
                    return;
                }
                default -> { }
            }
        }
        if (reply.type() == RespType.PUSH) {
            listener.onPush(reply); // invalidate, tracking-redir-broken, ...
            return;
        }
        // RESP2 subscribed mode answers PING with an array ["pong", arg]: an ordinary reply
        if (inFlight.isEmpty()) {
            die(new RedisProtocolException("the server sent a reply while no command was waiting: " + reply, -1));
            return;
        }
        RespHandler h = inFlight.abandoned(0) ? DISCARD : inFlight.get(0).replyHandler();
        ReplyReplay.replay(reply, h);
        h.onReplyEnd();
        completeHead(reply.type() == RespType.NULL);
    }

    /** A (un)subscribe confirmation: update the subscriptions and count it against the head's expected ones. */
    private void confirm(String kind, Reply.Aggregate a) {
        byte[] name = a.size() >= 2 && a.get(1) instanceof Reply.Text t ? t.bytes() : null;
        int before = subscriptions.apply(kind, name);
        if (inFlight.isEmpty() || !kind.equals(Subscriptions.confirmationOf(inFlight.kind(0)))) {
            listener.onPush(a); // not asked for: e.g. the server dropped shard channels after a slot moved
            return;
        }
        int expected = inFlight.expected(0);
        if (expected < 0) {
            expected = Math.max(1, before); // unsubscribe-all: one confirmation per subscription, at least one
        }
        if (--expected > 0) {
            inFlight.setExpected(0, expected);
            return;
        }
        completeHead(false);
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
            pendingWrites.addAll(step.get());
        } catch (RedisConnectionException failed) {
            handshake = null; // reported below, with the server's words, not as "interrupted"
            die(new RedisConnectionException(failed.getMessage() + ". The command was sent behind the handshake; "
                    + "its outcome is unknown", true, failed));
            failure = failed;
            listener.onHandshakeFailed(failed);
            return;
        }
        protocol = handshake.protocol();
        if (handshake.complete() && pendingWrites.isEmpty() && !ready) {
            ready = true;
            listener.onReady(handshake.result());
        }
    }

    // -------------------------------------------------------------------------------------------- failure

    /** The connection is dead: every request in flight gets {@code e}, and a running handshake is over. */
    private void die(RedisException e) {
        failure = e;
        router.drop(); // a value half-way through (fail() called from a listener) goes nowhere
        failAll(e);
        boolean handshaking = handshake != null && !ready;
        handshake = null;
        pendingWrites.clear();
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
        subscribesInFlight = 0;
        unsubscribesInFlight = 0;
        resetsInFlight = 0;
    }

    // --------------------------------------------------------------------------------------------- router

    private enum Route {
        /** Between top-level values: the next token decides. */
        BETWEEN,
        /** Tokens go to the FIFO head's handler (or nowhere when it was abandoned). */
        HEAD,
        /** A top-level error: its text becomes the head's RedisServerException. */
        ERROR,
        /** A push or RESP2 subscribed-mode array: assembled, then routed as a whole. */
        ASSEMBLE,
        /** A MONITOR line. */
        MONITOR,
        /** +QUEUED inside MULTI: the head moves to the queued list. */
        QUEUED,
        /** EXEC's array: element i goes to queued command i. */
        EXEC,
        /** A top-level attribute, held until the value it annotates shows where it goes. */
        ATTRIBUTE,
        /** The connection is dead: tokens are dropped. */
        DROP
    }

    /**
     * Receives every token from the parser and forwards it to where the current top-level value belongs. The
     * decision is taken at the value's first token, from the connection's mode and the FIFO head.
     */
    private final class Router implements RespHandler {
        private Route route = Route.BETWEEN;
        private RespHandler sink = DISCARD;
        private int depth;
        private boolean topNull;
        private String text;
        private final ErrorText errorText = new ErrorText();
        private final ReplyAssembler pushes = new ReplyAssembler();
        private final ReplyAssembler attributes = new ReplyAssembler();
        private Reply.Aggregate heldAttributes;

        /** The rest of the current top-level value, if any, is dropped. */
        void drop() {
            route(Route.DROP, DISCARD);
        }

        void clear() {
            route = Route.BETWEEN;
            sink = DISCARD;
            depth = 0;
            heldAttributes = null;
        }

        /** Chooses the route of a top-level value from its first token; {@code s} is set for complete strings. */
        private void begin(RespType type, MemorySegment data, long offset, long length) {
            topNull = false;
            if (failure != null || staleInput) {
                route(Route.DROP, DISCARD);
            } else if (type == RespType.ATTRIBUTE) {
                route(Route.ATTRIBUTE, attributes);
                return; // keep what was held before (an attribute cannot follow another at the same level)
            } else if (type == RespType.PUSH) {
                route(Route.ASSEMBLE, pushes);
            } else if (type.isError()) {
                route(Route.ERROR, errorText);
                errorText.clear();
            } else if (monitoring && type == RespType.SIMPLE_STRING && !answersHead(data, offset, length)) {
                route(Route.MONITOR, DISCARD);
                text = utf8(data, offset, length);
            } else if (protocol == 2 && type == RespType.ARRAY && subscriptionContext()) {
                route(Route.ASSEMBLE, pushes);
            } else if (inFlight.isEmpty()) {
                die(new RedisProtocolException("the server sent a " + type + " reply while no command was waiting for "
                        + "one; replies can no longer be matched to commands", -1));
                route(Route.DROP, DISCARD);
            } else if (inMulti && type == RespType.SIMPLE_STRING && isQueued(data, offset, length)) {
                route(Route.QUEUED, DISCARD);
            } else if (inMulti && type == RespType.ARRAY && inFlight.kind(0) == CommandKind.EXEC) {
                transaction.startExec(inFlight.abandoned(0) ? DISCARD : inFlight.get(0).replyHandler());
                route(Route.EXEC, transaction);
            } else {
                route(Route.HEAD, inFlight.abandoned(0) ? DISCARD : inFlight.get(0).replyHandler());
            }
            if (heldAttributes != null) {
                if (route == Route.HEAD || route == Route.ASSEMBLE || route == Route.EXEC) {
                    ReplyReplay.replay(heldAttributes, route == Route.EXEC ? transaction.execHandler() : sink);
                }
                heldAttributes = null;
            }
        }

        private void route(Route r, RespHandler s) {
            route = r;
            sink = s;
        }

        private boolean subscriptionContext() {
            if (subscriptionCount() > 0) {
                return true;
            }
            return !inFlight.isEmpty() && !Subscriptions.confirmationOf(inFlight.kind(0)).isEmpty();
        }

        /** In MONITOR mode, is this simple string the answer to the RESET / QUIT at the head? */
        private boolean answersHead(MemorySegment data, long offset, long length) {
            if (inFlight.isEmpty()) {
                return false;
            }
            CommandKind k = inFlight.kind(0);
            return (k == CommandKind.RESET && equalsAscii(data, offset, length, "RESET"))
                    || (k == CommandKind.QUIT && equalsAscii(data, offset, length, "OK"));
        }

        private boolean isQueued(MemorySegment data, long offset, long length) {
            return equalsAscii(data, offset, length, "QUEUED");
        }

        /** The top-level value is complete. */
        private void finish() {
            Route r = route;
            route = Route.BETWEEN;
            switch (r) {
                case HEAD -> {
                    sink.onReplyEnd();
                    completeHead(topNull);
                }
                case ERROR -> deliverError(errorText.text());
                case ASSEMBLE -> {
                    pushes.onReplyEnd();
                    routeAssembled(pushes.poll());
                }
                case MONITOR -> listener.onMonitor(text);
                case QUEUED -> {
                    boolean abandoned = inFlight.abandoned(0);
                    CommandKind queuedKind = inFlight.kind(0);
                    transaction.queue(inFlight.poll(), queuedKind, abandoned);
                }
                case EXEC -> {
                    transaction.execHandler().onReplyEnd();
                    inMulti = false;
                    completeHead(false);
                }
                default -> { }
            }
            sink = DISCARD;
        }

        @Override public void onString(RespType type, MemorySegment data, long offset, long length) {
            if (route == Route.BETWEEN) {
                begin(type, data, offset, length);
                if (route == Route.ERROR) {
                    errorText.onString(type, data, offset, length);
                    return;
                }
            }
            sink.onString(type, data, offset, length);
        }

        @Override public void onStringStart(RespType type, long totalLength) {
            if (route == Route.BETWEEN) {
                begin(type, null, 0, 0);
            }
            if (totalLength > settings.limits().maxBulk()) {
                overLimit(totalLength);
            }
            sink.onStringStart(type, totalLength);
        }

        /**
         * A value of the head's reply is longer than maxBulk: the head fails with {@link io.respin.RedisLimitException}
         * now and is abandoned, so that the rest of its reply is parsed and dropped and the FIFO stays in step.
         */
        private void overLimit(long length) {
            if (route != Route.HEAD || inFlight.isEmpty() || inFlight.abandoned(0)) {
                return; // a push, an error text, an EXEC element, or a reply nobody waits for: nothing to fail here
            }
            Request r = inFlight.get(0);
            inFlight.abandon(r);
            sink = DISCARD;
            listener.onFailed(r, new io.respin.RedisLimitException(r.name() + ": the reply holds a value of " + length
                    + " bytes, more than maxBulk (" + settings.limits().maxBulk() + " bytes); raise "
                    + "RedisClientBuilder.maxBulk(bytes) (ConnectionOptions.limits when embedding the IO layer). The "
                    + "rest of the reply is dropped and the connection carries on"));
        }

        @Override public void onStringChunk(MemorySegment data, long offset, long length) {
            sink.onStringChunk(data, offset, length);
        }

        @Override public void onStringEnd() {
            sink.onStringEnd();
        }

        @Override public void onInteger(long value) {
            if (route == Route.BETWEEN) {
                begin(RespType.INTEGER, null, 0, 0);
            }
            sink.onInteger(value);
        }

        @Override public void onDouble(double value) {
            if (route == Route.BETWEEN) {
                begin(RespType.DOUBLE, null, 0, 0);
            }
            sink.onDouble(value);
        }

        @Override public void onBoolean(boolean value) {
            if (route == Route.BETWEEN) {
                begin(RespType.BOOLEAN, null, 0, 0);
            }
            sink.onBoolean(value);
        }

        @Override public void onNull() {
            if (route == Route.BETWEEN) {
                begin(RespType.NULL, null, 0, 0);
                topNull = true;
            }
            sink.onNull();
        }

        @Override public void onAggregateStart(RespType type, long count) {
            if (route == Route.BETWEEN) {
                begin(type, null, 0, 0);
            }
            depth++;
            sink.onAggregateStart(type, count);
        }

        @Override public void onAggregateEnd(RespType type) {
            depth--;
            sink.onAggregateEnd(type);
            if (depth == 0 && route == Route.ATTRIBUTE) {
                // a Null carrying the attribute: the assembler hands the attribute back as that Null's attributes()
                attributes.onNull();
                attributes.onReplyEnd();
                Reply held = attributes.poll();
                heldAttributes = held == null ? null : held.attributes();
                route(Route.BETWEEN, DISCARD);
            }
        }

        @Override public void onReplyEnd() {
            finish();
        }
    }

    private static boolean equalsAscii(MemorySegment data, long offset, long length, String s) {
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

    private static String utf8(MemorySegment data, long offset, long length) {
        return new String(data.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
    }
}
