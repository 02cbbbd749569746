package io.respin.io.loop;

import io.respin.io.log.Log;
import io.respin.RedisConnectionException;
import io.respin.RedisException;
import io.respin.RedisProtocolException;
import io.respin.RedisServerException;
import io.respin.engine.connection.Connection;
import io.respin.engine.resp.RespType;
import io.respin.io.buffer.ReadBuffer;
import io.respin.io.net.LinkSocket;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Locale;
import java.lang.foreign.ValueLayout;
import java.nio.channels.SelectionKey;
import java.util.concurrent.TimeUnit;

/**
 * One socket to the server and the engine connection that gives its bytes meaning, driven by the IO thread. This
 * file is the link's life — connect, TLS, handshake, reads, maintenance, failure and reconnect; what it writes goes
 * through its {@link LinkWriter}, what the engine reports comes back through its {@link LinkEvents}, and a
 * dedicated link changes hands through its endpoint's {@link DedicatedPool}.
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
 * pass while the IO thread sleeps (see {@link Duty}); a link never changes hands in the middle of a call.
 */
final class Link {

    enum Role { SHARED, DEDICATED, SUBSCRIBER, MONITOR }

    enum State { NEW, CONNECTING, TLS, HANDSHAKE, READY, BACKOFF, CLOSED }

    /** Socket reads per pass, so that one busy connection cannot starve the others. */
    private static final int READS_PER_PASS = 8;

    final Endpoint endpoint;
    final Role role;
    final IoAgent agent;
    final Tuning settings;
    private final ReadBuffer in;
    final LinkWriter writer;
    final LinkEvents events;
    final Backoff backoff;
    /** Losses and failed connects since the link was last READY (the attempts a reconnect took). */
    int failedAttempts;
    /** Times the link became READY again after a loss (for status()). */
    int reconnects;
    /** The engine's view of this link; one for the link's life, restarted on every new socket (it remembers and
     *  re-issues subscriptions itself, and what the sent commands did to the session: see {@link #sessionChanged}). */
    final Connection connection;

    State state = State.NEW;
    /** The current socket; null while there is none (before the first connect, in BACKOFF, once CLOSED). */
    LinkSocket socket;
    /** True between a new socket's handshake start and the socket's loss: the engine may be fed. */
    private boolean live;
    RedisException handshakeError;
    private long connectDeadline;
    /** When a BACKOFF link reconnects (package-private: tests read it on the IO thread). */
    long nextAttempt;
    long lastActivity;
    /** When the server last sent a byte (or the socket opened). */
    long lastRead;
    boolean everReady;
    private boolean everStarted;
    /** The idle PING and the runaway-reply watch of this READY link. */
    final Liveness liveness = new Liveness(this);
    /** Whether the current socket's first byte came, and whether it could not start a RESP reply. */
    private boolean heard;
    private boolean notResp;
    String lastFailure = "";
    /** Why the connection is down now (null while READY): the cause a command that waited for it gets. */
    RedisException downBecause;
    /**
     * The server refused the handshake of a reconnect (WRONGPASS after a password rotation, a removed database...):
     * retrying will not help until something changes, so commands fail at once with this instead of waiting out
     * their timeout; reconnect attempts go on in the background. Null while the handshake works.
     */
    RedisException refusedBy;
    /** True while {@link #moved} drops the socket. */
    private boolean moving;
    /** Commands recorded in the engine and not yet ended: what a pooled link must be free of before reuse. */
    int inFlight;
    /** Who holds a dedicated link: a {@link Lease} or a blocking command ({@link Submission}); null when free. */
    Object holder;

    Link(Endpoint endpoint, Role role, IoAgent agent) {
        this.endpoint = endpoint;
        this.role = role;
        this.agent = agent;
        this.settings = agent.settings();
        this.in = new ReadBuffer(settings.readBufferSize(), settings.maxReadBufferSize());
        this.writer = new LinkWriter(this);
        this.events = new LinkEvents(this);
        this.backoff = new Backoff(settings.reconnectMinNanos(), settings.reconnectMaxNanos(), settings.reconnectJitter());
        // only the shared link tracks: a cache keeps only its reads, and another link's invalidations would be noise
        this.connection = new Connection(role == Role.SHARED ? endpoint.target().engine()
                : endpoint.target().engine().withoutTracking(), events)
                // a value larger than half the largest read buffer streams through in chunks: direct memory stays
                // bounded by the buffers, not by the largest value (up to the parser's maxBulk, 512 MiB by default)
                .chunkThreshold(Math.max(1024, settings.maxReadBufferSize() / 2));
    }

    boolean isReady() {
        return state == State.READY;
    }

    /** Nothing in flight and nothing waiting: a pooled link can change hands. */
    boolean isIdle() {
        return inFlight == 0 && !writer.hasWaiting();
    }

    /**
     * MULTI or WATCH is open, or SELECT, HELLO, AUTH, RESET... went out on this link (the engine keeps count): it
     * must not be handed to another caller, and what it sends is not resent after a loss.
     */
    boolean sessionChanged() {
        return connection.inTransaction() || connection.watching() || connection.stateChanged();
    }

    String address() {
        return endpoint.target().address();
    }

    /** What the link is doing now, copied for {@code status()} (duty holder). */
    LinkStatus status() {
        String phase = state == State.READY ? "READY" : state == State.CLOSED ? "CLOSED"
                : everReady ? "RECONNECTING" : "CONNECTING";
        return new LinkStatus(role.ordinal(), phase, inFlight, reconnects, failedAttempts,
                lastFailure.isEmpty() ? null : lastFailure, refusedBy != null);
    }

    // ------------------------------------------------------------------ connecting

    void open(long now) {
        try {
            socket = LinkSocket.open(endpoint.target().unix(), settings.keepAlive(), agent.selector(), this);
            state = State.CONNECTING;
            connectDeadline = now + settings.connectTimeoutNanos();
            if (socket.connect(endpoint.target().socket())) {
                connected(now);
            }
        } catch (IOException | RuntimeException e) {
            lost("cannot connect to " + address() + ": " + describe(e), e, now);
        }
    }

    private void connected(long now) throws IOException {
        if (socket.startTransport(endpoint.target().tls())) {
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
        heard = false;
        notResp = false;
        state = State.HANDSHAKE;
        lastActivity = now;
        lastRead = now;
        writer.writeHandshake(now);
    }

    /** Called once per pass for links that are not READY: connect timeouts and reconnects that are due. */
    int maintain(long now) {
        switch (state) {
            case CONNECTING, TLS, HANDSHAKE -> {
                String plain = state == State.TLS ? socket.plainRedisInsteadOfTls(now) : null;
                if (plain != null) {
                    lost("connection to " + address() + " failed: " + plain, null, now);
                    return 1;
                }
                if (now - connectDeadline > 0) {
                    lost("connecting to " + address() + " took longer than the connect timeout of "
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
                    writer.flush();
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
            lost("connection to " + address() + " failed: " + describe(e), e, now);
        }
    }

    private void read(long now) throws IOException {
        for (int i = 0; i < READS_PER_PASS && (state == State.HANDSHAKE || state == State.READY); i++) {
            ByteBuffer into = in.forRead();
            int room = into.remaining();
            int n = socket.read(into);
            if (n < 0) {
                lost("the server closed the connection to " + address(), null, now);
                return;
            }
            if (n == 0) {
                agent.emptyReads++;
                return;
            }
            if (!heard) {
                heard = true;
                notResp = RespType.ofMarker(in.segment().get(ValueLayout.JAVA_BYTE, in.start())) == null;
            }
            in.filled(n);
            // the clock of this read: the replies it brought end at it (Submission.complete), and a pass's clock
            // may be older than a command it wrote before reading
            now = System.nanoTime();
            agent.now = now;
            lastActivity = now;
            lastRead = now;
            if (!parse(now)) {
                return;
            }
            if (n < room) {
                // the socket had less than the room: it is drained, and another read would only return 0 (a
                // system call per reply). The selector is level-triggered: bytes that come later wake it again.
                break;
            }
        }
        if (socket != null && socket.hasBufferedInput()) {
            agent.readAgain(this); // TLS holds decrypted bytes; no socket event will announce them
        }
    }

    /**
     * Duty-confined: whether the last command a submitter sent on this link itself had its caller waiting (sync).
     * Only such a link is left unwatched: an async caller's reply must wake the IO thread, and unwatching its link
     * would cost a second wake-up to watch it again.
     */
    boolean callerWaitedLast = true;

    /**
     * Whether the IO thread may stop watching this link's reads while the runtime sleeps idle (see
     * {@link Duty#sleep}): a ready, idle shared plain-TCP link (nothing in flight, not even a command without a
     * deadline), without client tracking — so that nothing arrives unasked that matters before the next command (a
     * close or a stray push is read at the latest when the link is watched again, {@link IoAgent#UNWATCHED_FOR_NANOS}
     * after its last reply, or by the next submitter's pass, before it writes) — last used by a waiting caller. A push
     * listener does not keep it watched: the typed clients always set one (their subscriptions' router), but
     * subscriptions and MONITOR never live on the shared link (the endpoint sends them to its subscriber and monitor
     * links, which stay watched), so the shared link hears no push; its mode is checked all the same.
     */
    boolean mayUnwatch() {
        return role == Role.SHARED && state == State.READY && socket != null && endpoint.target().tls() == null
                && endpoint.target().engine().tracking() == null
                && (endpoint.target().listener() == null || connection.mode() == Connection.Mode.NORMAL)
                && !moving && isIdle() && callerWaitedLast;
    }

    /** The agent's second chance for bytes a transport buffered (see {@link #read}). */
    void readBuffered(long now) {
        if (socket == null || !socket.hasTransport() || (state != State.HANDSHAKE && state != State.READY)) {
            return;
        }
        try {
            read(now);
        } catch (IOException | RuntimeException e) {
            lost("connection to " + address() + " failed: " + describe(e), e, now);
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
            writer.writeHandshake(now);
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
        if (notResp && state == State.HANDSHAKE && connection.failure() instanceof RedisProtocolException p) {
            // the first byte starts no RESP value: an HTTP server, an SSH daemon... the parser's words alone mislead
            e = new RedisConnectionException("the server at " + address() + " did not answer in RESP; is it a Redis "
                    + "server (and the right port)? " + p.getMessage(), false, p);
        }
        live = false;
        if (handshakeError != null && !everReady && endpoint.linkFailedFirst(this, e)) {
            close(e); // the endpoint's first handshake: connect() reports it; nothing to retry
            return;
        }
        if (handshakeError != null && !passesByItself(handshakeError)) {
            if (refusedBy == null) {
                Log.CONNECTION.log(System.Logger.Level.WARNING, "respin: " + address() + " refused the handshake of a "
                        + "reconnect: " + e.getMessage() + "; commands fail at once until a handshake succeeds");
            }
            refusedBy = new RedisConnectionException("not sent: reconnecting to " + address()
                    + " failed because the server refused the handshake (" + e.getMessage() + "); respin keeps "
                    + "reconnecting in the background, and commands fail at once until a handshake succeeds", false, e);
        }
        lost(e.getMessage(), e, now);
        if (refusedBy != null) {
            writer.failWaiting(refusedBy);
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

    // ------------------------------------------------------------------ failure

    /** The socket is gone: fail what was written, keep what was not (by setting), and schedule a reconnect. */
    void lost(String why, Throwable cause, long now) {
        if (state == State.CLOSED) {
            return;
        }
        if ((state == State.READY || everReady) && role == Role.SHARED && !moving && endpoint.target().watch() != null) {
            endpoint.target().watch().lost(address(), cause instanceof RedisConnectionException rce ? rce
                    : new RedisConnectionException(why, true, cause));
        }
        if (state == State.READY) {
            // a move was asked for (and is logged by whoever asked): not a warning
            Log.CONNECTION.log(moving ? System.Logger.Level.INFO : System.Logger.Level.WARNING, () -> "respin: "
                    + role.name().toLowerCase(Locale.ROOT)
                    + " connection to " + address() + " lost: " + why + "; reconnecting");
        } else if (Log.CONNECTION.isLoggable(System.Logger.Level.DEBUG)) {
            Log.CONNECTION.log(System.Logger.Level.DEBUG, "respin: connecting to " + address() + " failed (attempt "
                    + (failedAttempts + 1) + "): " + why);
        }
        boolean wasReady = state == State.READY;
        failedAttempts++;
        lastFailure = why;
        downBecause = cause instanceof RedisException re ? re : new RedisConnectionException(why, false, cause);
        Probe probe = endpoint.loop().probe;
        if (wasReady && probe != null) {
            probe.linkDown(endpoint, role.ordinal(), downBecause);
        }
        closeSocket();
        if (live) {
            live = false;
            events.failInFlight(why, settings.retryIdempotent());
        }
        untracked();
        in.clear();
        writer.clear(); // a streamed command is in flight in the engine: it failed (or is resent) with the rest
        if (!everReady) {
            RedisConnectionException e = new RedisConnectionException(why, false, cause);
            if (endpoint.linkFailedFirst(this, e)) {
                close(e);
                return;
            }
        }
        state = State.BACKOFF;
        nextAttempt = now + backoff.next();
        agent.maintainBy(nextAttempt); // the reconnect is due then, not at the next 100 ms maintenance tick
        if (settings.failFastWhenDisconnected()) {
            writer.failWaiting(new RedisConnectionException("not sent: " + why + " (whenDisconnected is FAIL_FAST; "
                    + "RedisClientBuilder.whenDisconnected(WAIT) keeps such commands until the reconnect)",
                    false, cause));
        }
        if (role == Role.SUBSCRIBER || role == Role.MONITOR) {
            endpoint.pushes.disconnected(why, cause); // a notice, not a queue entry: it cannot be dropped
        }
        endpoint.pool().lost(this); // a waiter for a pooled link now waits here, in BACKOFF, for the reconnect
    }

    /** The endpoint now names another server: drop this socket (if any) and connect there without waiting. */
    void moved(String from, String to, long now) {
        switch (state) {
            case NEW, CLOSED -> {
            }
            case BACKOFF -> nextAttempt = now;
            default -> {
                moving = true; // the layer that moved it knows: no lost() notice for this one
                try {
                    lost("the server moved from " + from + " to " + to, null, now);
                } finally {
                    moving = false;
                }
                backoff.reset();
                nextAttempt = now;
            }
        }
        if (state == State.BACKOFF) {
            // the agent's maintenance (which opens BACKOFF links) may be up to 100 ms away: make it this pass, after
            // the endpoint names the new server — else the failover gap grows by that wait
            agent.maintainBy(now);
        }
    }

    /** Ends the link for good: everything pending on it fails with {@code why}. */
    void close(RedisException why) {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        closeSocket();
        writer.stopStreaming();
        if (live) {
            live = false;
            connection.fail(why.getMessage());
        }
        untracked();
        writer.failWaiting(why instanceof RedisConnectionException rce && !rce.outcomeUnknown() ? rce
                : new RedisConnectionException(why.getMessage() + "; the command was not sent", false, why));
    }

    /** The shared link's tracking is gone with its socket: the endpoint's cache (if any) forgets what it held. */
    private void untracked() {
        LinkCache cache = events.cacheHook();
        if (cache != null) {
            cache.disconnected();
        }
    }

    private void closeSocket() {
        if (socket != null) {
            socket.close();
            socket = null;
        }
    }

    /** A deadline passed: take the command out of wherever it is and fail it. */
    void expire(Submission c, RedisException timeout) {
        end(c, timeout, true);
    }

    /**
     * Ends {@code c} early — its deadline passed ({@code timedOut}), or its caller cancelled it or was interrupted —
     * wherever it is on this link: a waiting command is dropped unsent; one in flight is abandoned (its reply, when
     * it comes, is parsed and discarded); a blocking command in flight takes its dedicated socket with it, so that
     * the server stops blocking for it (and pops nothing for nobody).
     */
    void end(Submission c, RedisException why, boolean timedOut) {
        long now = System.nanoTime();
        // not one byte from the server during the command's whole wait: the socket is presumed dead (no FIN came)
        boolean silent = timedOut && c.where == Submission.Where.IN_FLIGHT && now - lastRead >= c.effectiveTimeoutNanos();
        RedisException timeout = why;
        if (c.where == Submission.Where.WAITING) {
            writer.remove(c);
        } else if (c.where == Submission.Where.IN_FLIGHT) {
            connection.abandon(c);
            inFlight--;
            if (writer.isStreamed(c)) {
                if (writer.stopStreaming()) {
                    // part of it is on the wire and the rest cannot be written for an object the caller may now
                    // reuse: close the connection, so that the server never runs half a command
                    agent.finish(c, timeout);
                    lost(c.name() + (timedOut ? " timed out" : " was cancelled") + " while its value was being "
                            + "written; the connection is closed so that the half-written command never runs", null, now);
                    return;
                }
                writer.markDirty(); // not one byte of it was written: it ends unsent, and the flush unblocks the output
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
        events.afterEnd(h);
        if (silent && (state == State.READY || state == State.HANDSHAKE)) {
            // reconnecting also frees the engine of abandoned requests whose replies would never come
            lost("the server sent nothing for " + TimeUnit.NANOSECONDS.toMillis(now - lastRead) + " ms while "
                    + c.name() + " waited for its reply; the connection is presumed dead", null, now);
        }
    }

    static String describe(Throwable e) {
        String m = e.getMessage();
        if (e instanceof RedisException && m != null) {
            return m; // our own words, already saying what happened
        }
        return m == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + m;
    }
}
