package io.respin.io;

import io.respin.io.log.Log;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * The completions of one batch of {@link AsyncCommand}s, run by the thread that waits for the batch instead of the
 * completion thread: the duty holder (the IO thread) pushes each finished command here instead of into the
 * runtime's completion queue, and wakes the waiter once, when the last one has arrived; the waiter then runs the
 * callbacks itself, in submit order. A batch's wait is then one wake-up (socket → IO thread → waiter) instead of
 * two or more (socket → IO thread → completion thread → waiter, once per future the waiter joins), and the
 * completion thread does nothing for it. Callbacks and whatever depends on them run on the waiting thread — the
 * caller's own, never the IO thread. A waiter that stops waiting early (an interrupt, its own timeout) closes the
 * gather: what arrives later goes to the completion thread as usual, so no callback is ever stranded.
 *
 * <pre>{@code
 * Gather g = new Gather(batch.size());         // on the thread that will wait
 * for (AsyncCommand c : batch) c.gatherInto(g);
 * endpoint.submitAll(batch, (c, e) -> { failWith(c, e); g.refused(c); });
 * g.await();                                    // every callback of the batch has run, on this thread
 * }</pre>
 *
 * <p>State and owners: {@link #head} a Treiber stack of arrived commands, pushed by the duty holder, taken whole by
 * the waiter (or closed by it: {@link #CLOSED}); {@link #arrived} counted by both (the refused ones by the waiter);
 * {@link #ran} and {@link #refusedCount} the waiter's.
 */
public final class Gather {
    /** The stack's top once the waiter has stopped waiting: arrivals then go to the completion thread. */
    private static final AsyncCommand CLOSED = new AsyncCommand() {
        @Override protected void onCompleted() { }
        @Override protected void onFailed(io.respin.RedisException error) { }
        @Override public void encode(io.respin.engine.resp.RespWriter w) { }
        @Override public io.respin.engine.resp.RespHandler replyHandler() { return null; }
        @Override public io.respin.engine.connection.CommandKind kind() { return null; }
    };

    /** What {@link AsyncCommand#gather} holds once the duty holder has handed the command's outcome on. */
    static final Gather DELIVERED = new Gather(0);

    private static final VarHandle HEAD;
    private static final VarHandle ARRIVED;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            HEAD = l.findVarHandle(Gather.class, "head", AsyncCommand.class);
            ARRIVED = l.findVarHandle(Gather.class, "arrived", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final int size;
    private final Thread waiter = Thread.currentThread();
    /** One object per wait (a join makes one): its atomics are fields, not objects of their own. */
    private volatile AsyncCommand head;
    private volatile int arrived;
    private int ran;
    private int refusedCount;

    /** A batch of {@code size} commands, awaited by the calling thread. */
    public Gather(int size) {
        if (size < 0) {
            throw new IllegalArgumentException("size must be >= 0, got " + size);
        }
        this.size = size;
    }

    /** Whether {@code t} is the thread that waits for this batch. */
    boolean waitedBy(Thread t) {
        return waiter == t;
    }

    /** How many commands the batch has. */
    public int size() {
        return size;
    }

    /**
     * Duty holder: {@code c} has ended; wakes the waiter when it was the last. False when the waiter has stopped
     * waiting: the caller hands {@code c} to the completion thread instead.
     */
    boolean arrive(AsyncCommand c) {
        AsyncCommand top;
        do {
            top = head;
            if (top == CLOSED) {
                return false;
            }
            c.gatheredNext = top;
        } while (!HEAD.compareAndSet(this, top, c));
        arrivedOne();
        return true;
    }

    private void arrivedOne() {
        if ((int) ARRIVED.getAndAdd(this, 1) + 1 == size) {
            LockSupport.unpark(waiter);
        }
    }

    /**
     * Waiter: {@code c} never reached the runtime (refused at submit, its callback handled by the caller): it counts
     * as arrived and ran.
     */
    public void refused(AsyncCommand c) {
        c.gather = null;
        refusedCount++;
        arrivedOne();
    }

    /**
     * Waits until every command of the batch has ended, running each one's callback on this thread as they come.
     * Like {@code CompletableFuture.join()} it does not give up when interrupted (each command ends by its own
     * deadline); the interrupt status is kept.
     *
     * @throws IllegalStateException when called from another thread than the one that made the gather
     */
    public void await() {
        await(Long.MAX_VALUE, false);
    }

    /**
     * Waits as {@link #await()} does, but at most until {@code System.nanoTime()} reaches {@code deadlineNanos}
     * ({@code Long.MAX_VALUE}: no limit) and, when {@code interruptible}, not beyond an interrupt (whose status is
     * kept). Returns true when every callback of the batch has run here; false when it stopped early — then the
     * gather is closed and the callbacks still to come run on the completion thread.
     */
    public boolean await(long deadlineNanos, boolean interruptible) {
        if (Thread.currentThread() != waiter) {
            throw new IllegalStateException("Gather.await must be called by the thread that created it");
        }
        boolean interrupted = false;
        try {
            while (true) {
                runAll((AsyncCommand) HEAD.getAndSet(this, (AsyncCommand) null));
                if (ran + refusedCount == size) {
                    return true;
                }
                if (arrived == size) {
                    continue; // the last ones arrived after we took the stack: take it again, no need to park
                }
                if (deadlineNanos == Long.MAX_VALUE) {
                    LockSupport.park(this);
                } else {
                    long left = deadlineNanos - System.nanoTime();
                    if (left <= 0) {
                        close();
                        return false;
                    }
                    LockSupport.parkNanos(this, left);
                }
                if (Thread.interrupted()) {
                    interrupted = true;
                    if (interruptible) {
                        close();
                        return false;
                    }
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Stops gathering: runs what has arrived; later arrivals go to the completion thread. */
    private void close() {
        runAll((AsyncCommand) HEAD.getAndSet(this, CLOSED));
    }

    /** Runs the commands of a taken stack, oldest first (the stack holds the newest on top). */
    private void runAll(AsyncCommand c) {
        AsyncCommand reversed = null;
        while (c != null) {
            AsyncCommand next = c.gatheredNext;
            c.gatheredNext = reversed;
            reversed = c;
            c = next;
        }
        while (reversed != null) {
            AsyncCommand next = reversed.gatheredNext;
            reversed.gatheredNext = null;
            ran++;
            try {
                reversed.callback.run();
            } catch (Throwable t) {
                Log.callbackThrew(Thread.currentThread(), t);
            }
            reversed = next;
        }
    }
}
