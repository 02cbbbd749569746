package io.respin.io.handoff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Spinning is judged by its recent success: waits that spinning keeps catching keep it on; waits it misses (a fixed
 * rate whose next item is an interval away) turn it off, so the thread parks at once; a probe every 16 waits notices
 * when the traffic comes back. And the completion/push threads' idle follows it: after misses, the first idle step
 * already says "park".
 */
class SpinPolicyTest {

    @Test
    void missesTurnSpinningOffAndCatchesTurnItBackOn() {
        SpinPolicy p = new SpinPolicy();
        assertTrue(p.spin(), "a new thread spins");
        for (int i = 0; i < 4; i++) {
            assertTrue(p.spin());
            p.missed();
        }
        assertFalse(p.spinning(), "four misses in a row: spinning is off");
        int probes = 0;
        for (int i = 0; i < 160; i++) {
            if (p.spin()) {
                probes++;
                p.missed();
            }
        }
        assertEquals(160 / SpinPolicy.PROBE_EVERY, probes, "one probe every " + SpinPolicy.PROBE_EVERY + " waits");
        for (int i = 1; i < SpinPolicy.PROBE_EVERY; i++) {
            assertFalse(p.spin());
        }
        assertTrue(p.spin(), "the probe");
        p.caught();
        assertTrue(p.spinning(), "a probe that caught its item turns spinning back on");
    }

    @Test
    void spinningStaysOnWhileItCatchesTwoWaitsInThree() {
        SpinPolicy p = new SpinPolicy();
        for (int i = 0; i < 300; i++) {
            assertTrue(p.spin(), "wait " + i);
            if (i % 3 == 0) {
                p.missed();
            } else {
                p.caught();
            }
        }
        for (int i = 0; i < 300 && p.spinning(); i++) { // one catch in three: it goes off
            p.spin();
            if (i % 3 == 0) {
                p.caught();
            } else {
                p.missed();
            }
        }
        assertFalse(p.spinning());
    }

    @Test
    void theConsumersIdleParksAtOnceOnceSpinningMisses() {
        ConsumerIdle idle = new ConsumerIdle();
        assertEquals(55, stepsUntilPark(idle), "50 spins and 5 yields while spinning pays");
        for (int i = 0; i < 3; i++) {
            stepsUntilPark(idle); // each idle period ends in a park: a miss
        }
        assertEquals(0, stepsUntilPark(idle), "after four misses the next idle period parks at its first step");
        // traffic comes back: a probe catches an item after two steps, and spinning is on again
        int periods = 0;
        while (stepsUntilItem(idle, 2) == 0) {
            periods++;
        }
        assertTrue(periods < SpinPolicy.PROBE_EVERY, "a probe came within " + SpinPolicy.PROBE_EVERY + " periods");
        assertEquals(55, stepsUntilPark(idle), "spinning again");
    }

    /** Steps through one idle period that ends in a park; returns how many steps spun or yielded. */
    private static int stepsUntilPark(ConsumerIdle idle) {
        int n = 0;
        while (idle.step()) {
            n++;
        }
        idle.reset(); // the parked thread is woken by an item
        return n;
    }

    /** An idle period in which an item comes after {@code after} steps; 0 when it parked at once (no spin). */
    private static int stepsUntilItem(ConsumerIdle idle, int after) {
        int n = 0;
        while (n < after && idle.step()) {
            n++;
        }
        idle.reset();
        return n;
    }
}
