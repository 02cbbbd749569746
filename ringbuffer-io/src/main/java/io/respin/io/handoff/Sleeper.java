package io.respin.io.handoff;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * The sleep of one consumer thread (the completion thread, the push thread) and the wake-up its producers give it:
 * one unpark per sleep, however many items are published before the thread runs again. An unpark of a parked thread
 * costs the producer two futex calls (HotSpot's parker: mutex and condition); a read of 20 replies that woke the
 * completion thread once per reply spent 40 system calls on the IO thread for one wake-up.
 *
 * <pre>
 *   consumer:  announce() ─▶ re-check its queue ─▶ park ─▶ awake()
 *   producer:  publish item ─▶ wake(): fence; asleep? CAS(true, false) ─▶ unpark   (only the CAS winner unparks)
 * </pre>
 * A wake that lands between announce and park leaves a permit: the park returns at once and the consumer looks at
 * its queue again, which is what it would have done anyway.
 */
final class Sleeper {
    private static final VarHandle ASLEEP;

    static {
        try {
            ASLEEP = MethodHandles.lookup().findVarHandle(Sleeper.class, "asleep", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused") // through ASLEEP
    private volatile boolean asleep;

    /** Consumer: about to park; it must re-check its queue after this, before parking. */
    void announce() {
        asleep = true;
    }

    /** Consumer: back from the park (or did not park). */
    void awake() {
        asleep = false;
    }

    /** Whether the consumer sleeps and no producer has woken it yet. */
    boolean isAsleep() {
        return asleep;
    }

    /**
     * Producer, after publishing an item: wakes {@code consumer} if it announced sleep and nobody woke it since. The
     * queue's offer publishes with a release store, which the load of {@code asleep} could overtake without the
     * fence: the consumer could announce sleep, find the queue empty and miss this wake-up (the item would wait out
     * the consumer's park timeout — seen as 100 ms outliers in the round-trip benchmark). Returns whether this call
     * unparked it.
     */
    boolean wake(Thread consumer) {
        VarHandle.fullFence();
        if (asleep && ASLEEP.compareAndSet(this, true, false)) {
            LockSupport.unpark(consumer);
            return true;
        }
        return false;
    }
}
