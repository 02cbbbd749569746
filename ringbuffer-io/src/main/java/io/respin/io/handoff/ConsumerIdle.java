package io.respin.io.handoff;

/**
 * How the completion and push threads idle: completions and pushes come in bursts (one per reply of a batch), so a
 * short spin and a few yields catch the next item of a burst without a park/unpark pair — while that pays
 * ({@link SpinPolicy}: at a service's fixed rate the next item is a whole interval away, and the thread parks at once
 * instead of taking CPU from the caller and the IO thread); after that the thread announces sleep and parks until
 * its producer wakes it. Owned by the one consumer thread that uses it.
 */
final class ConsumerIdle {
    private static final int SPINS = 50;
    private static final int YIELDS = 5;
    private final SpinPolicy policy = new SpinPolicy();
    private int idle;
    /** Whether the current idle period spun (and has not parked yet). */
    private boolean spinning;

    /** An item came: the next idle period starts with spinning again (if spinning pays). */
    void reset() {
        if (spinning) {
            policy.caught();
            spinning = false;
        }
        idle = 0;
    }

    /** One idle step (a spin or a yield); false once both are used up, or spinning does not pay: park now. */
    boolean step() {
        if (idle == 0) {
            if (!policy.spin()) {
                idle = SPINS + YIELDS;
                return false;
            }
            spinning = true;
        }
        if (idle < SPINS) {
            idle++;
            Thread.onSpinWait();
            return true;
        }
        if (idle < SPINS + YIELDS) {
            idle++;
            Thread.yield();
            return true;
        }
        if (spinning) {
            policy.missed();
            spinning = false;
        }
        return false;
    }
}
