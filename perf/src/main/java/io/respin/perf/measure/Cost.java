package io.respin.perf.measure;

import java.lang.management.ManagementFactory;

/**
 * What the whole JVM has spent so far: heap bytes allocated by all threads, process CPU time and wall time. Two
 * snapshots around a measurement give its cost; divided by the operations done, the cost per operation, so that a
 * client cannot buy speed with hidden allocation or background threads.
 *
 * <p>Allocation comes from {@code com.sun.management.ThreadMXBean#getTotalThreadAllocatedBytes()}: the sum of
 * every thread's allocated bytes, including threads that ended in between (a sum of
 * {@code getThreadAllocatedBytes} over the ids alive at the second snapshot would miss caller threads that already
 * exited). Virtual threads' allocation is counted on their carriers. The harness's own allocation (futures created by
 * {@code whenComplete}, for instance) is part of it, and is the same for every client of a shape.
 *
 * <pre>{@code
 * Cost before = Cost.now();
 * run();
 * Cost spent = Cost.now().minus(before);
 * }</pre>
 */
public record Cost(long allocatedBytes, long cpuNanos, long wallNanos) {

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    static {
        THREADS.setThreadAllocatedMemoryEnabled(true);
    }

    /** A snapshot of the JVM's totals now. */
    public static Cost now() {
        return new Cost(THREADS.getTotalThreadAllocatedBytes(), OS.getProcessCpuTime(), System.nanoTime());
    }

    /** This snapshot minus an earlier one. */
    public Cost minus(Cost earlier) {
        return new Cost(allocatedBytes - earlier.allocatedBytes, cpuNanos - earlier.cpuNanos,
                wallNanos - earlier.wallNanos);
    }
}
