package io.respin.perf.workload;

import java.util.concurrent.locks.LockSupport;

/**
 * Time for the open loop's schedule, behind an interface so that a test can run the real schedule against a
 * synthetic latency stream in simulated time.
 *
 * <pre>{@code
 * long due = Clock.SYSTEM.nanoTime() + 100_000;
 * Clock.SYSTEM.sleepUntil(due);
 * }</pre>
 */
public interface Clock {

    long nanoTime();

    /** Returns at or after {@code deadline} (in {@link #nanoTime()} units). */
    void sleepUntil(long deadline);

    /**
     * {@code System.nanoTime()}. Waiting parks while the deadline is far (the kernel's timer slack is ~50 µs) and
     * spins only for the last stretch, so the sender is punctual without burning a core the client needs.
     */
    Clock SYSTEM = new Clock() {
        private static final long SPIN_NANOS = 60_000;

        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public void sleepUntil(long deadline) {
            long left;
            while ((left = deadline - System.nanoTime()) > 0) {
                if (left > SPIN_NANOS + 20_000) {
                    LockSupport.parkNanos(left - SPIN_NANOS);
                } else {
                    Thread.onSpinWait();
                }
            }
        }
    };
}
