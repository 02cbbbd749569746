package io.respin.io.loop;

/**
 * Every pending command's deadline, in one timer wheel (duty-confined: the IO thread, or a submitter during its
 * pass) — no scheduled task per command. A timer is set when the duty holder first sees a command and cancelled
 * when it completes; {@link #expire} hands each command whose deadline passed to the runtime, which fails it with a
 * timeout.
 *
 * <pre>
 *   tick = 2^20 ns (~1 ms), 512 slots (~0.5 s per turn; later deadlines wait for their turn in the same slots)
 *   slot ──▶ command ⇄ command ⇄ …   (intrusive: the links are fields of the commands)
 * </pre>
 *
 * <p>The wheel is intrusive — each slot a doubly linked list through {@code Submission.timerPrev/timerNext} — so
 * setting and cancelling a timer is a few field writes. (It was Agrona's {@code DeadlineTimerWheel} plus a
 * timer-id → command map: two hash-map operations and two wheel operations per command, ~7% of a pipelined
 * command's CPU.)
 *
 * <p>Precision: a command expires in the first {@code expire(now)} whose {@code now} has reached its deadline, never
 * in an earlier one — each timer's exact deadline is compared with {@code now}; the tick only decides which slot
 * holds it. The IO thread calls {@code expire} on every pass and sleeps at most 1 ms while a deadline is pending,
 * so a timeout fires within about a millisecond after its deadline, never before. Commands expired in the same call
 * come in no particular order. An expiry may cancel other timers (a timeout that closes the connection fails the
 * rest of its commands): a command cancelled by an earlier expiry of the same call does not expire.
 */
final class Deadlines {

    /** {@code Submission.timerSlot} of a command without a timer. */
    static final int NO_TIMER = -1;
    /** {@code Submission.timerSlot} of a command taken out of its slot by the {@link #expire} in progress. */
    private static final int EXPIRING = -2;
    /** Nanoseconds per tick: the precision of a timeout. */
    static final long TICK_NANOS = 1L << 20;
    private static final int TICK_SHIFT = 20;
    private static final int SLOTS = 512;
    private static final int MASK = SLOTS - 1;

    interface Expiry {
        void expired(Submission command);
    }

    private final Submission[] slots = new Submission[SLOTS];
    /** Ticks count from here (the clock's origin is arbitrary, as {@code System.nanoTime()}'s is). */
    private final long origin;
    /** Every tick before this one has been polled: a timer due earlier goes into this tick's slot. */
    private long tick;
    private long count;
    private final Expiry expiry;
    /** The commands one {@link #expire} call found due, before it tells the runtime (reused: no allocation). */
    private Submission[] due = new Submission[16];

    Deadlines(long nowNanos, Expiry expiry) {
        this.origin = nowNanos;
        this.expiry = expiry;
    }

    private long tickOf(long nanos) {
        return (nanos - origin) >> TICK_SHIFT; // floor, also before the origin
    }

    void schedule(Submission c) {
        if (c.timerSlot != NO_TIMER) {
            cancel(c); // set again: one timer per command, whatever the caller did
        }
        long t = Math.max(tickOf(c.deadlineNanos()), tick);
        int slot = (int) (t & MASK);
        Submission head = slots[slot];
        c.timerPrev = null;
        c.timerNext = head;
        if (head != null) {
            head.timerPrev = c;
        }
        slots[slot] = c;
        c.timerSlot = slot;
        count++;
    }

    void cancel(Submission c) {
        int slot = c.timerSlot;
        if (slot >= 0) {
            unlink(c, slot);
            count--;
        } else if (slot == EXPIRING) {
            c.timerSlot = NO_TIMER; // found due by the expire in progress: it skips it now
        }
    }

    private void unlink(Submission c, int slot) {
        Submission prev = c.timerPrev;
        Submission next = c.timerNext;
        if (prev == null) {
            slots[slot] = next;
        } else {
            prev.timerNext = next;
        }
        if (next != null) {
            next.timerPrev = prev;
        }
        c.timerPrev = null;
        c.timerNext = null;
        c.timerSlot = NO_TIMER;
    }

    /**
     * Fails every command whose deadline is at or before {@code now}; returns how many. Polls every tick from the
     * last call's up to {@code now}'s — at most one turn, which visits every slot (a clock that jumped far) — and
     * keeps {@code now}'s tick for the next call, which may find later deadlines of that tick due.
     */
    int expire(long now) {
        long nowTick = tickOf(now);
        if (count == 0) {
            tick = Math.max(tick, nowTick); // nothing pending: keep up with the clock
            return 0;
        }
        int found = 0;
        long from = Math.max(tick, nowTick - MASK);
        for (long t = from; t <= nowTick; t++) {
            int slot = (int) (t & MASK);
            for (Submission c = slots[slot]; c != null; ) {
                Submission next = c.timerNext;
                if (c.deadlineNanos() - now <= 0) {
                    unlink(c, slot);
                    count--;
                    c.timerSlot = EXPIRING;
                    if (found == due.length) {
                        due = java.util.Arrays.copyOf(due, found * 2);
                    }
                    due[found++] = c;
                }
                c = next;
            }
        }
        tick = Math.max(tick, nowTick);
        int expired = 0;
        for (int i = 0; i < found; i++) {
            Submission c = due[i];
            due[i] = null;
            if (c.timerSlot == EXPIRING) { // not cancelled (nor set again) by an earlier expiry of this call
                c.timerSlot = NO_TIMER;
                expiry.expired(c);
                expired++;
            }
        }
        if (due.length > 1024) {
            due = new Submission[16]; // after a mass timeout: do not keep its buffer for the runtime's life
        }
        return expired;
    }

    long pending() {
        return count;
    }
}
