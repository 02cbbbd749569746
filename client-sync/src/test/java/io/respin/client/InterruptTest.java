package io.respin.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.respin.RedisInterruptedException;
import io.respin.client.sync.RedisCommands;
import io.respin.testkit.RedisServer;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Interrupting a thread blocked in a sync call ends the call at once with {@link RedisInterruptedException} and
 * keeps the interrupt status — no spinning until the reply. The command's late reply is discarded: the same
 * thread's next calls (a platform thread reuses its call object) get their own values, on the same connection.
 */
class InterruptTest {

    private static final String KEY = "interrupt:mine";
    static RedisServer server;
    static RedisClient client;

    @BeforeAll
    static void start() {
        server = RedisServer.builder().enableDebugCommand().start();
        client = RedisClient.builder(server.uri()).commandTimeout(Duration.ofSeconds(10)).build();
        client.sync().set(KEY, "MINE");
    }

    @AfterAll
    static void stop() {
        client.close();
        server.close();
    }

    /** What the interrupted thread saw, and what its next calls returned once it had cleared the interrupt. */
    record Seen(Throwable thrown, long cpuNanos, long endedAfterInterruptNanos, boolean stillInterrupted,
                String nextValue, String nextClientId, Throwable nextFailure) {
        String describe() {
            return "the call ended " + TimeUnit.NANOSECONDS.toMillis(endedAfterInterruptNanos) + " ms after the "
                    + "interrupt, used " + TimeUnit.NANOSECONDS.toMillis(cpuNanos) + " ms of CPU and threw " + thrown;
        }
    }

    /**
     * On a new thread: a call to warm up its call object, then {@code DEBUG SLEEP 2}, interrupted after ~100 ms;
     * then, the interrupt cleared, a GET and a CLIENT ID. CPU is the thread's own on a platform thread; a virtual
     * thread has no CPU clock of its own, so there it is the process's (the interrupted call takes ~100 ms).
     */
    private static Seen interruptASleepingCall(Thread.Builder threads) throws InterruptedException {
        RedisCommands<String, String> redis = client.sync();
        AtomicReference<Seen> out = new AtomicReference<>();
        CountDownLatch sleeping = new CountDownLatch(1);
        long[] interruptedAt = new long[1];
        Thread t = threads.unstarted(() -> {
            assertEquals("MINE", redis.get(KEY));
            long cpu = cpuNanos();
            sleeping.countDown();
            Throwable thrown = null;
            try {
                redis.execute("DEBUG", "SLEEP", "2");
            } catch (Throwable e) {
                thrown = e;
            }
            long ended = System.nanoTime();
            long used = cpuNanos() - cpu;
            boolean interrupted = Thread.interrupted(); // reads and clears it, as a caller that handled it would
            String value = null;
            String id = null;
            Throwable next = null;
            try {
                value = redis.get(KEY); // queued behind the sleep: the sleep's late "OK" comes first
                id = redis.execute("CLIENT", "ID").asString();
            } catch (Throwable e) {
                next = e;
            }
            out.set(new Seen(thrown, used, ended - interruptedAt[0], interrupted, value, id, next));
        });
        t.start();
        sleeping.await();
        Thread.sleep(100); // parked by now: the server sleeps for seconds
        interruptedAt[0] = System.nanoTime();
        t.interrupt();
        t.join(TimeUnit.SECONDS.toMillis(10));
        assertNotNull(out.get(), "the thread ended");
        return out.get();
    }

    private static long cpuNanos() {
        if (!Thread.currentThread().isVirtual()) {
            return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        }
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static void assertTheWaitEndedAtOnce(Seen s, long cpuBudgetMs) {
        assertTrue(s.cpuNanos() < TimeUnit.MILLISECONDS.toNanos(cpuBudgetMs), s.describe()); // a spinner: ~1,900
        assertTrue(s.endedAfterInterruptNanos() < TimeUnit.SECONDS.toNanos(1), s.describe());
        RedisInterruptedException e = assertInstanceOf(RedisInterruptedException.class, s.thrown(), s.describe());
        assertTrue(e.getMessage().startsWith("DEBUG was interrupted"), e.getMessage());
        assertTrue(s.stillInterrupted(), "the interrupt status is kept");
    }

    @Test
    void anInterruptedCallOnAPlatformThreadThrowsAtOnceWithoutSpinning() throws InterruptedException {
        assertTheWaitEndedAtOnce(interruptASleepingCall(Thread.ofPlatform()), 50);
    }

    @Test
    void anInterruptedCallOnAVirtualThreadThrowsAtOnceWithoutHoldingItsCarrier() throws InterruptedException {
        assertTheWaitEndedAtOnce(interruptASleepingCall(Thread.ofVirtual()), 250); // the whole process's CPU
    }

    @Test
    void afterAnInterruptedCallTheSameThreadsNextCallsGetTheirOwnRepliesOnTheSameConnection()
            throws InterruptedException {
        for (Thread.Builder threads : new Thread.Builder[] {Thread.ofPlatform(), Thread.ofVirtual()}) {
            String id = client.sync().execute("CLIENT", "ID").asString();
            Seen s = interruptASleepingCall(threads);
            assertInstanceOf(RedisInterruptedException.class, s.thrown(), s.describe());
            assertNull(s.nextFailure(), () -> "the next call failed: " + s.nextFailure());
            assertEquals("MINE", s.nextValue(), "the sleep's late OK is not the GET's reply");
            assertEquals(id, s.nextClientId(), "the same connection: the late reply did not break it");
        }
    }

    /**
     * The interrupted call is withdrawn, not merely abandoned by its thread: it is a {@code getInto} queued behind a
     * DEBUG SLEEP, and once the thread's next call (queued behind it) has its reply, not one byte of the interrupted
     * GET's late reply may be in the caller's buffer, which is the caller's again once the call has thrown.
     */
    @Test
    void anInterruptedGetIntoNeverWritesIntoItsBufferAfterTheCallEnded() throws InterruptedException {
        client.sync().set("interrupt:into", "LATE-VALUE");
        for (Thread.Builder threads : new Thread.Builder[] {Thread.ofPlatform(), Thread.ofVirtual()}) {
            RedisCommands<String, String> redis = client.sync();
            ByteBuffer dst = ByteBuffer.allocate(32);
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            AtomicReference<String> next = new AtomicReference<>();
            CountDownLatch waiting = new CountDownLatch(1);
            Thread t = threads.unstarted(() -> {
                client.async().execute("DEBUG", "SLEEP", "0.5");
                waiting.countDown();
                try {
                    redis.getInto("interrupt:into", dst);
                } catch (Throwable e) {
                    thrown.set(e);
                }
                Thread.interrupted();
                next.set(redis.get(KEY)); // behind the interrupted GET: its late reply has come and gone by now
            });
            t.start();
            waiting.await();
            Thread.sleep(100); // the GET waits behind the sleep, on the server
            t.interrupt();
            t.join(TimeUnit.SECONDS.toMillis(10));
            assertInstanceOf(RedisInterruptedException.class, thrown.get());
            assertEquals("MINE", next.get());
            assertArrayEquals(new byte[32], dst.array(), "the interrupted GET's late reply was discarded, not written "
                    + "into the caller's buffer");
        }
        client.sync().del("interrupt:into");
    }
}
