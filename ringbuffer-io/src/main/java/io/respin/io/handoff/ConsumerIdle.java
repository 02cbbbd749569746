package io.respin.io.handoff;

/**
 * How the completion and push threads idle: completions and pushes come in bursts (one per reply of a batch), so a
 * short spin and a few yields catch the next item of a burst without a park/unpark pair; after that the thread
 * announces sleep and parks until its producer wakes it. Owned by the one consumer thread that uses it.
 */
final class ConsumerIdle {
    private static final int SPINS = 50;
    private static final int YIELDS = 5;
    private int idle;

    /** An item came: the next idle period starts with spinning again. */
    void reset() {
        idle = 0;
    }

    /** One idle step (a spin or a yield); false once both are used up: time to announce sleep and park. */
    boolean step() {
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
        return false;
    }
}
