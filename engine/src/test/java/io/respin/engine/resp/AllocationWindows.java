package io.respin.engine.resp;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * The bytes this thread allocates while running a window of work, for the allocation tests. A real per-call
 * allocation shows in every window; the JIT's rare late deoptimisation can materialise an eliminated object
 * once (~100 bytes), so up to three windows are measured, stopping at the first clean one: the last of the
 * returned sizes must be 0. Public for the tests of other engine packages.
 */
public final class AllocationWindows {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private AllocationWindows() {
    }

    /** Runs {@code window} up to three times; the bytes each run allocated. */
    public static List<Long> measure(Runnable window) {
        long tid = Thread.currentThread().threadId();
        List<Long> windows = new ArrayList<>();
        for (int attempt = 0; attempt < 3; attempt++) {
            long before = THREADS.getThreadAllocatedBytes(tid);
            window.run();
            long allocated = THREADS.getThreadAllocatedBytes(tid) - before;
            windows.add(allocated);
            if (allocated == 0) {
                break;
            }
        }
        return windows;
    }
}
