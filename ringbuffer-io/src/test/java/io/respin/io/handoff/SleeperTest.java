package io.respin.io.handoff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SleeperTest {

    @Test
    void manyItemsPublishedWhileTheConsumerSleepsUnparkItOnce() throws InterruptedException {
        Sleeper sleeper = new Sleeper();
        Thread consumer = Thread.currentThread();
        sleeper.announce();
        int unparks = 0;
        for (int i = 0; i < 20; i++) { // the 20 replies of one read, each dispatched by the IO thread
            unparks += sleeper.wake(consumer) ? 1 : 0;
        }
        assertEquals(1, unparks, "one unpark per sleep, not one per item");
        assertFalse(sleeper.isAsleep(), "the waker cleared the announcement");
        sleeper.awake();

        sleeper.announce(); // the next sleep gets its own wake-up
        assertTrue(sleeper.wake(consumer));
        sleeper.awake();
        assertFalse(sleeper.wake(consumer), "a consumer that is awake is not unparked");
    }

    @Test
    void producersRacingOnOneSleepUnparkOnceBetweenThem() throws InterruptedException {
        Thread consumer = Thread.currentThread();
        int producers = 4;
        for (int round = 0; round < 200; round++) {
            Sleeper sleeper = new Sleeper();
            sleeper.announce();
            AtomicInteger unparks = new AtomicInteger();
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                Thread t = new Thread(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    for (int i = 0; i < 10; i++) {
                        if (sleeper.wake(consumer)) {
                            unparks.incrementAndGet();
                        }
                    }
                });
                t.start();
                threads.add(t);
            }
            go.countDown();
            for (Thread t : threads) {
                t.join(TimeUnit.SECONDS.toMillis(10));
            }
            assertEquals(1, unparks.get(), "round " + round + ": " + producers + " producers, one sleep");
        }
        Thread.interrupted(); // LockSupport permits only; nothing to clear, but keep the test thread clean
    }
}
