package io.respin.io.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.respin.io.Cmd;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The timer wheel driven by a clock the test passes in: no sleeping, no real time. {@code expire(now)} must end
 * every command whose deadline is at or before {@code now} — in that one call, however far the clock moved — and
 * none whose deadline is later.
 */
class DeadlinesTest {

    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long TICK = Deadlines.TICK_NANOS;

    /** Like System.nanoTime(): an arbitrary origin, here negative and not on a tick boundary. */
    private static final long T0 = -7_654_321_987L;

    private final List<Submission> expired = new ArrayList<>();
    /** The now of the expire call in progress: nothing may expire before it reaches its deadline. */
    private long clock = T0;
    private final Deadlines deadlines = new Deadlines(T0, c -> {
        assertTrue(c.deadlineNanos() <= clock, () -> "expired " + (c.deadlineNanos() - clock) + " ns early");
        expired.add(c);
    });

    private Submission schedule(long deadline) {
        Submission c = new Cmd.Generic("PING");
        c.arm(null, null, T0, deadline - T0); // submitted at T0 with the timeout that makes this deadline
        deadlines.schedule(c);
        return c;
    }

    private int expire(long now) {
        clock = now;
        return deadlines.expire(now);
    }

    /** Deadlines between 1 ms and 3 s after T0: about 2,900 ticks, more than five turns of the 512-slot wheel. */
    private long[] spread(int n, long seed) {
        Random random = new Random(seed);
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = T0 + MS + (long) (random.nextDouble() * TimeUnit.SECONDS.toNanos(3));
        }
        return out;
    }

    @Test
    void oneCallExpiresEveryDeadlineDueAtNowAcrossManyTurns() {
        long[] due = spread(3000, 1);
        for (long d : due) {
            schedule(d);
        }
        assertEquals(0, expire(T0), "nothing is due at the start");
        long now = Arrays.stream(due).max().orElseThrow() + 1;

        assertEquals(due.length, expire(now), "every deadline up to now, in this one call");
        assertEquals(due.length, expired.size());
        assertEquals(0, deadlines.pending());
    }

    @Test
    void eachCallExpiresExactlyTheDeadlinesItsNowHasReached() {
        long[] due = spread(2000, 2);
        Set<Submission> all = new HashSet<>();
        for (long d : due) {
            all.add(schedule(d));
        }
        Arrays.sort(due);
        Random steps = new Random(3);
        long now = T0;
        int reached = 0;
        while (reached < due.length) {
            now += steps.nextInt((int) (5 * MS)); // 0 to 5 ms: sometimes within a tick, mostly several ticks
            expire(now);
            while (reached < due.length && due[reached] <= now) {
                reached++;
            }
            assertEquals(reached, expired.size(), "expired by now = T0 + " + (now - T0) + " ns");
        }
        assertEquals(all, new HashSet<>(expired));
    }

    @Test
    void aDeadlineFiresAtItsNanosecondNeverBefore() {
        long d = T0 + 250 * MS + 12_345; // not on a tick boundary
        Submission a = schedule(d);
        Submission b = schedule(d + TICK);

        assertEquals(0, expire(d - 1));
        assertEquals(List.of(), expired);
        assertEquals(1, expire(d));
        assertEquals(List.of(a), expired);
        assertEquals(0, expire(d + TICK - 1));
        assertEquals(1, expire(d + TICK));
        assertEquals(List.of(a, b), expired);
    }

    @Test
    void aDeadlineOneNanosecondAwayWaitsAndOneTickLaterItHasFired() {
        long d = T0 + 250 * MS + 12_345;
        Submission a = schedule(d);

        assertEquals(0, expire(d - 1), "1 ns before its deadline");
        assertEquals(1, expire(d + TICK), "one tick after it");
        assertEquals(List.of(a), expired);
    }

    @Test
    void aClockThatJumpedHoursExpiresWhatIsDueAndKeepsTheRestExact() {
        long hour = TimeUnit.HOURS.toNanos(1);
        Submission soon = schedule(T0 + 5 * MS);
        Submission later = schedule(T0 + 2 * hour + 3 * MS);

        assertEquals(1, expire(T0 + hour), "the first, after a jump of an hour (millions of ticks)");
        assertEquals(List.of(soon), expired);
        assertEquals(0, expire(T0 + 2 * hour + 3 * MS - 1));
        assertEquals(1, expire(T0 + 2 * hour + 3 * MS));
        assertEquals(List.of(soon, later), expired);

        // with nothing pending the wheel keeps up with the clock: a new deadline is exact too
        long d = T0 + 3 * hour;
        Submission next = schedule(d);
        assertEquals(0, expire(d - 1));
        assertEquals(1, expire(d));
        assertEquals(next, expired.getLast());
    }

    /**
     * An expiry may end other commands (a timeout that closes the connection fails the rest of its commands, and
     * each end cancels its timer): one ended so by an earlier expiry of the same call does not expire too.
     */
    @Test
    void aCommandAnEarlierExpiryOfTheSameCallCancelledDoesNotExpire() {
        List<Submission> ended = new ArrayList<>();
        List<Submission> connection = new ArrayList<>(); // three commands of one connection, due in one tick
        Deadlines[] wheel = new Deadlines[1];
        wheel[0] = new Deadlines(T0, c -> {
            ended.add(c);
            for (Submission o : connection) {
                if (o != c) {
                    wheel[0].cancel(o); // what failing the connection's other commands does
                }
            }
        });
        for (int i = 0; i < 3; i++) {
            Submission c = new Cmd.Generic("PING");
            c.arm(null, null, T0, 5 * MS + i);
            wheel[0].schedule(c);
            connection.add(c);
        }
        assertEquals(3, wheel[0].pending());

        assertEquals(1, wheel[0].expire(T0 + 10 * MS), "one expired; it ended the other two");
        assertEquals(1, ended.size());
        assertEquals(0, wheel[0].pending());
        assertEquals(0, wheel[0].expire(T0 + 20 * MS));
        assertEquals(1, ended.size());
    }

    @Test
    void aTimerSetTwiceIsOneTimer() {
        Submission a = schedule(T0 + 10 * MS);
        deadlines.schedule(a);
        assertEquals(1, deadlines.pending());
        assertEquals(1, expire(T0 + 11 * MS));
        assertEquals(List.of(a), expired);
        assertEquals(0, deadlines.pending());
    }

    @Test
    void aCancelledDeadlineNeverFires() {
        Submission a = schedule(T0 + 10 * MS);
        Submission b = schedule(T0 + 20 * MS);
        deadlines.cancel(a);

        assertEquals(1, expire(T0 + TimeUnit.SECONDS.toNanos(1)));
        assertEquals(List.of(b), expired);
        assertEquals(0, deadlines.pending());
    }
}
