package io.respin.perf.measure;

import org.HdrHistogram.AbstractHistogram;

/**
 * The figures of one client on one workload. Latency histograms are in nanoseconds; {@code uncorrected} is only set
 * for open-loop runs (latency from the actual send instead of the intended one, kept to show what coordinated
 * omission would hide). Per-operation costs are {@code NaN} when they cannot be measured (an external process).
 *
 * <pre>{@code
 * RunResult r = workload.run(client, context);
 * System.out.println(r.opsPerSecond());
 * }</pre>
 */
public record RunResult(
        String workload,
        String client,
        long operations,
        long errors,
        long elapsedNanos,
        LatencySummary latency,
        AbstractHistogram histogram,
        AbstractHistogram uncorrected,
        double bytesAllocatedPerOp,
        double cpuMicrosPerOp,
        long payloadBytes,
        String note) {

    /** Builds a result from a JVM client's recording and the JVM cost of its measured window. */
    public static RunResult measured(String workload, String client, long operations, long errors, Cost cost,
                                     AbstractHistogram histogram, AbstractHistogram uncorrected, long payloadBytes,
                                     String note) {
        double ops = Math.max(operations, 1);
        return new RunResult(workload, client, operations, errors, cost.wallNanos(), LatencySummary.of(histogram),
                histogram, uncorrected, cost.allocatedBytes() / ops, cost.cpuNanos() / ops / 1000.0, payloadBytes,
                note);
    }

    /** Operations per second over the measured window. */
    public double opsPerSecond() {
        return elapsedNanos <= 0 ? 0 : operations * 1e9 / elapsedNanos;
    }

    /** Payload megabytes (10^6) per second, or {@code NaN} for workloads that move no sizeable payload. */
    public double megabytesPerSecond() {
        return payloadBytes <= 0 || elapsedNanos <= 0 ? Double.NaN : payloadBytes * 1e3 / elapsedNanos;
    }
}
