package io.respin.engine.cache;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * A count that every thread adds to in a cell of its own: an increment writes no line another thread writes (a
 * {@code LongAdder} shares its few cells among threads: two readers on two cores that hash to one cell move its line
 * back and forth on every hit), takes no lock and no atomic instruction, and the sum is exact.
 *
 * <pre>
 *   thread A ──▶ cell A (padded: a line of its own) ─┐
 *   thread B ──▶ cell B                              ├─▶ sum() = retired + Σ cells   (under the lock)
 *   thread C (ended) ── folded into retired ─────────┘   cells of ended threads are folded as new ones register
 * </pre>
 */
final class ThreadCounts {
    private final ThreadLocal<Cell> mine = ThreadLocal.withInitial(this::register);
    /** Guarded by this. */
    private final List<Cell> cells = new ArrayList<>();
    /** The counts of threads that ended (guarded by this). */
    private long retired;
    /** Fold ended threads when this many cells are registered (amortised: never a scan per new thread). */
    private int foldAt = 64;

    /** Adds one to this thread's cell (its only writer). */
    void increment() {
        Cell c = mine.get();
        COUNT.setOpaque(c, c.count + 1);
    }

    /** The exact count of increments that happened before this call in every thread. */
    synchronized long sum() {
        long s = retired;
        for (Cell c : cells) {
            s += (long) COUNT.getOpaque(c);
        }
        return s;
    }

    private synchronized Cell register() {
        if (cells.size() >= foldAt) {
            for (Iterator<Cell> it = cells.iterator(); it.hasNext(); ) {
                Cell c = it.next();
                if (!c.owner.isAlive()) { // its end happens-before this: its last count is seen
                    retired += c.count;
                    it.remove();
                }
            }
            foldAt = Math.max(64, cells.size() * 2);
        }
        Cell c = new Cell(Thread.currentThread());
        cells.add(c);
        return c;
    }

    private static final VarHandle COUNT;

    static {
        try {
            COUNT = MethodHandles.lookup().findVarHandle(Value.class, "count", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    // padding by inheritance: a superclass's fields are laid out first, so the count sits between the two pads
    @SuppressWarnings("unused")
    private static class LeftPad {
        long p0, p1, p2, p3, p4, p5, p6, p7;
    }

    private static class Value extends LeftPad {
        long count;
    }

    @SuppressWarnings("unused")
    private static final class Cell extends Value {
        long q0, q1, q2, q3, q4, q5, q6, q7;
        final Thread owner;

        Cell(Thread owner) {
            this.owner = owner;
        }
    }
}
