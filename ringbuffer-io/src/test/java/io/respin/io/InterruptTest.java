package io.respin.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.respin.io.loop.OnIoThread;
import io.respin.io.loop.Submission;
import io.respin.RedisCancelledException;
import io.respin.RedisInterruptedException;
import io.respin.testkit.RedisServer;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An interrupt ends a {@link SyncCommand#await()} at once with a {@link RedisInterruptedException} and keeps the
 * thread's interrupt status, as {@code BlockingQueue.take()} does — it does not spin until the reply (parkNanos
 * returns at once for an interrupted thread). The command is withdrawn (it fails with RedisCancelledException and its
 * late reply is discarded by the engine), and the same connection goes on serving the next commands.
 */
class InterruptTest {

    static RedisServer server;
    static IoRuntime io;
    static RedisEndpoint redis;

    @BeforeAll
    static void start() {
        server = RedisServer.builder().enableDebugCommand().start();
        io = IoRuntime.start(IoSettings.builder().commandTimeout(Duration.ofSeconds(10)).build());
        redis = io.connect(server.uri());
    }

    @AfterAll
    static void stop() {
        io.close();
        server.close();
    }

    /** What the waiting thread saw: its exception, CPU time used by the wait, and whether it was still interrupted. */
    record Wait(Throwable thrown, long cpuNanos, long endedAfterInterruptNanos, boolean stillInterrupted) {
    }

    /**
     * Starts {@code command} on a new thread from {@code threads}, interrupts the thread while it waits, and
     * reports. CPU is the thread's own on a platform thread; on a virtual thread, which has no CPU clock of its
     * own, it is the process's (the wait takes ~100 ms of wall time; a spinning waiter burns a core until the reply).
     */
    static Wait interruptWhileWaiting(Thread.Builder threads, SyncCommand command) throws InterruptedException {
        AtomicReference<Wait> out = new AtomicReference<>();
        CountDownLatch waiting = new CountDownLatch(1);
        long[] interruptedAt = new long[1];
        Thread t = threads.unstarted(() -> {
            long cpu = cpuNanos();
            redis.submit(command);
            waiting.countDown();
            Throwable thrown = null;
            try {
                command.await();
            } catch (Throwable e) {
                thrown = e;
            }
            long ended = System.nanoTime();
            boolean interrupted = Thread.currentThread().isInterrupted();
            out.set(new Wait(thrown, cpuNanos() - cpu, ended - interruptedAt[0], interrupted));
        });
        t.start();
        waiting.await();
        Thread.sleep(100); // parked by now: the server sleeps for seconds
        interruptedAt[0] = System.nanoTime();
        t.interrupt();
        t.join(TimeUnit.SECONDS.toMillis(10));
        assertNotNull(out.get(), "the waiting thread ended");
        return out.get();
    }

    private static long cpuNanos() {
        if (!Thread.currentThread().isVirtual()) {
            return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        }
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static String clientId() {
        return Cmd.str(new Cmd.Generic("CLIENT", "ID").run(redis));
    }

    private void assertInterruptEndsTheWaitNotTheConnection(Thread.Builder threads, long cpuBudgetMs)
            throws InterruptedException {
        String id = clientId();
        Cmd.Generic sleep = new Cmd.Generic("DEBUG", "SLEEP", "2");

        Wait w = interruptWhileWaiting(threads, sleep);
        String seen = "the wait ended " + TimeUnit.NANOSECONDS.toMillis(w.endedAfterInterruptNanos()) + " ms after "
                + "the interrupt, used " + TimeUnit.NANOSECONDS.toMillis(w.cpuNanos()) + " ms of CPU and threw "
                + w.thrown();
        assertTrue(w.cpuNanos() < TimeUnit.MILLISECONDS.toNanos(cpuBudgetMs), seen);
        assertTrue(w.endedAfterInterruptNanos() < TimeUnit.SECONDS.toNanos(1), seen);
        RedisInterruptedException e = assertInstanceOf(RedisInterruptedException.class, w.thrown(), seen);
        assertTrue(e.getMessage().contains("withdrawn"), e.getMessage());
        assertInstanceOf(InterruptedException.class, e.getCause());
        assertTrue(w.stillInterrupted(), "the interrupt status is kept");
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        while (sleep.isPending() && System.nanoTime() < until) {
            Thread.onSpinWait();
        }
        assertFalse(sleep.isPending(), "withdrawn by the interrupt, not left pending until its reply or deadline");
        assertInstanceOf(RedisCancelledException.class, sleep.failure());

        // queued behind the sleep on the same connection: it gets its own reply; the sleep's late "OK" is discarded
        assertEquals(id, clientId(), "same connection");
        assertNull(sleep.reply(), "the late OK was discarded, not delivered to the withdrawn command");
    }

    @Test
    void anInterruptEndsAPlatformThreadsWaitAtOnceWithoutSpinning() throws InterruptedException {
        // the thread's own CPU clock: a spinning waiter shows ~1,900 ms here
        assertInterruptEndsTheWaitNotTheConnection(Thread.ofPlatform(), 50);
    }

    @Test
    void anInterruptEndsAVirtualThreadsWaitAtOnceWithoutHoldingItsCarrier() throws InterruptedException {
        // the process's CPU over the ~100 ms wait (the IO thread and the JVM included): a spinning waiter shows
        // a core's worth, ~1,900 ms
        assertInterruptEndsTheWaitNotTheConnection(Thread.ofVirtual(), 250);
    }

    @Test
    void aThreadInterruptedBeforeItWaitsDoesNotWaitButGetsAnOutcomeAlreadyIn() {
        String id = clientId();
        Cmd.Generic ping = new Cmd.Generic("PING");
        redis.submit(ping);
        while (!ping.isDone()) {
            Thread.onSpinWait();
        }
        Cmd.Generic sleep = new Cmd.Generic("DEBUG", "SLEEP", "0.5");
        redis.submit(sleep);
        // on the wire before the interrupt (probed before it: the probe's wait would see it), so that the sleep's
        // OK comes late, on the same connection, and must be discarded there
        assertEquals(Submission.Where.IN_FLIGHT, OnIoThread.awaitRouted(io.loop(), sleep));
        Thread.currentThread().interrupt();
        try {
            ping.await(); // the outcome is in: no wait to end
            assertEquals("PONG", Cmd.str(ping.reply()));

            long start = System.nanoTime();
            RedisInterruptedException e = assertThrows(RedisInterruptedException.class, sleep::await);
            assertTrue(System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(250), e.getMessage());
            assertTrue(Thread.currentThread().isInterrupted());
        } finally {
            Thread.interrupted();
        }
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        // the outcome, not the phase: a command turns idle just before its failed() records the failure
        while (sleep.failure() == null && System.nanoTime() < until) {
            Thread.onSpinWait();
        }
        RedisCancelledException cancelled = assertInstanceOf(RedisCancelledException.class, sleep.failure(),
                "withdrawn by the interrupt, not left pending until its reply");
        assertTrue(cancelled.getMessage().contains("after it was sent"), cancelled.getMessage());
        // queued behind the sleep: by its reply the sleep's late OK has come on this connection and been dropped
        assertEquals("PONG", Cmd.str(new Cmd.Generic("PING").run(redis)));
        assertNull(sleep.reply(), "the sleep's late OK was discarded, not delivered to the withdrawn command");
        assertEquals(id, clientId(), "same connection: discarded by the engine, not by a reconnect");
    }
}
