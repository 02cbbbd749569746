package io.respin.io;

import io.respin.RedisException;
import io.respin.RedisInterruptedException;
import io.respin.RedisTimeoutException;
import io.respin.io.handoff.SpinPolicy;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * An {@link IoCommand} whose caller waits for it: the IO thread publishes the outcome with one volatile write and
 * an unpark, and {@link #await()} spins and yields briefly, then parks until then. Works the same on platform and virtual
 * threads, and allocates nothing. An interrupt ends the wait (not the command) with a
 * {@link RedisInterruptedException}.
 *
 * <pre>{@code
 * Get get = new Get("k");     // extends SyncCommand, decodes the bulk into a field
 * endpoint.submit(get);
 * get.await();                // throws RedisTimeoutException, RedisServerException, ...
 * return get.value;
 * }</pre>
 */
public abstract class SyncCommand extends IoCommand {

    private static final int WAITING = 0;
    private static final int SUCCEEDED = 1;
    private static final int FAILED = 2;
    /**
     * Spins, then yields for up to {@link #YIELD_NANOS}, before parking: a local reply often comes that soon, and
     * the IO thread polls that long for it too. (20 µs parked a third of the round trips on 2 cores and put
     * respin's p99 behind a blocking client's; 50 µs put it ahead, at the same CPU per command.)
     */
    private static final int SPINS = 100;
    private static final long YIELD_NANOS = 50_000;
    /**
     * Whether the yield phase has caught the outcome lately (owned by the waiting thread; a command reused by one
     * thread, as the sync client's per-thread call, keeps it from wait to wait). At a service's fixed rate the reply
     * is usually further away than the phase lasts: yielding then only burns the core the IO thread and the server
     * need (measured: 17 sched_yield calls per command at 5,000 GET/s from 16 threads), and the waiter parks at once.
     */
    private int yieldPolicy = SpinPolicy.FRESH; // a SpinPolicy's state in one int: no allocation
    /** How far past its deadline a waiter gives up on an IO thread that never answered (a bug, or a dead runtime). */
    private static final long GRACE_NANOS = TimeUnit.SECONDS.toNanos(5);

    /** Any thread: written by the duty holder when the command ends (publishing {@link #error}), read by the waiter. */
    private volatile int outcome;
    /** Any thread: the waiter announces itself before parking; the duty holder unparks it. */
    private volatile Thread waiter;
    /** Written by the duty holder before {@link #outcome}, read by the waiter after it. */
    private RedisException error;

    protected SyncCommand() {
        super(true);
    }

    @Override
    protected final void prepare() {
        error = null;
        waiter = null;
        outcome = WAITING;
    }

    @Override
    protected final void completed() {
        outcome = SUCCEEDED;
        Thread w = waiter;
        if (w != null) {
            LockSupport.unpark(w);
        }
    }

    @Override
    protected final void failed(RedisException e) {
        error = e;
        outcome = FAILED; // volatile write publishes error
        Thread w = waiter;
        if (w != null) {
            LockSupport.unpark(w);
        }
    }

    /** For tests: whether the next wait would begin with the yield phase (not counting a probe). */
    final boolean yieldsLately() {
        return SpinPolicy.spinning(yieldPolicy);
    }

    /** True once the command has an outcome. */
    public final boolean isDone() {
        return outcome != WAITING;
    }

    /**
     * Waits until the command has its reply and returns, or throws what it failed with. The IO thread ends every
     * command by its deadline; the wait itself is bounded too, should the runtime be gone.
     *
     * <p>An interrupt, before or during the wait, ends the wait with a {@link RedisInterruptedException} and leaves
     * the thread's interrupt status set (an outcome already in is returned as usual). The command stays pending
     * until the IO thread ends it — its reply or its deadline — and nobody sees that outcome: do not submit it
     * again before {@link #isPending()} is false.
     *
     * @throws RedisException the command's failure (timeout, server error, connection, backpressure, close), or
     *         {@link RedisInterruptedException} when the waiting thread was interrupted
     */
    public final void await() {
        int o = outcome;
        for (int i = 0; o == WAITING && i < SPINS; i++) {
            Thread.onSpinWait();
            o = outcome;
        }
        if (o == WAITING && SpinPolicy.spin(yieldPolicy = SpinPolicy.next(yieldPolicy))) { // yielding has paid lately
            Thread t = Thread.currentThread();
            long start = System.nanoTime();
            while ((o = outcome) == WAITING && !t.isInterrupted() && System.nanoTime() - start < YIELD_NANOS) {
                Thread.yield();
            }
            yieldPolicy = o == WAITING ? SpinPolicy.missed(yieldPolicy)
                    : SpinPolicy.caught(yieldPolicy);
        }
        if (o == WAITING) {
            o = park();
        }
        if (o == FAILED) {
            throw error;
        }
    }

    private int park() {
        Thread t = Thread.currentThread();
        waiter = t;
        long giveUp = deadlineNanos() + GRACE_NANOS;
        int o;
        while ((o = outcome) == WAITING) {
            if (t.isInterrupted()) {
                // parkNanos returns at once for an interrupted thread: looping on would burn a core (a carrier,
                // on a virtual thread) until the reply; end the wait instead, and keep the status for the caller
                waiter = null;
                cancel(); // unsent: dropped; sent: its reply discarded; blocking: its socket closed
                throw new RedisInterruptedException(name() + " was interrupted while waiting for its reply: the "
                        + "command was withdrawn (if it was already sent it may have run; its reply will be "
                        + "discarded" + (blocking() ? ", and its blocking connection is closed" : "") + "). "
                        + "The thread's interrupt status is kept; Thread.interrupted() clears it");
            }
            long left = giveUp - System.nanoTime();
            if (left <= 0) {
                throw new RedisTimeoutException(name() + " got no outcome from the IO thread within its timeout of "
                        + TimeUnit.NANOSECONDS.toMillis(effectiveTimeoutNanos()) + " ms plus 5 s; is the IoRuntime closed or stuck?");
            }
            LockSupport.parkNanos(this, left);
        }
        waiter = null;
        return o;
    }

    /** The failure, or null when the command succeeded or is still pending. */
    public final RedisException failure() {
        return outcome == FAILED ? error : null;
    }
}
