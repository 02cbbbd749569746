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
    /** The packed state of a policy that has not judged anything yet (it spins). */
    public static final int FRESH = MAX_SCORE;
    /** Packed state: bits 0-7 the score, 8-15 waits skipped since the last probe, bit 16 "this wait spins". */
    private static final int SPIN = 1 << 16;
    private int state = FRESH;

    /** Whether this wait should begin with a spin phase. */
    public boolean spin() {
        state = next(state);
        return spin(state);
    }

    /** The spin phase ended with what it waited for. */
    public void caught() {
        state = caught(state);
    }

    /** The spin phase ended without it: the thread parks (or sleeps in the selector) now. */
    public void missed() {
        state = missed(state);
    }

    /** For tests and status views: whether spinning is on (without counting a probe). */
    public boolean spinning() {
        return spinning(state);
    }

    // The same policy as a packed int, for a waiter that must not allocate one (a command object created per call).

    /** The state after deciding one wait; {@link #spin(int)} of it says whether that wait spins. */
    public static int next(int state) {
        int score = state & 0xFF;
        if (score > 0) {
            return (state & 0xFFFF) | SPIN;
        }
        int skipped = ((state >>> 8) & 0xFF) + 1;
        return skipped >= PROBE_EVERY ? score | SPIN : score | skipped << 8;
    }

    /** For tests and status views: whether spinning is on in this state (without counting a probe). */
    public static boolean spinning(int state) {
        return (state & 0xFF) > 0;
    }

    /** Whether the wait decided by {@link #next(int)} spins. */
    public static boolean spin(int state) {
        return (state & SPIN) != 0;
    }

    /** The state after a spin phase that caught what it waited for. */
    public static int caught(int state) {
        return (state & 0xFF00) | Math.min(MAX_SCORE, (state & 0xFF) + 1);
    }

    /** The state after a spin phase that missed. */
    public static int missed(int state) {
        return (state & 0xFF00) | Math.max(0, (state & 0xFF) - MISS);
    }
}
