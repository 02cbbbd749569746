package io.respin.io.handoff;

/**
 * Whether a thread about to wait should spin first, decided by whether spinning has paid lately. A spin phase that
 * ends with the awaited item ("caught") saves a park/unpark pair and a scheduler wake-up; one that ends in a park
 * anyway ("missed") burnt CPU for nothing — on a machine whose cores are shared (two vCPUs running the caller, the IO
 * thread, the completion thread and often redis-server itself) that CPU is taken from the very threads the wait is
 * for. At saturation items come within the spin and it keeps spinning; at a fixed rate of a service's traffic the
 * next item is typically a whole interval away, spinning misses, and the thread parks at once. Every
 * {@value #PROBE_EVERY}th wait spins anyway, so a change in the traffic is noticed. The same rule as HotSpot's
 * adaptive spinning on monitors: judge spinning by its recent success, not by a fixed budget.
 *
 * <pre>{@code
 * if (policy.spin()) { ...spin phase...; if (gotIt) policy.caught(); else policy.missed(); }
 * }</pre>
 *
 * Owned by one thread at a time (its waiter, or the duty holder for the IO thread's uses).
 */
public final class SpinPolicy {
    /** A miss weighs twice a catch: spinning stays on only while it catches at least two waits in three. */
    private static final int MISS = 2;
    private static final int MAX_SCORE = 8;
    static final int PROBE_EVERY = 16;
    private int score = MAX_SCORE;
    private int skipped;

    /** Whether this wait should begin with a spin phase. */
    public boolean spin() {
        if (score > 0) {
            return true;
        }
        if (++skipped >= PROBE_EVERY) {
            skipped = 0;
            return true;
        }
        return false;
    }

    /** The spin phase ended with what it waited for. */
    public void caught() {
        score = Math.min(MAX_SCORE, score + 1);
    }

    /** The spin phase ended without it: the thread parks (or sleeps in the selector) now. */
    public void missed() {
        score = Math.max(0, score - MISS);
    }

    /** For tests and status views: whether spinning is on (without counting a probe). */
    public boolean spinning() {
        return score > 0;
    }
}
