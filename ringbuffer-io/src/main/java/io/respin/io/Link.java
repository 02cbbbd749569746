package io.respin.io;

import io.respin.RedisConnectionException;
import io.respin.RedisException;
import io.respin.RedisProtocolException;
import io.respin.RedisServerException;
import io.respin.engine.connection.CommandKind;
import io.respin.engine.connection.Connection;
import io.respin.engine.connection.ConnectionListener;
import io.respin.engine.connection.ConnectionSettings;
import io.respin.engine.connection.HandshakeResult;
import io.respin.engine.connection.Request;
import io.respin.engine.resp.Reply;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.SelectionKey;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * One socket to the server and the engine connection that gives its bytes meaning, driven by the IO thread.
 *
 * <pre>
 *   state:  NEW ─open─▶ CONNECTING ─▶ TLS ─▶ HANDSHAKE ─onReady─▶ READY
 *                          │           │        │                  │
 *                          └───────────┴────────┴── failure ───────┴─▶ BACKOFF ─due─▶ CONNECTING ...
 *           any state ─close─▶ CLOSED
 *
 *   commands:  enqueue ─▶ waiting (not READY, or write buffer full) ─▶ encode into WriteBuffer (in flight)
 *              ─▶ flush ─▶ socket ─▶ ReadBuffer ─▶ connection.receive ─▶ onReply/onServerError/onFailed ─▶ command
 * </pre>
 * Duty-confined: every field and method is used only by the duty holder — the IO thread, or a submitter during its
 * pass while the IO thread sleeps (see {@link IoAgent}); a link never changes hands in the middle of a call.
 */
final class Link implements ConnectionListener {

    enum Role { SHARED, DEDICATED, SUBSCRIBER, MONITOR }

    enum State { NEW, CONNECTING, TLS, HANDSHAKE, READY, BACKOFF, CLOSED }

    /** Commands larger than this are streamed through the write buffer in parts rather than grown into it. */
    private static final long STREAM_ABOVE = 16L << 20;
    /** The size a streamed command's parts aim for (the buffer grows to it, within its maximum). */
    private static final long PART = 1L << 20;
    /** Socket reads per pass, so that one busy connection cannot starve the others. */
    private static final int READS_PER_PASS = 8;

    final RedisEndpoint endpoint;
    final Role role;
    private final IoAgent agent;
    private final IoSettings settings;
    private final ReadBuffer in;
    private final WriteBuffer out;
    private final ArrayDeque<IoCommand> waiting = new ArrayDeque<>();
    private final Backoff backoff;
    /** The engine's view of this link; one for the link's life, restarted on every new socket (it remembers and
     *  re-issues subscriptions itself). */
    private final Connection connection;

    State state = State.NEW;
    /** The current socket; null while there is none (before the first connect, in BACKOFF, once CLOSED). */
    private LinkSocket socket;
    /** True between a new socket's handshake start and the socket's loss: the engine may be fed. */
    private boolean live;
    private RedisException handshakeError;
    private boolean outputBlocked;
    private boolean dirty;
    private long connectDeadline;
    private long nextAttempt;
    private long lastActivity;
    /** When the server last sent a byte (or the socket opened). */
    private long lastRead;
    private boolean everReady;
    private boolean everStarted;
    private IdlePing idlePing;
    /** {@link #checkRunawayReply}: the reply count when an abandoned head was first seen (-1: none), and when. */
    private long runawayMark = -1;
    private long runawaySince;
    /** While the engine fails what was in flight: idempotent commands are kept here to be sent again. */
    private boolean collectingRetries;
    /** While lost() has the engine fail what was in flight: a dedicated link is not handed on until BACKOFF. */
    private boolean failingInFlight;
    private final ArrayDeque<IoCommand> retries = new ArrayDeque<>();
    /** A command too large for the write buffer, written in parts ({@link #writePart}); null when none. */
    private IoCommand streaming;
    private long streamSent;
    private long streamTotal;
    /** While lost() collects retries: the command whose reply was half read (never resent), or null. */
    private Request replyInProgress;
    private String lastFailure = "";
    /** Why the connection is down now (null while READY): the cause a command that waited for it gets. */
    private RedisException downBecause;
    /**
     * The server refused the handshake of a reconnect (WRONGPASS after a password rotation, a removed database...):
     * retrying will not help until something changes, so commands fail at once with this instead of waiting out
     * their timeout; reconnect attempts go on in the background. Null while the handshake works.
     */
    private RedisException refusedBy;
    /** Commands recorded in the engine and not yet ended: what a pooled link must be free of before reuse. */
    int inFlight;
    /** Who holds a dedicated link: a {@link Lease} or a blocking {@link IoCommand}; null when free. */
    Object holder;
    boolean inTransaction;
    boolean watching;
    /** SELECT, HELLO, AUTH, RESET... went out on this (dedicated) link: it must not be pooled again. */
    boolean stateChanged;

    Link(RedisEndpoint endpoint, Role role, IoAgent agent) {
        this.endpoint = endpoint;
        this.role = role;
        this.agent = agent;
        this.settings = agent.settings();
        this.in = new ReadBuffer(settings.readBufferSize(), settings.maxReadBufferSize());
        this.out = new WriteBuffer(settings.writeBufferSize(), settings.maxWriteBufferSize());
        this.backoff = new Backoff(settings.reconnectMinNanos(), settings.reconnectMaxNanos(), settings.reconnectJitter());
        this.connection = new Connection(engineSettings(endpoint.uri(), endpoint.options()), this)
                // a value larger than half the largest read buffer streams through in chunks: direct memory stays
                // bounded by the buffers, not by the largest value (up to the parser's maxBulk, 512 MiB by default)
                .chunkThreshold(Math.max(1024, settings.maxReadBufferSize() / 2));
    }

    static ConnectionSettings engineSettings(RedisUri uri, ConnectionOptions options) {
        ConnectionSettings.Builder b = ConnectionSettings.builder()
                .protocol(uri.protocol())
                .database(uri.database())
                .clientName(uri.clientName())
                .limits(options.limits());
        if (options.tracking() != null) {
            b.tracking(options.tracking().toArray(new String[0]));
        }
        if (uri.password() != null) {
            if (uri.user() != null) {
                b.auth(uri.user(), uri.password());
            } else {
                b.password(uri.password());
            }
        }
        return b.build();
    }

    IoAgent runtimeAgent() {
        return agent;
    }

    boolean isReady() {
        return state == State.READY;
    }

    /** Nothing in flight and nothing waiting: a pooled link can change hands. */
    boolean isIdle() {
        return inFlight == 0 && waiting.isEmpty();
    }

    // ------------------------------------------------------------------ connecting

    void open(long now) {
        try {
            SocketAddress address = endpoint.address();
            socket = LinkSocket.open(endpoint.uri(), settings.keepAlive(), agent.selector(), this);
            state = State.CONNECTING;
            connectDeadline = now + settings.connectTimeoutNanos();
            if (socket.connect(address)) {
                connected(now);
            }
        } catch (IOException | RuntimeException e) {
            lost("cannot connect to " + endpoint.uri().address() + ": " + describe(e), e, now);
        }
    }

    private void connected(long now) throws IOException {
        if (socket.startTransport(endpoint.uri(), endpoint.options())) {
            state = State.TLS;
            continueTls(now);
        } else {
            startHandshake(now);
        }
    }

    private void continueTls(long now) throws IOException {
        if (socket.continueTls()) {
            startHandshake(now);
        }
    }

    private void startHandshake(long now) {
        if (everStarted) {
            connection.restart();
        } else {
            connection.startHandshake();
            everStarted = true;
        }
        handshakeError = null;
        live = true;
        state = State.HANDSHAKE;
        lastActivity = now;
        lastRead = now;
        writeHandshake(now);
    }

    /**
     * Writes the handshake commands the engine has queued: at the start, and again when a reply made it queue more
     * (a server that refuses HELLO gets AUTH, SETNAME and SELECT in RESP2 instead).
     */
    private void writeHandshake(long now) {
        long n = connection.encodePending(out.segment(), out.end(), out.capacity());
        if (n < 0 && out.makeRoom(-n)) {
            n = connection.encodePending(out.segment(), out.end(), out.capacity());
        }
        if (n < 0) {
            lost("the handshake does not fit the write buffer (" + -n + " bytes needed)", null, now);
            return;
        }
        if (n > 0) {
            out.advance(out.end() + n);
            markDirty();
        }
    }

    /** Called once per pass for links that are not READY: connect timeouts and reconnects that are due. */
    int maintain(long now) {
        switch (state) {
            case CONNECTING, TLS, HANDSHAKE -> {
                String plain = state == State.TLS ? socket.plainRedisInsteadOfTls(now) : null;
                if (plain != null) {
                    lost("connection to " + endpoint.uri().address() + " failed: " + plain, null, now);
                    return 1;
                }
                if (now - connectDeadline > 0) {
                    lost("connecting to " + endpoint.uri().address() + " took longer than the connect timeout of "
                            + TimeUnit.NANOSECONDS.toMillis(settings.connectTimeoutNanos()) + " ms", null, now);
                    return 1;
                }
            }
            case BACKOFF -> {
                if (now - nextAttempt >= 0) {
                    open(now);
                    return 1;
                }
            }
            default -> {
            }
        }
        return 0;
    }

    /** READY links: sends an idle PING when the server has been silent for the configured time. */
    int checkIdle(long now) {
        long idle = settings.idlePingNanos();
        if (idle == 0 || role == Role.MONITOR || inFlight > 0 || !waiting.isEmpty() || now - lastActivity < idle) {
            return 0;
        }
        if (idlePing == null) {
            idlePing = new IdlePing(this);
        }
        if (idlePing.isPending()) {
            return 0;
        }
        lastActivity = now; // one PING per idle period
        // the answer may take a while on a busy server: allow the idle period, at least 1 s, at most the command timeout
        idlePing.arm(endpoint, null, now, Math.min(Math.max(idle, 1_000_000_000L), settings.commandTimeoutNanos()));
        agent.deadlines().schedule(idlePing);
        enqueue(idlePing);
        return 1;
    }

    /**
     * READY links: drops a connection on which the server keeps sending the reply of a command that already timed
     * out without ever finishing it (a runaway or hostile reply: an endless array, a huge value). The clock starts
     * when an abandoned command is the head of the in-flight FIFO with no reply boundary since; after another
     * command timeout of the endpoint the connection is reconnected. A late reply that does end (a slow command) ends
     * the watch. A silent server is handled at expiry ({@link #expire}).
     */
    int checkRunawayReply(long now) {
        if (!connection.headAbandoned()) {
            runawayMark = -1;
            return 0;
        }
        long matched = connection.repliesMatched();
        if (runawayMark != matched) {
            runawayMark = matched; // a new abandoned head, or progress since the last look: the clock restarts
            runawaySince = now;
            return 0;
        }
        long bound = endpoint.defaultTimeoutNanos();
        if (now - runawaySince < bound) {
            return 0;
        }
        runawayMark = -1;
        lost("the server kept sending the reply of a command that had already timed out without finishing it for "
                + TimeUnit.NANOSECONDS.toMillis(now - runawaySince) + " ms (the endpoint's command timeout); every "
                + "later command on the connection would have waited behind it", null, now);
        return 1;
    }

    /** Nanoseconds until this link needs {@link #maintain} again, or Long.MAX_VALUE. */
    long nextMaintenance(long now) {
        return switch (state) {
            case CONNECTING, TLS, HANDSHAKE -> connectDeadline - now;
            case BACKOFF -> nextAttempt - now;
            default -> Long.MAX_VALUE;
        };
    }

    // ------------------------------------------------------------------ selector events

    void onSelected(SelectionKey k, long now) {
        if (!k.isValid()) {
            return;
        }
        try {
            int ready = k.readyOps();
            if ((ready & SelectionKey.OP_CONNECT) != 0) {
                if (socket.finishConnect()) {
                    connected(now);
                }
                return;
            }
            if ((ready & SelectionKey.OP_WRITE) != 0) {
                if (state == State.TLS) {
                    socket.flushHandshake();
                    continueTls(now);
                } else {
                    flush();
                }
            }
            if ((ready & SelectionKey.OP_READ) != 0 && state != State.CLOSED && state != State.BACKOFF) {
                if (state == State.TLS) {
                    continueTls(now);
                    if (state == State.TLS) {
                        return;
                    }
                }
                read(now);
            }
        } catch (IOException | RuntimeException e) {
            lost("connection to " + endpoint.uri().address() + " failed: " + describe(e), e, now);
        }
    }

    private void read(long now) throws IOException {
        for (int i = 0; i < READS_PER_PASS && (state == State.HANDSHAKE || state == State.READY); i++) {
            int n = socket.read(in.forRead());
            if (n < 0) {
                lost("the server closed the connection to " + endpoint.uri().address(), null, now);
                return;
            }
            if (n == 0) {
                return;
            }
            in.filled(n);
            lastActivity = now;
            lastRead = now;
            if (!parse(now)) {
                return;
            }
        }
        if (socket != null && socket.hasBufferedInput()) {
            agent.readAgain(this); // TLS holds decrypted bytes; no socket event will announce them
        }
    }

    /** The agent's second chance for bytes a transport buffered (see {@link #read}). */
    void readBuffered(long now) {
        if (socket == null || !socket.hasTransport() || (state != State.HANDSHAKE && state != State.READY)) {
            return;
        }
        try {
            read(now);
        } catch (IOException | RuntimeException e) {
            lost("connection to " + endpoint.uri().address() + " failed: " + describe(e), e, now);
        }
    }

    /** Feeds the unparsed bytes to the engine; false when the link died doing so. */
    private boolean parse(long now) {
        long used = connection.receive(in.segment(), in.start(), in.unparsed());
        if (used == Connection.FAILED) {
            engineFailed(now);
            return false;
        }
        if (!live) {
            return false; // an event closed the link while parsing
        }
        if (state == State.HANDSHAKE && connection.hasPendingWrites()) {
            writeHandshake(now);
        }
        if (!in.consumed(used)) {
            protocolFailed(new RedisProtocolException("a reply needs more than the maximum read buffer of "
                    + settings.maxReadBufferSize() + " bytes; raise RedisClientBuilder.readBuffer(initial, max) "
                    + "(IoSettings.Builder.readBuffer when embedding the IO layer) or the parser limits", -1), now);
            return false;
        }
        return true;
    }

    /** receive() said the engine connection is dead: a handshake refusal or a protocol error. */
    private void engineFailed(long now) {
        RedisException e = handshakeError != null ? handshakeError : connection.failure();
        live = false;
        if (handshakeError != null && !everReady && endpoint.linkFailedFirst(this, e)) {
            close(e); // the endpoint's first handshake: connect() reports it; nothing to retry
            return;
        }
        if (handshakeError != null && !passesByItself(handshakeError)) {
            refusedBy = new RedisConnectionException("not sent: reconnecting to " + endpoint.uri().address()
                    + " failed because the server refused the handshake (" + e.getMessage() + "); respin keeps "
                    + "reconnecting in the background, and commands fail at once until a handshake succeeds", false, e);
        }
        lost(e.getMessage(), e, now);
        if (refusedBy != null) {
            failWaiting(refusedBy);
        }
    }

    /** A refusal that passes by itself (a server still loading its data, busy with a script, or failing over). */
    private static boolean passesByItself(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof RedisServerException se) {
                String p = se.prefix();
                return p.equals("LOADING") || p.equals("BUSY") || p.equals("MASTERDOWN") || p.equals("TRYAGAIN");
            }
        }
        return false;
    }

    /** Why commands cannot be sent on this link now (null when it is READY or just reconnecting as usual). */
    RedisException downBecause() {
        return state == State.READY ? null : downBecause;
    }

    private void protocolFailed(RedisException e, long now) {
        lost(e.getMessage(), e, now); // every in-flight command fails, outcome unknown
    }

    // ------------------------------------------------------------------ writing

    /** Routes {@code c} to this link: encode now when possible, else keep it until the link is ready. */
    void enqueue(IoCommand c) {
        c.link = this;
        if (state == State.CLOSED) {
            agent.finish(c, new RedisConnectionException(c.name() + " was not sent: its connection to "
                    + endpoint.uri().address() + " is closed", false));
        } else if (state == State.READY && !outputBlocked && waiting.isEmpty()) {
            encode(c);
        } else if (refusedBy != null) {
            agent.finish(c, refusedBy); // hopeless for now: say why at once rather than at the deadline
        } else if (state == State.BACKOFF && settings.whenDisconnected() == IoSettings.WhenDisconnected.FAIL_FAST) {
            agent.finish(c, new RedisConnectionException(c.name() + " was not sent: the connection to "
                    + endpoint.uri().address() + " is down (" + lastFailure + ") and reconnecting; "
                    + "whenDisconnected is FAIL_FAST (RedisClientBuilder.whenDisconnected(WAIT) keeps such commands until "
                    + "the reconnect)", false));
        } else {
            c.where = IoCommand.Where.WAITING;
            waiting.add(c);
        }
    }

    /** Encodes one command, growing the write buffer if needed; false when it must wait for a flush. */
    private boolean encode(IoCommand c) {
        // counted before the call: the engine may end the command inside encode (refused, CLIENT REPLY OFF)
        c.where = IoCommand.Where.IN_FLIGHT;
        c.resendable = !inTransaction && !watching && !stateChanged;
        inFlight++;
        long n = connection.encode(c, out.segment(), out.end(), out.capacity());
        if (n == Connection.REFUSED) {
            return true; // already failed through onFailed
        }
        if (n < 0) {
            long needed = -n;
            if (out.tooLarge(needed) || needed > STREAM_ABOVE && !connection.hasPendingWrites()) {
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
                inFlight--;
                agent.finish(c, new RedisConnectionException(c.name() + " was not sent: "
                        + noDirectMemory.getMessage(), false, noDirectMemory.getCause()));
                return true;
            }
            if (!room) {
                inFlight--;
                outputBlocked = true;
                c.where = IoCommand.Where.WAITING;
                waiting.addFirst(c);
                return false;
            }
            n = connection.encode(c, out.segment(), out.end(), out.capacity());
            if (n == Connection.REFUSED) {
                return true;
            }
            if (n < 0) {
                throw new IllegalStateException("encoder asked for " + needed + " bytes, then for " + -n);
            }
        }
        out.advance(out.end() + n);
        track(c.kind());
        markDirty();
        return true;
    }

    /**
     * Writes the next part of {@link #streaming} into the write buffer, when it is empty (parts follow each other
     * with no other bytes between them). False when the command is not all in the buffer yet.
     */
    private boolean writePart() {
        IoCommand c = streaming;
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
        long n = connection.encodePart(c, out.segment(), out.end(), out.end() + room, streamSent);
        if (n == Connection.REFUSED) {
            streaming = null; // failed through onFailed, nothing written
            outputBlocked = false;
            return true;
        }
        if (streamSent == 0) {
            streamTotal = connection.partLength(); // exact, without handshake bytes
            track(c.kind());
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
    boolean isStreaming(IoCommand c) {
        return c == streaming && streamSent > 0;
    }

    private void track(CommandKind k) {
        switch (k) {
            case MULTI -> inTransaction = true;
            case WATCH -> watching = true;
            case UNWATCH -> watching = false;
            case EXEC, DISCARD -> {
                inTransaction = false;
                watching = false;
            }
            case SELECT, HELLO, AUTH, RESET, QUIT, CLIENT_REPLY_OFF, CLIENT_REPLY_SKIP, CLIENT_REPLY_ON -> stateChanged = true;
            default -> {
            }
        }
    }

    private void drainWaiting() {
        IoCommand c;
        while (state == State.READY && !outputBlocked && (c = waiting.poll()) != null) {
            if (!encode(c)) {
                return;
            }
        }
    }

    private void markDirty() {
        if (!dirty) {
            dirty = true;
            agent.dirty(this);
        }
    }

    /** Writes what is encoded: as much as the socket takes now; the rest waits for OP_WRITE. */
    int flush() throws IOException {
        dirty = false;
        if (socket == null || !socket.hasTransport() || state == State.CLOSED || state == State.BACKOFF) {
            return 0;
        }
        int total = 0;
        if (!socket.flushPending()) {
            return 0;
        }
        while (true) {
            while (!out.isEmpty()) {
                int n = socket.write(out.forWrite());
                if (n <= 0) {
                    break;
                }
                out.written(n);
                total += n;
                agent.socketWrites++;
            }
            if (streaming != null && out.isEmpty() && !socket.hasPendingOutput()) {
                writePart(); // the next part of a streamed command
                continue;
            }
            break;
        }
        boolean pending = !out.isEmpty() || socket.hasPendingOutput();
        if (!pending && outputBlocked) {
            outputBlocked = false;
            drainWaiting();
            if (!out.isEmpty()) {
                return total + flush();
            }
        }
        socket.watchWrites(pending);
        return total;
    }

    /** True when the link is ready and everything encoded has gone to the socket (nothing waits for OP_WRITE). */
    boolean sentEverything() {
        return state == State.READY && out.isEmpty() && !outputBlocked && waiting.isEmpty()
                && socket != null && !socket.hasPendingOutput();
    }

    /** Flush from the agent's dirty list, turning IO errors into a lost connection. */
    int flushSafely(long now) {
        try {
            return flush();
        } catch (IOException | RuntimeException e) {
            lost("writing to " + endpoint.uri().address() + " failed: " + describe(e), e, now);
            return 1;
        }
    }

    // ------------------------------------------------------------------ engine events

    @Override
    public void onReply(Request r) {
        if (r instanceof IoCommand c) {
            ended(c);
            Object h = holder;
            c.complete();
            afterEnd(h);
        }
    }

    @Override
    public void onServerError(Request r, RedisServerException error) {
        if (r instanceof IoCommand c) {
            ended(c);
            Object h = holder;
            c.fail(error);
            afterEnd(h);
        }
    }

    @Override
    public void onFailed(Request r, RedisException error) {
        if (r instanceof IoCommand c) {
            if (collectingRetries && c.resends == 0 && c.resendable && c != replyInProgress && c.idempotent()) {
                inFlight--; // keeps its deadline; goes out once more after the reconnect
                c.resends++;
                retries.add(c);
                return;
            }
            ended(c);
            Object h = holder;
            c.fail(error);
            afterEnd(h);
        }
    }

    private void ended(IoCommand c) {
        agent.deadlines().cancel(c);
        inFlight--;
    }

    private void afterEnd(Object heldBy) {
        if (failingInFlight) {
            // inside lost(): the engine is failing what was in flight on a dying socket. Handing the link on now would
            // encode a never-sent waiter into that dead engine and fail it; lost() hands it on once in BACKOFF
            return;
        }
        if (role == Role.DEDICATED && heldBy instanceof IoCommand && inFlight == 0) {
            endpoint.release(this); // a blocking command ended: the link goes back to the pool
        } else if (role == Role.DEDICATED && heldBy instanceof Lease l && l.closed && inFlight == 0 && waiting.isEmpty()) {
            endpoint.release(this);
        }
    }

    @Override
    public void onPush(Reply push) {
        endpoint.pushes.push(push); // to the push thread, never the completion queue; dropped and counted when full
    }

    @Override
    public void onMonitor(String line) {
        endpoint.pushes.monitor(line);
    }

    @Override
    public void onReady(HandshakeResult result) {
        state = State.READY;
        refusedBy = null;
        downBecause = null;
        backoff.reset();
        boolean first = !everReady;
        everReady = true;
        endpoint.linkReady(this, first);
        drainWaiting();
    }

    @Override
    public void onHandshakeFailed(RedisException error) {
        // acted on when receive() returns FAILED (or by lost(), which caused it)
        handshakeError = error;
    }

    // ------------------------------------------------------------------ failure

    /** The socket is gone: fail what was written, keep what was not (by setting), and schedule a reconnect. */
    void lost(String why, Throwable cause, long now) {
        if (state == State.CLOSED) {
            return;
        }
        lastFailure = why;
        downBecause = cause instanceof RedisException re ? re : new RedisConnectionException(why, false, cause);
        closeSocket();
        if (live) {
            live = false;
            collectingRetries = settings.retryIdempotent();
            replyInProgress = collectingRetries ? connection.replyInProgress() : null;
            failingInFlight = true;
            try {
                connection.fail(why);
            } finally {
                failingInFlight = false;
                collectingRetries = false;
                replyInProgress = null;
            }
            IoCommand r;
            while ((r = retries.pollLast()) != null) {
                r.where = IoCommand.Where.WAITING; // ahead of what never went out, in their original order
                r.onResend();
                endpoint.runtime().resent();
                waiting.addFirst(r);
            }
        }
        in.clear();
        out.clear();
        outputBlocked = false;
        streaming = null; // in flight in the engine: it failed (or is resent) with the rest
        if (!everReady) {
            RedisConnectionException e = new RedisConnectionException(why, false, cause);
            if (endpoint.linkFailedFirst(this, e)) {
                close(e);
                return;
            }
        }
        state = State.BACKOFF;
        nextAttempt = now + backoff.next();
        if (settings.whenDisconnected() == IoSettings.WhenDisconnected.FAIL_FAST) {
            failWaiting(new RedisConnectionException("not sent: " + why + " (whenDisconnected is FAIL_FAST; "
                    + "RedisClientBuilder.whenDisconnected(WAIT) keeps such commands until the reconnect)",
                    false, cause));
        }
        if (role == Role.SUBSCRIBER || role == Role.MONITOR) {
            endpoint.pushes.disconnected(why, cause); // a notice, not a queue entry: it cannot be dropped
        }
        if (role == Role.DEDICATED && (holder instanceof IoCommand
                || holder instanceof Lease l && l.closed && inFlight == 0 && waiting.isEmpty())) {
            endpoint.release(this); // a waiter for a pooled link now waits here, in BACKOFF, for the reconnect
        }
    }

    /** Ends the link for good: everything pending on it fails with {@code why}. */
    void close(RedisException why) {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        closeSocket();
        streaming = null;
        if (live) {
            live = false;
            connection.fail(why.getMessage());
        }
        failWaiting(why instanceof RedisConnectionException rce && !rce.outcomeUnknown() ? rce
                : new RedisConnectionException(why.getMessage() + "; the command was not sent", false, why));
    }

    private void failWaiting(RedisException e) {
        IoCommand c;
        while ((c = waiting.poll()) != null) {
            agent.finish(c, e);
        }
    }

    private void closeSocket() {
        if (socket != null) {
            socket.close();
            socket = null;
        }
    }

    /** A deadline passed: take the command out of wherever it is and fail it. */
    void expire(IoCommand c, RedisException timeout) {
        end(c, timeout, true);
    }

    /**
     * Ends {@code c} early — its deadline passed ({@code timedOut}), or its caller cancelled it or was interrupted —
     * wherever it is on this link: a waiting command is dropped unsent; one in flight is abandoned (its reply, when
     * it comes, is parsed and discarded); a blocking command in flight takes its dedicated socket with it, so that
     * the server stops blocking for it (and pops nothing for nobody).
     */
    void end(IoCommand c, RedisException why, boolean timedOut) {
        long now = System.nanoTime();
        // not one byte from the server during the command's whole wait: the socket is presumed dead (no FIN came)
        boolean silent = timedOut && c.where == IoCommand.Where.IN_FLIGHT && now - lastRead >= c.effectiveTimeoutNanos();
        RedisException timeout = why;
        if (c.where == IoCommand.Where.WAITING) {
            waiting.remove(c);
        } else if (c.where == IoCommand.Where.IN_FLIGHT) {
            connection.abandon(c);
            inFlight--;
            if (c == streaming && streamSent == 0) {
                streaming = null; // not one byte of it was written: it ends unsent
                markDirty(); // the flush unblocks the output
            } else if (c == streaming) {
                // part of it is on the wire and the rest cannot be written for an object the caller may now reuse:
                // close the connection, so that the server never runs half a command
                streaming = null;
                agent.finish(c, timeout);
                lost(c.name() + (timedOut ? " timed out" : " was cancelled") + " while its value was being written; "
                        + "the connection is closed so that the half-written command never runs", null, now);
                return;
            }
            if (role == Role.DEDICATED && holder == c) {
                // a blocking command still blocks on the server: this socket cannot be reused, so drop it
                agent.finish(c, timeout);
                lost("the blocking command " + c.name() + (timedOut ? " timed out" : " was cancelled")
                        + "; its connection is closed so that the server stops blocking for it", null, now);
                return;
            }
        }
        Object h = holder;
        agent.finish(c, timeout);
        afterEnd(h);
        if (silent && (state == State.READY || state == State.HANDSHAKE)) {
            // reconnecting also frees the engine of abandoned requests whose replies would never come
            lost("the server sent nothing for " + TimeUnit.NANOSECONDS.toMillis(now - lastRead) + " ms while "
                    + c.name() + " waited for its reply; the connection is presumed dead", null, now);
        }
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        if (e instanceof RedisException && m != null) {
            return m; // our own words, already saying what happened
        }
        return m == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + m;
    }
}
