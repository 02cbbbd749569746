package io.respin.perf.measure;

import java.util.concurrent.TimeUnit;
import org.HdrHistogram.AbstractHistogram;
import org.HdrHistogram.AtomicHistogram;

/**
 * Latency recording in nanoseconds: a fixed-size, thread-safe HdrHistogram (3 significant digits, 1 ns to 60 s) that
 * never resizes, so recording allocates nothing on any thread. Values above the range are clamped to it and counted,
 * so a pathological stall still shows as "at least 60 s" rather than being dropped.
 *
 * <pre>{@code
 * Latencies l = new Latencies();
 * l.record(System.nanoTime() - start);
 * LatencySummary s = LatencySummary.of(l.histogram());
 * }</pre>
 */
public final class Latencies {
    /** Highest value the histogram holds, in nanoseconds. */
    public static final long HIGHEST = TimeUnit.SECONDS.toNanos(60);

    private final AtomicHistogram histogram = new AtomicHistogram(1, HIGHEST, 3);

    /** Records one latency in nanoseconds; negative values (clock skew between threads) count as 0. */
    public void record(long nanos) {
        histogram.recordValue(Math.min(Math.max(nanos, 0), HIGHEST));
    }

    /** How many values were recorded. */
    public long count() {
        return histogram.getTotalCount();
    }

    /** The live histogram (copy it before reading while others still record). */
    public AbstractHistogram histogram() {
        return histogram;
    }
}
