package io.respin.perf.measure;

import org.HdrHistogram.AbstractHistogram;

/**
 * The percentiles the report shows, in microseconds; {@code NaN} where a source does not provide one (e.g. {@code
 * redis-benchmark} reports no p99.9).
 *
 * <pre>{@code
 * LatencySummary s = LatencySummary.of(histogramInNanos);
 * double p99 = s.p99();
 * }</pre>
 */
public record LatencySummary(double p50, double p90, double p99, double p999, double p9999, double max) {

    /** No latency figures at all. */
    public static final LatencySummary NONE =
            new LatencySummary(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);

    /** Reads the percentiles of a histogram of nanoseconds; an empty histogram gives {@link #NONE}. */
    public static LatencySummary of(AbstractHistogram nanos) {
        if (nanos == null || nanos.getTotalCount() == 0) {
            return NONE;
        }
        return new LatencySummary(
                micros(nanos.getValueAtPercentile(50)),
                micros(nanos.getValueAtPercentile(90)),
                micros(nanos.getValueAtPercentile(99)),
                micros(nanos.getValueAtPercentile(99.9)),
                micros(nanos.getValueAtPercentile(99.99)),
                micros(nanos.getMaxValue()));
    }

    private static double micros(long nanos) {
        return nanos / 1000.0;
    }
}
