package io.respin.io;

import java.util.concurrent.TimeUnit;
import org.agrona.DeadlineTimerWheel;
import org.agrona.collections.Long2ObjectHashMap;

/**
 * Every pending command's deadline, in one timer wheel on the IO thread — no scheduled task per command. A timer
 * is set when the IO thread first sees a command and cancelled when it completes; {@link #expire} hands each
 * command whose deadline passed to the runtime, which fails it with a timeout.
 *
 * <pre>
 *   tick = 2^20 ns (~1 ms), 512 slots (~0.5 s per turn; later deadlines wait for their turn in the same slots)
 *   timerId ──▶ command   (open-addressing map: no allocation once sized)
 * </pre>
 */
final class Deadlines implements DeadlineTimerWheel.TimerHandler {

    static final long NO_TIMER = DeadlineTimerWheel.NULL_DEADLINE;
    /** Nanoseconds per tick: the precision of a timeout. */
    static final long TICK_NANOS = 1L << 20;

    interface Expiry {
        void expired(IoCommand command);
    }

    private final DeadlineTimerWheel wheel;
    private final Long2ObjectHashMap<IoCommand> byTimer = new Long2ObjectHashMap<>(1024, 0.6f);
    private final Expiry expiry;

    Deadlines(long nowNanos, Expiry expiry) {
        this.wheel = new DeadlineTimerWheel(TimeUnit.NANOSECONDS, nowNanos, TICK_NANOS, 512);
        this.expiry = expiry;
    }

    void schedule(IoCommand c) {
        long id = wheel.scheduleTimer(c.deadlineNanos());
        c.timerId = id;
        byTimer.put(id, c);
    }

    void cancel(IoCommand c) {
        long id = c.timerId;
        if (id != NO_TIMER) {
            wheel.cancelTimer(id);
            byTimer.remove(id);
            c.timerId = NO_TIMER;
        }
    }

    /** Fails every command whose deadline is before {@code now}; returns how many. */
    int expire(long now) {
        if (wheel.timerCount() == 0) {
            // keep the wheel's clock near now so a later timer does not have to walk many empty ticks
            wheel.currentTickTime(now);
            return 0;
        }
        return wheel.poll(now, this, Integer.MAX_VALUE);
    }

    long pending() {
        return wheel.timerCount();
    }

    @Override
    public boolean onTimerExpiry(TimeUnit unit, long now, long timerId) {
        IoCommand c = byTimer.remove(timerId);
        if (c != null) {
            c.timerId = NO_TIMER;
            expiry.expired(c);
        }
        return true;
    }
}
