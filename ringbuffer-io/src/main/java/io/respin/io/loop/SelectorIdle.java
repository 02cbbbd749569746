package io.respin.io.loop;

import io.respin.io.handoff.SpinPolicy;
import org.agrona.concurrent.IdleStrategy;

/**
 * The default idle strategy: spin briefly; then, while commands are in flight or their callbacks are still
 * running on the completion thread (a callback often submits the next command), yield for up to
 * {@link #YIELD_NANOS} after the last work (a reply on a local network usually arrives within that, and catching
 * it here saves a selector wake-up); then sleep in the selector until a socket, a submitter or the next deadline
 * wakes the thread. With nothing in flight it sleeps right after the spin: no reply can come, and a submitter
 * that finds it asleep sends its command itself ({@link Duty#afterOffer}), so sleeping costs no latency.
 * (Yielding for 50 µs after every command had kept 1.2 cores busy at 10,000 commands/s on 2 cores.) The yield
 * phase runs only while it pays ({@link SpinPolicy}): at a service's fixed rate the next reply is usually further
 * away than the phase lasts, and the thread then goes to sleep at once.
 * IO thread only.
 */
final class SelectorIdle implements IdleStrategy {
    private static final int SPINS = 20;
    static final long YIELD_NANOS = 50_000;
    private final IoAgent agent;
    private int spins;
    private long yieldingSince;
    /** Whether yielding has caught the next work lately: at a fixed rate it rarely does, and the thread sleeps. */
    private final SpinPolicy policy = new SpinPolicy();
    /** This idle period yields (decided once, at its start). */
    private boolean yieldPhase;
    /**
     * Whether the spin phase has caught work lately. While commands are in flight every spin turn is a pass with a
     * {@code selectNow} (a system call): at a fixed rate whose replies come later than the spin lasts, those calls
     * were most of the IO thread's CPU (3.8 epoll_wait per command at 5,000 GET/s); then it skips the spin.
     */
    private final SpinPolicy spinPolicy = new SpinPolicy();
    /** This idle period spins first (decided once, at its start); -1 until decided. */
    private int spinPhase = -1;

    SelectorIdle(IoAgent agent) {
        this.agent = agent;
    }

    @Override
    public void idle(int workCount) {
        if (workCount > 0) {
            reset();
        } else {
            idle();
        }
    }

    @Override
    public void idle() {
        if (spinPhase < 0) {
            spinPhase = spinPolicy.spin() ? 1 : 0;
        }
        if (spinPhase == 1 && spins < SPINS) {
            spins++;
            Thread.onSpinWait();
            return;
        }
        if (spinPhase == 1) {
            spinPolicy.missed();
            spinPhase = 0;
        }
        long now = System.nanoTime();
        boolean expecting = agent.deadlines().pending() > 0 || agent.completions().busy();
        if (yieldingSince == 0) {
            yieldingSince = now;
            yieldPhase = expecting && policy.spin();
        }
        if (yieldPhase && expecting && now - yieldingSince < YIELD_NANOS) {
            Thread.yield();
        } else {
            if (yieldPhase) {
                policy.missed();
                yieldPhase = false;
            }
            agent.duty().sleep();
        }
    }

    @Override
    public void reset() {
        if (spinPhase == 1) {
            spinPolicy.caught(); // work came within the spin: the select and its wake-up were saved
        }
        spinPhase = -1;
        if (yieldPhase) {
            policy.caught(); // work came while yielding: the sleep and its wake-up were saved
            yieldPhase = false;
        }
        spins = 0;
        yieldingSince = 0;
    }

    @Override
    public String alias() {
        return "selector-backoff";
    }
}
