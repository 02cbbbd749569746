package io.respin.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.respin.RedisException;
import io.respin.engine.connection.CommandKind;
import io.respin.engine.resp.RespHandler;
import io.respin.engine.resp.RespWriter;
import io.respin.testkit.FaultProxy;
import io.respin.testkit.RedisServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A submitter that finds the IO thread asleep sends the queue itself, and a synchronous one reads its own reply
 * (see {@code io.respin.io.loop.Duty#afterOffer}). These tests check that both paths are taken, that they keep every guarantee
 * of the IO thread's path (order per thread, no reply to the wrong command, reconnects), and that the setting
 * turns the submitter's part off.
 */
class SubmitterWritesTest {

    static RedisServer server;

    @BeforeAll
    static void start() {
        server = RedisServer.builder().start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aCommandSubmittedWhileTheIoThreadSleepsIsSentByItsCallerWhoAlsoReadsTheReply() {
        try (IoRuntime io = IoRuntime.start(IoSettings.defaults());
             RedisEndpoint redis = io.connect(server.uri())) {
            Cmd.Incr incr = new Cmd.Incr("submitter:counter");
            int n = 100;
            long passes = io.agent().submitterPasses;
            long replies = io.agent().repliesReadBySubmitter;
            for (int i = 1; i <= n; i++) {
                awaitSleeping(io);
                redis.submit(incr);
                incr.await();
                assertEquals(i, incr.value);
            }
            // the submitter polls for its reply only while polling pays (SpinPolicy): on a loaded machine (a JIT
            // compiling, a suite running beside) the first polls can miss and switch it off, and then only every
            // 16th command probes; give the probes room before judging
            for (int i = n + 1; i <= 20 * n && io.agent().repliesReadBySubmitter == replies; i++) {
                awaitSleeping(io);
                redis.submit(incr);
                incr.await();
                assertEquals(i, incr.value);
            }
            // the counters are written by whoever held the duty; this thread held it in every pass it counted
            long byCaller = io.agent().submitterPasses - passes;
            long readByCaller = io.agent().repliesReadBySubmitter - replies;
            System.out.printf("submitter passes %d of %d commands, replies read by the submitter %d%n", byCaller, n,
                    readByCaller);
            // the IO thread wakes for housekeeping every 100 ms and may be awake at the moment of a submit
            assertTrue(byCaller >= n / 2, byCaller + " of " + n + " commands sent by their submitter");
            assertTrue(readByCaller >= 1, "no submitter read its own reply (" + byCaller + " passes)");
        }
    }

    @Test
    void withSubmitterWritesOffTheIoThreadSendsEveryCommand() {
        IoSettings settings = IoSettings.builder().submitterWrites(false).build();
        try (IoRuntime io = IoRuntime.start(settings);
             RedisEndpoint redis = io.connect(server.uri())) {
            Cmd.Incr incr = new Cmd.Incr("io-thread:counter");
            for (int i = 1; i <= 20; i++) {
                awaitSleeping(io);
                redis.submit(incr);
                incr.await();
                assertEquals(i, incr.value);
            }
            assertEquals(0, io.agent().submitterPasses);
            assertEquals(0, io.agent().repliesReadBySubmitter);
        }
    }

    @Test
    void aReplyCostsTheIoThreadOneReadNotASecondOneThatFindsNothing() {
        // the IO thread does all reads here (no submitter polls for its reply); a read that got less than the
        // buffer's room means the socket is drained, so a read that would return 0 is never made
        IoSettings settings = IoSettings.builder().submitterWrites(false).build();
        try (IoRuntime io = IoRuntime.start(settings);
             RedisEndpoint redis = io.connect(server.uri())) {
            Cmd.Incr incr = new Cmd.Incr("reads:counter");
            int n = 300;
            long before = io.agent().emptyReads;
            for (int i = 1; i <= n; i++) {
                redis.submit(incr);
                incr.await();
                assertEquals(i, incr.value);
            }
            long empty = io.agent().emptyReads - before;
            assertTrue(empty <= n / 10, empty + " of " + n + " replies were followed by a read that found nothing");
        }
    }

    @Test
    void busySpinNeverHandsTheDutyToASubmitter() {
        IoSettings settings = IoSettings.builder().idleStrategy(IoSettings.Idle.BUSY_SPIN).build();
        try (IoRuntime io = IoRuntime.start(settings);
             RedisEndpoint redis = io.connect(server.uri())) {
            Cmd.Incr incr = new Cmd.Incr("busy:counter");
            for (int i = 1; i <= 20; i++) {
                LockSupport.parkNanos(200_000);
                redis.submit(incr);
                incr.await();
                assertEquals(i, incr.value);
            }
            assertEquals(0, io.agent().submitterPasses);
        }
    }

    /**
     * Threads append their own sequence numbers, asynchronously, pausing now and then so that the IO thread falls
     * asleep and some commands go out through their submitter while others queue behind the IO thread: each key
     * must hold its thread's numbers in submit order, and both paths must have been used.
     */
    @Test
    void commandsFromOneThreadKeepTheirOrderWhicheverThreadSendsThem() throws Exception {
        try (IoRuntime io = IoRuntime.start(IoSettings.defaults());
             RedisEndpoint redis = io.connect(server.uri())) {
            int threads = 4;
            int perThread = 3_000;
            ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
            CountDownLatch done = new CountDownLatch(threads * perThread);
            long passes = io.agent().submitterPasses;
            List<Thread> ts = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String key = "order:" + t;
                ts.add(Thread.ofPlatform().start(() -> {
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    for (int i = 0; i < perThread; i++) {
                        if (i % 100 == 0) {
                            awaitSleeping(io); // a sure chance for the submitter's path, whatever the machine's load
                        }
                        redis.submit(new AsyncAppend(key, i + ",", done, failures));
                        if (random.nextInt(8) == 0) {
                            LockSupport.parkNanos(random.nextLong(20_000, 400_000));
                        }
                    }
                }));
            }
            for (Thread t : ts) {
                t.join();
            }
            assertTrue(done.await(30, TimeUnit.SECONDS), done.getCount() + " appends never completed");
            assertTrue(failures.isEmpty(), "failed: " + failures);
            for (int t = 0; t < threads; t++) {
                StringBuilder expected = new StringBuilder();
                for (int i = 0; i < perThread; i++) {
                    expected.append(i).append(',');
                }
                assertEquals(expected.toString(), Cmd.str(new Cmd.Generic("GET", "order:" + t).run(redis)),
                        "thread " + t + "'s appends in its submit order");
            }
            long byCaller = io.agent().submitterPasses - passes;
            System.out.printf("%d submitter passes for %d appends%n", byCaller, threads * perThread);
            assertTrue(byCaller > 0, "no command went out through its submitter");
            assertTrue(byCaller < (long) threads * perThread, "every command went out through its submitter");
        }
    }

    /**
     * A submitter that finds the connection lost (the IO thread asleep in its reconnect backoff) leaves its command
     * waiting and wakes the IO thread, which reconnects and sends it.
     */
    @Test
    void aSubmitterThatFindsTheConnectionDownLeavesItToTheIoThread() {
        try (FaultProxy proxy = FaultProxy.start(server);
             IoRuntime io = IoRuntime.start(IoSettings.builder()
                     .reconnectBackoff(Duration.ofMillis(50), Duration.ofMillis(50), 0).build());
             RedisEndpoint redis = io.connect(proxy.uri())) {
            Cmd.Incr incr = new Cmd.Incr("reconnect:counter");
            redis.submit(incr);
            incr.await();
            long first = incr.value;
            proxy.cutAll();
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10)); // the IO thread notices and sleeps in backoff
            redis.submit(incr);
            incr.await();
            assertEquals(first + 1, incr.value, "sent once, after the reconnect");
            assertEquals(2, proxy.acceptedConnections());
        }
    }

    /**
     * A reply slower than the submitter's polling window is read by the IO thread, woken by the socket, and still
     * reaches the right command.
     */
    @Test
    void aReplyThatComesAfterTheSubmitterStoppedReadingIsDeliveredByTheIoThread() {
        try (FaultProxy proxy = FaultProxy.start(server);
             IoRuntime io = IoRuntime.start(IoSettings.defaults());
             RedisEndpoint redis = io.connect(proxy.uri())) {
            Cmd.Incr incr = new Cmd.Incr("slow:counter");
            redis.submit(incr);
            incr.await();
            long first = incr.value;
            proxy.delay(FaultProxy.Direction.TO_CLIENT, Duration.ofMillis(20));
            long replies = io.agent().repliesReadBySubmitter;
            awaitSleeping(io);
            redis.submit(incr);
            incr.await();
            assertEquals(first + 1, incr.value);
            assertEquals(replies, io.agent().repliesReadBySubmitter, "20 ms is beyond the submitter's window");
        }
    }

    /**
     * A control task queued before a submit (a dedicated connection handed back) runs before the submitter's pass
     * routes the command, as on the IO thread's own pass: the next dedicated command reuses the returned connection
     * instead of opening another.
     */
    @Test
    void aConnectionHandedBackBeforeASubmitIsReusedByIt() {
        try (IoRuntime io = IoRuntime.start(IoSettings.defaults());
             RedisEndpoint redis = io.connect(server.uri())) {
            DedicatedConnection dc = redis.dedicated();
            ping(dc);
            for (int i = 0; i < 50; i++) {
                awaitSleeping(io);
                dc.close();
                dc = redis.dedicated();
                ping(dc);
            }
            dc.close();
            Cmd.Generic list = new Cmd.Generic("CLIENT", "LIST");
            list.run(redis);
            long connections = list.reply().toString().split("id=").length - 1;
            assertEquals(2, connections, "the shared connection and one dedicated one: " + list.reply());
        }
    }

    private static void ping(DedicatedConnection dc) {
        Cmd.Generic ping = new Cmd.Generic("PING");
        dc.submit(ping);
        ping.await();
        assertEquals("PONG", Cmd.str(ping.reply()));
    }

    /** Spins until the IO thread sleeps in the selector (5 s at most). */
    static void awaitSleeping(IoRuntime io) {
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!io.agent().isSleeping()) {
            if (System.nanoTime() - giveUp > 0) {
                throw new AssertionError("the IO thread never went to sleep");
            }
            Thread.onSpinWait();
        }
    }

    /** APPEND key value, asynchronously; counts down when done and keeps a failure. */
    static final class AsyncAppend extends AsyncCommand {
        private static final RespHandler IGNORE = new RespHandler.Adapter();
        private final byte[] key;
        private final byte[] value;
        private final CountDownLatch done;
        private final ConcurrentLinkedQueue<Throwable> failures;

        AsyncAppend(String key, String value, CountDownLatch done, ConcurrentLinkedQueue<Throwable> failures) {
            this.key = key.getBytes(StandardCharsets.UTF_8);
            this.value = value.getBytes(StandardCharsets.UTF_8);
            this.done = done;
            this.failures = failures;
        }

        @Override public void encode(RespWriter w) { w.array(3).arg("APPEND").arg(key).arg(value); }

        @Override public RespHandler replyHandler() { return IGNORE; }

        @Override public CommandKind kind() { return CommandKind.PLAIN; }

        @Override protected void onCompleted() { done.countDown(); }

        @Override protected void onFailed(RedisException error) {
            failures.add(error);
            done.countDown();
        }
    }
}
