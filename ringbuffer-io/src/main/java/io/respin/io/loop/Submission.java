package io.respin.io.loop;

import io.respin.RedisException;
import io.respin.engine.connection.Request;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The transport's half of a command: where one submission of it is, and until when it may be. The public
 * {@code io.respin.io.IoCommand} extends it and adds the caller's half (timeouts, the outcome's publication, the
 * hooks a command overrides); everything here is package-private, so that the loop can keep a command's state in
 * the command object itself — a submission allocates nothing — while users see none of it.
 *
 * <pre>
 *   arm (submitter) ──offer──▶ SUBMIT_QUEUE ─route─▶ WAITING (a link's or endpoint's queue) ─encode─▶ IN_FLIGHT
 *        └───────────── any of them ── complete / fail (duty holder) ─▶ DONE, phase IDLE: may be submitted again
 * </pre>
 * Owners: {@code phase} any thread (volatile: the CAS in {@link #arm} makes a command pending, {@link #detach} idle
 * again); the other fields are written by the submitter in {@link #arm} and published by the submit queue's offer,
 * and from then until the command ends they belong to the duty holder (the IO thread, or a submitter during its pass).
 */
public abstract class Submission implements Request {

    static final int IDLE = 0;
    static final int PENDING = 1;

    private static final VarHandle PHASE;

    static {
        try {
            PHASE = MethodHandles.lookup().findVarHandle(Submission.class, "phase", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Any thread: IDLE or PENDING; the CAS in arm() makes a command pending, detach() idle again. */
    @SuppressWarnings("unused") // accessed through PHASE
    private volatile int phase;
    /** A SyncCommand: its submitter may read its reply itself ({@link Duty#afterOffer}). */
    final boolean callerWaits;
    /**
     * Set at {@link #arm}: the submitting thread waits for this submission's outcome — a SyncCommand, or the last of
     * a batch its own thread gathers ({@code io.respin.io.Gather}) — so, holding the duty, it may read the reply itself.
     */
    boolean submitterWaits;
    /** A deadline so far away it never comes (~146 years), for blocking commands that block without limit. */
    static final long UNBOUNDED_NANOS = Long.MAX_VALUE / 2;
    /** This submission has no deadline (a blocking command with block time 0): no timer is set for it. */
    boolean unbounded;
    private long deadlineNanos;
    /** When it was submitted ({@code System.nanoTime()}): its deadline's start, and its duration's for a Probe. */
    private long submittedNanos;
    /** {@code System.nanoTime()} when the duty holder ended the command (reply read, or failed); for breakdowns. */
    private long endedNanos;

    // Written by the submitter in arm() and published by the queue's offer; from then until the command ends they
    // belong to the duty holder (the IO thread, or a submitter during its pass). Callers never read them.
    Endpoint endpoint;
    Lease lease;
    Link link;
    /** The deadline's slot in the timer wheel, or {@link Deadlines#NO_TIMER}; and its neighbours there. */
    int timerSlot = Deadlines.NO_TIMER;
    Submission timerPrev;
    Submission timerNext;
    /** Where the command is: see {@link Where}. */
    int where;
    /** Holds one of the runtime's maxPendingCommands places: set by the submitter before the offer, cleared at the end. */
    boolean counted;
    /** The bytes of maxPendingBytes this submission holds (its weight when it was admitted). */
    long heldBytes;
    /** A cancel reached the IO thread while the command was still in the submit queue (IO thread). */
    boolean cancelRequested;
    /** Times this submission was sent again after a connection loss (at most once: {@link LinkEvents#onFailed}). */
    int resends;
    /**
     * Encoded outside MULTI and WATCH, on a link whose state (SELECT, HELLO...) is the URI's: sending it again on a
     * new connection would mean the same thing. Set at encode (duty holder).
     */
    boolean resendable;
    /** Bytes of its encoding as last written (LinkWriter, at encode); 0 until then. For a Probe. */
    long bytesOut;
    /** Bytes of its reply on the wire (LinkEvents, as the reply ends it); 0 without one. For a Probe. */
    long bytesIn;
    /** What the probe's commandStarted returned (submitter, before the offer); handed back when it ends. */
    Object started;
    /** Submissions so far: written by the submitter before the command is published, read by a canceller. */
    private int generation;

    /** @param callerWaits true for a command whose submitter waits for it (it may read its own reply) */
    protected Submission(boolean callerWaits) {
        this.callerWaits = callerWaits;
    }

    // ------------------------------------------------------------------ what a command says (IoCommand documents them)

    /**
     * At each submit, on the submitting thread: whether that thread will wait for this submission's outcome itself
     * (then, holding the duty, it may read the reply itself instead of waking the IO thread). Default: a command
     * made for a waiting caller (SyncCommand).
     */
    protected boolean waitsOnSubmitter() {
        return callerWaits;
    }

    /** The command's own timeout, or -1 for the endpoint's default. */
    protected abstract long timeoutNanos();

    /** True for commands that block on the server: they take a dedicated connection. */
    protected abstract boolean blocking();

    /** How long a blocking command may block (0: without limit, -1: not known). */
    protected abstract long blockNanos();

    /** True for commands that may safely run twice. */
    protected abstract boolean idempotent();

    /** Bytes of argument values held until the command ends. */
    protected abstract long weight();

    /** The submitting thread, at every submit. */
    protected abstract void onSubmit();

    /** The duty holder, before an idempotent command goes out again after a connection loss. */
    protected abstract void onResend();

    /** The reply is in (duty holder): publish and return. */
    protected abstract void completed();

    /** It ended without a reply (duty holder, or the closer): publish and return. */
    protected abstract void failed(RedisException error);

    /**
     * A request written immediately before this command, with no other command between them, whose reply is read and
     * dropped (e.g. {@code CLIENT CACHING YES}, which applies to the next command only); null (the default) for none.
     * Encoded again if the command has to wait for room after it: the prelude is then sent twice, never separated.
     */
    protected io.respin.engine.connection.Request prelude() {
        return null;
    }

    /** Resets the completion mechanism of a SyncCommand or AsyncCommand (final there); nothing by default. */
    protected void prepare() {
    }

    /** Hands a callback to the runtime's completion thread (or executor): how an AsyncCommand's outcome leaves. */
    protected final void dispatch(Runnable callback) {
        endpoint.loop().completions().dispatch(callback);
    }

    // ------------------------------------------------------------------ any thread

    /** {@code System.nanoTime()} by which the command ends, set at submit. */
    public long deadlineNanos() {
        return deadlineNanos;
    }

    /** True from submit until the IO thread has called {@code completed} or {@code failed}. */
    public boolean isPending() {
        return (int) PHASE.getVolatile(this) == PENDING;
    }

    /** Asks the runtime to end this command now, if it is still pending (see {@code IoCommand.cancel}). */
    public boolean cancel() {
        if (!isPending()) { // the volatile read orders the reads below after the submit's writes
            return false;
        }
        Endpoint e = endpoint;
        if (e == null) {
            return false;
        }
        e.loop().cancel(this, generation);
        return true;
    }

    /**
     * Asks the runtime to end this command's submit number {@code submits} (see {@link #submits()}) now, if that one
     * is still pending: a holder of an old handle on a reused command can never cancel a later submit of it.
     */
    protected final boolean cancel(int submits) {
        if (!isPending() || generation != submits) {
            return false;
        }
        Endpoint e = endpoint;
        if (e == null) {
            return false;
        }
        e.loop().cancel(this, submits);
        return true;
    }

    /** How many times this object has been submitted: the number of its latest submit (read by its submitter). */
    protected final int submits() {
        return generation;
    }

    /** Which submission of this object is pending (a cancel must not hit a later one). */
    final int generation() {
        return generation;
    }

    final void arm(Endpoint endpoint, Lease lease, long now, long defaultTimeoutNanos) {
        generation++; // before the CAS: a canceller that sees PENDING sees this submission's number
        if (!PHASE.compareAndSet(this, IDLE, PENDING)) {
            throw new IllegalStateException(name() + " is already pending; wait for it to complete before reusing it");
        }
        prepare();
        onSubmit();
        this.submitterWaits = waitsOnSubmitter();
        this.endpoint = endpoint;
        this.lease = lease;
        this.submittedNanos = now;
        long own = timeoutNanos();
        long t = own > 0 ? own : defaultTimeoutNanos;
        long block = blocking() ? blockNanos() : -1;
        this.unbounded = block == 0;
        this.deadlineNanos = block == 0 ? now + UNBOUNDED_NANOS : now + t + Math.max(block, 0);
        this.where = Where.SUBMIT_QUEUE;
        this.resends = 0;
        this.bytesOut = 0;
        this.bytesIn = 0;
    }

    /** Undo {@link #arm} when the submit queue refused the command (the caller gets an exception instead). */
    final void disarm() {
        counted = false;
        heldBytes = 0;
        endpoint = null;
        lease = null;
        PHASE.setVolatile(this, IDLE);
    }

    /** The time from submit to deadline: the timeout (plus the block time, for a blocking command) that applies. */
    protected final long effectiveTimeoutNanos() {
        return deadlineNanos - submittedNanos;
    }

    /** {@code System.nanoTime()} at the submit of the command's latest run. */
    protected final long submittedAtNanos() {
        return submittedNanos;
    }

    /**
     * {@code System.nanoTime()} when the duty holder ended the latest run (its reply read and decoded, or its
     * failure decided), just before its outcome was handed on; 0 before the first end.
     */
    protected final long endedAtNanos() {
        return endedNanos;
    }

    /**
     * Duty holder: the reply is in; detach and tell the subclass. {@code now} is the holder's clock, read when it
     * read the socket (a clock read per reply was ~3% of a pipelined command's CPU).
     */
    final void complete(long now) {
        endedNanos = now;
        Endpoint e = endpoint;
        Probe probe = counted ? e.loop().probe : null; // counted: a user's command, not an idle PING
        String name = probe != null ? name() : null;   // read before the outcome is out: the caller may reuse us
        long submitted = submittedNanos;
        long out = bytesOut;
        long in = bytesIn;
        Object s = started;
        started = null;
        detach();
        try {
            completed();
        } catch (RuntimeException | Error t) {
            report(t); // the engine must not see a listener throw: it would lose its place in the stream
        }
        if (probe != null) {
            ended(probe, e, name, s, submitted, out, in, null);
        }
    }

    /** Duty holder (or the closer, after the IO thread stopped): it ended without a reply. */
    final void fail(RedisException error) {
        endedNanos = System.nanoTime();
        Endpoint e = endpoint;
        Probe probe = counted ? e.loop().probe : null;
        String name = probe != null ? name() : null;
        long submitted = submittedNanos;
        long out = bytesOut;
        long in = bytesIn;
        Object s = started;
        started = null;
        detach();
        try {
            failed(error);
        } catch (RuntimeException | Error t) {
            report(t);
        }
        if (probe != null) {
            ended(probe, e, name, s, submitted, out, in, error);
        }
    }

    /** Tells the probe, after the outcome was published (so the caller never waits for it). */
    private static void ended(Probe probe, Endpoint e, String name, Object started, long submitted, long out, long in,
                              RedisException error) {
        try {
            probe.commandEnded(e, name, started, System.nanoTime() - submitted, out, in, error);
        } catch (RuntimeException | Error t) {
            Thread th = Thread.currentThread();
            th.getUncaughtExceptionHandler().uncaughtException(th, new IllegalStateException("the IoListener threw "
                    + "while told that " + name + " ended; listeners must not throw", t));
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
            endpoint.loop().admission().released(heldBytes); // before the phase turns IDLE: a resubmit must find it freed
            heldBytes = 0;
        }
        link = null;
        lease = null;
        where = Where.DONE;
        PHASE.setVolatile(this, IDLE);
    }

    /** Where a pending command is, so that a timeout or a close can take it out of the right place. */
    public static final class Where {
        public static final int DONE = 0;
        public static final int SUBMIT_QUEUE = 1;
        /** In a link's or an endpoint's waiting list: routed, never written. */
        public static final int WAITING = 2;
        /** Encoded and recorded in the engine's in-flight FIFO: may have been sent. */
        public static final int IN_FLIGHT = 3;

        private Where() {
        }
    }
}
