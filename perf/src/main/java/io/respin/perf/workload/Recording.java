package io.respin.perf.workload;

import io.respin.perf.measure.Cost;
import io.respin.perf.measure.Latencies;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The shared state of one run: its phase (warm-up, measure, stop), the latencies recorded while measuring, and the
 * errors seen. Loops record only while {@link #measuring()}; the thread that drives the run flips the phases and
 * takes the {@link Cost} snapshots exactly at the flips, so throughput and cost cover the same window.
 *
 * <pre>{@code
 * Recording rec = new Recording();
 * startLoops(rec);
 * Cost cost = rec.runPhases(warmup, measure);
 * }</pre>
 */
final class Recording {
    private static final int WARMUP = 0;
    private static final int MEASURE = 1;
    private static final int STOP = 2;
    private static final long MAX_EXTENSION_NANOS = 10_000_000_000L;

    final Latencies latency = new Latencies();
    final Latencies uncorrected = new Latencies();
    private final LongAdder errors = new LongAdder();
    private volatile String firstError;
    private volatile int phase = WARMUP;

    boolean measuring() {
        return phase == MEASURE;
    }

    boolean stopped() {
        return phase == STOP;
    }

    /** Counts a wrong reply or a failure; the first one's description goes into the result's note. */
    void error(long i, Object replyOrThrowable) {
        errors.increment();
        if (firstError == null) {
            firstError = replyOrThrowable instanceof Throwable t
                    ? "operation " + i + " failed: " + t
                    : "operation " + i + " got an unexpected reply: " + describe(replyOrThrowable);
        }
    }

    long errors() {
        return errors.sum();
    }

    String firstError() {
        return firstError;
    }

    /**
     * Sleeps through the warm-up, measures for {@code measureNanos}, stops; returns the measured window's cost. A
     * window in which no command completed (a client stalled for longer than a short window) is extended until one
     * does, for at most {@link #MAX_EXTENSION_NANOS}: the figure then says how slow it was instead of nothing.
     */
    Cost runPhases(long warmupNanos, long measureNanos) {
        sleep(warmupNanos);
        Cost start = Cost.now();
        phase = MEASURE;
        sleep(measureNanos);
        long deadline = System.nanoTime() + MAX_EXTENSION_NANOS;
        while (latency.count() == 0 && errors() == 0 && System.nanoTime() < deadline) {
            sleep(1_000_000);
        }
        phase = STOP;
        return Cost.now().minus(start);
    }

    void measure() {
        phase = MEASURE;
    }

    void stop() {
        phase = STOP;
    }

    static void sleep(long nanos) {
        try {
            TimeUnit.NANOSECONDS.sleep(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("benchmark interrupted", e);
        }
    }

    private static String describe(Object reply) {
        if (reply == null) {
            return "null (a missing key?)";
        }
        if (reply instanceof byte[] b) {
            return b.length + " bytes";
        }
        return reply.toString();
    }
}
