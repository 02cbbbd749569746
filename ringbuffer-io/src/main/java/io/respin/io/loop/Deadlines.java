package io.respin.io.loop;

import java.util.concurrent.TimeUnit;
import org.agrona.DeadlineTimerWheel;
import org.agrona.collections.Long2ObjectHashMap;

/**
 * Every pending command's deadline, in one timer wheel (duty-confined: the IO thread, or a submitter during its
 * pass) — no scheduled task per command. A timer
 * is set when the IO thread first sees a command and cancelled when it completes; {@link #expire} hands each
 * command whose deadline passed to the runtime, which fails it with a timeout.
 *
 * <pre>
 *   tick = 2^20 ns (~1 ms), 512 slots (~0.5 s per turn; later deadlines wait for their turn in the same slots)
 *   timerId ──▶ command   (open-addressing map: no allocation once sized)
 * </pre>
 *
 * <p>Precision: a command expires in the first {@code expire(now)} whose {@code now} has reached its deadline, never
 * in an earlier one — the wheel compares each timer's exact deadline with {@code now}; the tick only decides which
 * slot holds it. The IO thread calls {@code expire} on every pass and sleeps at most 1 ms while a deadline is
 * pending, so a timeout fires within about a millisecond after its deadline, never before. Commands expired in
 * the same call come in no particular order.
 */
final class Deadlines implements DeadlineTimerWheel.TimerHandler {

    static final long NO_TIMER = DeadlineTimerWheel.NULL_DEADLINE;
    /** Nanoseconds per tick: the precision of a timeout. */
    static final long TICK_NANOS = 1L << 20;
    private static final int SLOTS = 512;

    interface Expiry {
        void expired(Submission command);
    }

    private final DeadlineTimerWheel wheel;
    private final Long2ObjectHashMap<Submission> byTimer = new Long2ObjectHashMap<>(1024, 0.6f);
    private final Expiry expiry;

    Deadlines(long nowNanos, Expiry expiry) {
        this.wheel = new DeadlineTimerWheel(TimeUnit.NANOSECONDS, nowNanos, TICK_NANOS, SLOTS);
        this.expiry = expiry;
    }

    void schedule(Submission c) {
        long id = wheel.scheduleTimer(c.deadlineNanos());
        c.timerId = id;
        byTimer.put(id, c);
    }

    void cancel(Submission c) {
        long id = c.timerId;
        if (id != NO_TIMER) {
            wheel.cancelTimer(id);
            byTimer.remove(id);
            c.timerId = NO_TIMER;
        }
    }

    /**
     * Fails every command whose deadline is at or before {@code now}; returns how many. Agrona's {@code poll} looks
     * at the wheel's current tick only and moves to the next one once {@code now} is past it, so one poll per pass
     * let the wheel fall behind the clock (a 1 s timeout fired after 1.1–1.2 s): walk every tick up to {@code now}.
     */
    int expire(long now) {
        int expired = 0;
        for (int ticks = 0; wheel.timerCount() > 0; ticks++) {
            if (ticks == SLOTS) {
                // a whole turn polled at this now has seen every slot: what is left is due later, so skip the
                // empty ticks in between instead of walking them (a clock that jumped far, few timers)
                wheel.currentTickTime(now);
                break;
            }
            boolean behind = now >= wheel.currentTickTime(); // past the current tick's end: poll moves on
            expired += wheel.poll(now, this, Integer.MAX_VALUE);
            if (!behind) {
                break;
            }
        }
        if (wheel.timerCount() == 0) {
            // keep the wheel's clock near now so a later timer does not have to walk many empty ticks
            wheel.currentTickTime(now);
        }
        return expired;
    }

    long pending() {
        return wheel.timerCount();
    }

    @Override
    public boolean onTimerExpiry(TimeUnit unit, long now, long timerId) {
        Submission c = byTimer.remove(timerId);
        if (c != null) {
            c.timerId = NO_TIMER;
            expiry.expired(c);
        }
        return true;
    }
}
