package io.respin.io.handoff;

import io.respin.io.log.Log;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.jctools.queues.atomic.SpscAtomicArrayQueue;

/**
 * Carries finished commands off the IO thread. The duty holder (the IO thread, or a submitter during its pass)
 * {@link #dispatch}es callbacks into a bounded SPSC
 * queue; the completion thread ({@code <threadName>-completions}) takes them in order and runs them itself or hands
 * them to the configured executor. When the queue is full the IO thread keeps the overflow in a local list and
 * retries on its next pass, so it never blocks on a slow consumer. Only command callbacks come here: push listeners
 * have their own thread and bounded queue ({@link Pushes}), so a slow listener never delays a completion.
 *
 * <pre>
 *   IO thread ──dispatch──▶ [SPSC ring] ──▶ completion thread ──▶ callback  (or executor.execute(callback))
 *              └─ ring full ─▶ overflow (IO-thread-local), moved to the ring on the next pass
 *   close (IO thread, last): overflow ─▶ leftover ──▶ completion thread, after the ring
 *                                                └──▶ or the closing thread, if the completion thread is stuck
 * </pre>
 *
 * <p>State and owners: {@link #ring} offered by the duty holder (the IO thread, or a submitter holding the duty),
 * polled by the completion thread only — never by another thread, at close neither; {@link #overflow} the duty
 * holder's, until {@link #close} hands it over as {@link #leftover}, which whoever takes it first (the completion
 * thread once the ring is empty, or {@link #awaitTermination}'s caller when that thread is stuck) runs;
 * {@link #sleeper} announced by the completion thread, cleared by whoever wakes it; {@link #closed} written once by the IO thread.
 */
public final class Completions implements AutoCloseable {


    private final SpscAtomicArrayQueue<Runnable> ring;
    private final ArrayDeque<Runnable> overflow = new ArrayDeque<>();
    /** The overflow at close, taken (once) by the completion thread or by the closing thread. */
    private final AtomicReference<ArrayDeque<Runnable>> leftover = new AtomicReference<>();
    private final Executor executor;
    private final Thread thread;
    private final Sleeper sleeper = new Sleeper();
    private volatile boolean closed;

    /** Starts the completion thread, {@code <threadName>-completions}; {@code executor} null: callbacks run on it. */
    public Completions(int capacity, Executor executor, String threadName) {
        this.ring = new SpscAtomicArrayQueue<>(capacity);
        this.executor = executor;
        this.thread = new Thread(this::run, threadName + "-completions");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Duty holder: queue a callback; never blocks. */
    public void dispatch(Runnable callback) {
        if (closed) {
            // after close (a submit that raced with it): no completion thread is left, run it here
            runOne(callback);
            return;
        }
        if (!overflow.isEmpty() || !ring.offer(callback)) {
            overflow.add(callback);
        }
        wakeIfSleeping();
    }

    private void wakeIfSleeping() {
        sleeper.wake(thread);
    }

    /**
     * True while callbacks are queued or the completion thread is still awake after running some: callbacks often
     * submit the next command (a closed loop), so the IO thread keeps watching its queue until they have run.
     */
    public boolean busy() {
        return !sleeper.isAsleep() || !ring.isEmpty() || hasOverflow();
    }

    /** Duty holder: callbacks held back because the ring was full (only the IO thread moves them on). */
    public boolean hasOverflow() {
        return !overflow.isEmpty();
    }

    /** Duty holder: move held-back callbacks into the ring; returns how many moved. */
    public int flushOverflow() {
        int moved = 0;
        Runnable r;
        while ((r = overflow.peek()) != null && ring.offer(r)) {
            overflow.poll();
            moved++;
        }
        if (moved > 0) {
            wakeIfSleeping();
        }
        return moved;
    }

    private void run() {
        ConsumerIdle idle = new ConsumerIdle();
        while (true) {
            Runnable r = ring.poll();
            if (r != null) {
                runOne(r);
                idle.reset();
                continue;
            }
            if (closed) {
                // what was offered before close is visible now: run it, then what did not fit the ring
                while ((r = ring.poll()) != null) {
                    runOne(r);
                }
                runLeftover();
                return;
            }
            if (idle.step()) { // spin, then yield (see ConsumerIdle), then sleep until the duty holder wakes us
                continue;
            }
            sleeper.announce();
            // re-check after announcing sleep: a dispatch that raced with us either sees it or we see its item
            if (ring.isEmpty() && !closed) {
                LockSupport.parkNanos(this, 100_000_000L);
            }
            sleeper.awake();
        }
    }

    private void runOne(Runnable r) {
        try {
            if (executor == null) {
                r.run();
            } else {
                executor.execute(r);
            }
        } catch (Throwable t) {
            // a user callback's failure must not end the completion thread; report it where users look
            Log.callbackThrew(Thread.currentThread(), t);
        }
    }

    /**
     * Called on the IO thread after its last dispatch; returns at once, whatever the completion thread is doing
     * (it used to wait here for room in the ring, forever when a callback never returned). The completion thread
     * runs what is in the ring, then the overflow handed over here, then ends.
     */
    @Override
    public void close() {
        flushOverflow();
        if (!overflow.isEmpty()) {
            leftover.set(overflow); // from here on the IO thread never touches it
        }
        closed = true;
        LockSupport.unpark(thread);
    }

    private void runLeftover() {
        ArrayDeque<Runnable> rest = leftover.getAndSet(null);
        if (rest != null) {
            Runnable r;
            while ((r = rest.poll()) != null) {
                runOne(r);
            }
        }
    }

    /**
     * Waits (bounded) until every queued callback has run; for the runtime's close. If the completion thread
     * is still busy then (a callback that blocks), this thread runs the callbacks that never reached the ring, so
     * that they complete; those in the ring run when the blocked callback returns.
     */
    public void awaitTermination(long millis) {
        try {
            thread.join(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive() && Thread.currentThread() != thread) {
            runLeftover();
        }
    }
}
