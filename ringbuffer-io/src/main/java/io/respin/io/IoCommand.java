package io.respin.io;

import io.respin.RedisCancelledException;
import io.respin.RedisException;
import io.respin.engine.connection.Request;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;

/**
 * One command on its way through an {@link IoRuntime}: the engine {@link Request} (how to encode it, where its
 * reply's tokens go) plus what the transport needs — a deadline and a completion. Clients subclass it once per
 * command shape; most will extend {@link SyncCommand} (the caller waits) or {@link AsyncCommand} (callbacks on
 * the completion thread) instead of this class.
 *
 * <p>Life: {@link RedisEndpoint#submit} stamps the deadline and queues it; the IO thread encodes it, reads its
 * reply into {@link #replyHandler()}, and then calls exactly once either {@link #completed()} or
 * {@link #failed(RedisException)} — on the thread that holds the IO duty: the IO thread, or a submitting thread that
 * sent and read commands itself while the IO thread slept (so possibly another caller's thread), or, after a close,
 * the closing thread. Those two methods must only publish the outcome (a volatile
 * write and an unpark, or a hand-off to a queue): anything slow there stalls every connection of the runtime.
 * After the call the command may be submitted again (reuse is allowed, never while it is pending).
 *
 * <pre>{@code
 * final class Incr extends SyncCommand {
 *     final byte[] key; long value;
 *     final RespHandler handler = new RespHandler.Adapter() {
 *         @Override public void onInteger(long v) { value = v; }
 *     };
 *     Incr(byte[] key) { this.key = key; }
 *     public void encode(RespWriter w) { w.array(2).arg("INCR").arg(key); }
 *     public RespHandler replyHandler() { return handler; }
 *     public CommandKind kind() { return CommandKind.PLAIN; }
 * }
 * Incr incr = new Incr(key);
 * endpoint.submit(incr);
 * incr.await();              // returns or throws the RedisException
 * }</pre>
 */
public abstract class IoCommand implements Request {

    static final int IDLE = 0;
    static final int PENDING = 1;

    private static final VarHandle PHASE;

    static {
        try {
            PHASE = MethodHandles.lookup().findVarHandle(IoCommand.class, "phase", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Any thread: IDLE or PENDING; the CAS in arm() makes a command pending, detach() idle again. */
    @SuppressWarnings("unused") // accessed through PHASE
    private volatile int phase;
    // The caller's: set before submit (timeout) or by arm() on the submitting thread; read-only while pending.
    private long timeoutNanos = -1;
    /** A deadline so far away it never comes (~146 years), for blocking commands that block without limit. */
    static final long UNBOUNDED_NANOS = Long.MAX_VALUE / 2;
    /** This submission has no deadline (a blocking command with block time 0): no timer is set for it. */
    boolean unbounded;
    private long deadlineNanos;
    private long submittedNanos;

    // Written by the submitter in arm() and published by the queue's offer; from then until the command ends they
    // belong to the duty holder (the IO thread, or a submitter during its pass). Callers never read them.
    RedisEndpoint endpoint;
    Lease lease;
    Link link;
    long timerId = Deadlines.NO_TIMER;
    /** Where the command is: see {@link Where}. */
    int where;
    /** Holds one of the runtime's maxPendingCommands places: set by the submitter before the offer, cleared at the end. */
    boolean counted;
    /** The bytes of maxPendingBytes this submission holds (its weight when it was admitted). */
    long heldBytes;
    /** A cancel reached the IO thread while the command was still in the submit queue (IO thread). */
    boolean cancelRequested;
    /** Times this submission was sent again after a connection loss (at most once: {@link Link#onFailed}). */
    int resends;
    /**
     * Encoded outside MULTI and WATCH, on a link whose state (SELECT, HELLO...) is the URI's: sending it again on a
     * new connection would mean the same thing. Set at encode (duty holder).
     */
    boolean resendable;
    /** Submissions so far: written by the submitter before the command is published, read by a canceller. */
    private int generation;

    protected IoCommand() {
    }

    /** Overrides the runtime's default timeout for this command (from submit to reply). */
    public final IoCommand timeout(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be > 0, got " + timeout);
        }
        this.timeoutNanos = timeout.toNanos();
        return this;
    }

    /** Back to the runtime's (or endpoint's) default timeout: for command objects reused across calls. */
    public final IoCommand defaultTimeout() {
        this.timeoutNanos = -1;
        return this;
    }

    /** The timeout set on this command, or -1 when it uses the runtime's default. */
    public final long timeoutNanos() {
        return timeoutNanos;
    }

    /** {@code System.nanoTime()} by which the command ends, set at submit. */
    public final long deadlineNanos() {
        return deadlineNanos;
    }

    /** True from submit until the IO thread has called {@code completed} or {@code failed}. */
    public final boolean isPending() {
        return (int) PHASE.getVolatile(this) == PENDING;
    }

    /** How messages name the command, e.g. "GET" (default: the class's simple name). */
    public String name() {
        return getClass().getSimpleName();
    }

    /**
     * True for commands that block on the server (BLPOP, BRPOP, BLMOVE, BZPOPMIN, XREAD BLOCK, WAIT...): the
     * runtime sends them on a dedicated connection so they never hold up the shared pipeline.
     */
    public boolean blocking() {
        return false;
    }

    /**
     * True for commands that may safely run twice (reads: GET, HGETALL, ...; the clients answer from the server's
     * {@code readonly} flag, {@code Command.isReadOnly()}). With {@link IoSettings.Builder#retryIdempotent(boolean)}
     * on (the default), such a command that was written on a connection that then dropped is sent once more after
     * the reconnect, within its deadline, instead of failing with an unknown outcome — unless part of its reply had
     * been read, or it went out inside MULTI or after WATCH, or on a dedicated connection whose state a SELECT or
     * HELLO changed (the new connection would not mean the same). Default false: never resent.
     */
    public boolean idempotent() {
        return false;
    }

    /**
     * Called on the duty holder just before an {@link #idempotent()} command is sent again after a connection loss:
     * forget any per-send state here. The reply handler has seen no token of a reply (a command whose reply had begun
     * to arrive is not resent).
     */
    protected void onResend() {
    }

    /**
     * For a {@link #blocking()} command, how long the server may block for it: its deadline is then this block time
     * plus the command timeout, and {@code 0} (block until there is something to return) means no deadline at all —
     * it ends with its reply, a cancel, a close or a connection loss. {@code -1} (the default): not known, the
     * command timeout alone applies.
     */
    public long blockNanos() {
        return -1;
    }

    /**
     * Roughly the bytes of argument values the command holds until it ends (a SET's value...), counted against
     * {@link IoSettings#maxPendingBytes()}; read once, at submit. Default 0: small arguments, counted by number only.
     */
    public long weight() {
        return 0;
    }

    /** The reply has been delivered to {@link #replyHandler()}. Runs on the duty holder: publish and return. */
    protected abstract void completed();

    /** The command ended without a reply; {@code error} says why. Runs on the duty holder: publish and return. */
    protected abstract void failed(RedisException error);

    /**
     * Called on the submitting thread each time the command is submitted, before the IO thread sees it: reset
     * per-call state here when command objects are reused.
     */
    protected void onSubmit() {
    }

    /** Resets the completion mechanism of {@link SyncCommand} / {@link AsyncCommand}. */
    void prepare() {
    }

    /**
     * Asks the runtime to end this command now, if it is still pending; returns false when it is not. Not sent
     * yet: it fails unsent. In flight: it fails at once and its reply, when it comes, is discarded (the command may
     * have run). A blocking command in flight (BLPOP...) also closes its dedicated connection, so that the server
     * stops blocking for it and pops nothing for nobody. It ends with {@link RedisCancelledException} through
     * {@link #failed}, on the IO thread, like any other outcome; from any thread, asynchronously.
     */
    public final boolean cancel() {
        if (!isPending()) { // the volatile read orders the reads below after the submit's writes
            return false;
        }
        RedisEndpoint e = endpoint;
        if (e == null) {
            return false;
        }
        e.runtime().cancel(this, generation);
        return true;
    }

    /** Which submission of this object is pending (a cancel must not hit a later one). */
    final int generation() {
        return generation;
    }

    final void arm(RedisEndpoint endpoint, Lease lease, long now, long defaultTimeoutNanos) {
        generation++; // before the CAS: a canceller that sees PENDING sees this submission's number
        if (!PHASE.compareAndSet(this, IDLE, PENDING)) {
            throw new IllegalStateException(name() + " is already pending; wait for it to complete before reusing it");
        }
        prepare();
        onSubmit();
        this.endpoint = endpoint;
        this.lease = lease;
        this.submittedNanos = now;
        long t = timeoutNanos > 0 ? timeoutNanos : defaultTimeoutNanos;
        long block = blocking() ? blockNanos() : -1;
        this.unbounded = block == 0;
        this.deadlineNanos = block == 0 ? now + UNBOUNDED_NANOS : now + t + Math.max(block, 0);
        this.where = Where.SUBMIT_QUEUE;
        this.resends = 0;
    }

    /** Undo {@link #arm} when the submit queue refused the command (the caller gets an exception instead). */
    final void disarm() {
        counted = false;
        heldBytes = 0;
        endpoint = null;
        lease = null;
        PHASE.setVolatile(this, IDLE);
    }

    final long effectiveTimeoutNanos() {
        return deadlineNanos - submittedNanos;
    }

    /** Duty holder: the reply is in; detach and tell the subclass. */
    final void complete() {
        detach();
        try {
            completed();
        } catch (RuntimeException | Error e) {
            report(e); // the engine must not see a listener throw: it would lose its place in the stream
        }
    }

    /** Duty holder (or the closer, after the IO thread stopped): it ended without a reply. */
    final void fail(RedisException error) {
        detach();
        try {
            failed(error);
        } catch (RuntimeException | Error e) {
            report(e);
        }
    }

    private void report(Throwable e) {
        Thread t = Thread.currentThread();
        Thread.UncaughtExceptionHandler h = t.getUncaughtExceptionHandler();
        h.uncaughtException(t, new IllegalStateException(name() + ": completed()/failed() threw on the IO thread; "
                + "they must only publish the outcome", e));
    }

    private void detach() {
        if (counted) {
            counted = false;
            endpoint.runtime().released(heldBytes); // before the phase turns IDLE: a resubmit must find it freed
            heldBytes = 0;
        }
        link = null;
        lease = null;
        where = Where.DONE;
        timerId = Deadlines.NO_TIMER;
        PHASE.setVolatile(this, IDLE);
    }

    /** Where a pending command is, so that a timeout or a close can take it out of the right place. */
    static final class Where {
        static final int DONE = 0;
        static final int SUBMIT_QUEUE = 1;
        /** In a link's or an endpoint's waiting list: routed, never written. */
        static final int WAITING = 2;
        /** Encoded and recorded in the engine's in-flight FIFO: may have been sent. */
        static final int IN_FLIGHT = 3;

        private Where() {
        }
    }
}
