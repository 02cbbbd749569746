package io.respin.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.respin.testkit.FaultProxy;
import io.respin.testkit.RedisServer;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 16, the wake-up chain: a synchronous caller that sends its command while the runtime is idle waits for
 * the reply blocked on the socket's own selector, and the reply wakes that caller only — the IO thread, which
 * stopped watching the idle link's reads before it went to sleep, sleeps on (one wake-up per command, as with a
 * blocking client; before, the reply also woke the IO thread, to find the reply already read). And the waits that
 * are left: a caller's yield phase and the IO thread's idle spin run only while they catch their reply lately (at a
 * service's fixed rate they were CPU spent for nothing: 17 sched_yield calls per command at 5,000 GET/s from 16
 * threads, and a selectNow per spin turn).
 */
class CallerWaitsTest {
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
    void aCallerSendingWhileTheRuntimeIsIdleWaitsOnTheSocketAndTheReplyDoesNotWakeTheIoThread() {
        callerReadsItsOwnReplies(ConnectionOptions.defaults(), "caller-waits:counter");
    }

    /**
     * The same with a push listener on the endpoint, as every typed client has (the router of its subscriptions): a
     * shared link with no subscription hears no push, so the listener must not keep it watched. Before, it did — the
     * typed clients never had the caller's own read, and each reply woke the IO thread, then the caller.
     */
    @Test
    void aPushListenerWithoutSubscriptionsDoesNotKeepTheIdleLinkWatched() {
        ConnectionOptions withListener = ConnectionOptions.builder().pushListener(push -> { }).build();
        callerReadsItsOwnReplies(withListener, "caller-waits:listened");
    }

    private static void callerReadsItsOwnReplies(ConnectionOptions options, String key) {
        try (IoRuntime io = IoRuntime.start(IoSettings.defaults());
             RedisEndpoint redis = io.connect(RedisUri.parse(server.uri()), options)) {
            Cmd.Incr incr = new Cmd.Incr(key);
            int n = 300;
            long awaited = io.agent().repliesAwaitedBySubmitter;
            long wakes = io.agent().selectWakes;
            for (int i = 1; i <= n; i++) {
                SubmitterWritesTest.awaitSleeping(io);
                redis.submit(incr);
                incr.await();
                assertEquals(i, incr.value);
            }
            long byCaller = io.agent().repliesAwaitedBySubmitter - awaited;
            long ioWakes = io.agent().selectWakes - wakes;
            System.out.printf("%d commands: %d replies awaited by their caller on the socket, %d IO-thread wakes%n",
                    n, byCaller, ioWakes);
            // the IO thread still wakes every 10 ms to watch the link again, and a loaded machine can have it awake
            // at a submit; a reply that woke it as well would make ioWakes about n
            assertTrue(byCaller >= n / 2, byCaller + " of " + n + " replies awaited by their caller");
            assertTrue(ioWakes <= n / 4, ioWakes + " IO-thread wakes for " + n + " commands");
        }
    }

    @Test
    void aServerCloseOfAnIdleLinkIsSeenBeforeTheNextCommandIsWrittenToIt() {
        try (IoRuntime io = IoRuntime.start(IoSettings.defaults());
             RedisEndpoint redis = io.connect(server.uri())) {
            Cmd.Incr incr = new Cmd.Incr("caller-waits:killed");
            for (int round = 1; round <= 20; round++) {
                long id = clientId(redis);
                SubmitterWritesTest.awaitSleeping(io); // the link was just used: the sleeping IO thread does not watch its reads
                server.command("CLIENT", "KILL", "ID", Long.toString(id));
                // the close is unread; a write sent on the dead socket would fail with its outcome unknown
                redis.submit(incr);
                incr.await();
                assertEquals(round, incr.value, "round " + round);
                assertNotEquals(id, clientId(redis), "a new connection");
            }
        }
    }

    @Test
    void anAsyncCommandSentWhileTheRuntimeIsIdleWakesTheIoThreadForItsReply() throws Exception {
        try (IoRuntime io = IoRuntime.start(IoSettings.defaults());
             RedisEndpoint redis = io.connect(server.uri())) {
            // links stay unwatched for as long as the IO thread sleeps: only the submitter's wake-up can have it
            // read an async reply before its 100 ms housekeeping wake
            io.agent().unwatchedForNanos = TimeUnit.HOURS.toNanos(1);
            int n = 31;
            long[] took = new long[n];
            for (int i = 0; i < n; i++) {
                clientId(redis); // a sync command: the link answered just now, so the next sleep leaves it unwatched
                SubmitterWritesTest.awaitSleeping(io);
                CountDownLatch done = new CountDownLatch(1);
                ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
                SubmitterWritesTest.AsyncAppend append = new SubmitterWritesTest.AsyncAppend("caller-waits:async",
                        "x", done, failures);
                long start = System.nanoTime();
                redis.submit(append);
                assertTrue(done.await(5, TimeUnit.SECONDS), "APPEND " + i + " answered");
                took[i] = System.nanoTime() - start;
                assertTrue(failures.isEmpty(), failures.toString());
            }
            Arrays.sort(took);
            // left to the housekeeping wake, the median would be ~50 ms
            assertTrue(took[n / 2] < TimeUnit.MILLISECONDS.toNanos(10), "median " + took[n / 2] / 1000 + " us");
        }
    }

    /**
     * A batch that its own thread gathers (a pipeline's {@code awaitAll()}) is a waiting caller too: sent while the
     * runtime is idle, the caller writes it and reads its replies on the socket itself, and they do not wake the IO
     * thread (before: the IO thread woke for the replies and woke the caller — two wake-ups per batch).
     */
    @Test
    void aBatchItsOwnThreadGathersIsReadByThatThreadAndItsRepliesDoNotWakeTheIoThread() {
        try (IoRuntime io = IoRuntime.start(IoSettings.defaults());
             RedisEndpoint redis = io.connect(server.uri())) {
            int batches = 200;
            int k = 16;
            long awaited = io.agent().repliesAwaitedBySubmitter;
            long wakes = io.agent().selectWakes;
            ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
            for (int b = 0; b < batches; b++) {
                SubmitterWritesTest.awaitSleeping(io);
                CountDownLatch done = new CountDownLatch(k);
                Gather gather = new Gather(k);
                java.util.List<AsyncCommand> batch = new java.util.ArrayList<>();
                for (int i = 0; i < k; i++) {
                    batch.add(new SubmitterWritesTest.AsyncAppend("caller-waits:batch", "x", done, failures)
                            .gatherInto(gather));
                }
                redis.submitAll(batch, (c, e) -> failures.add(e));
                gather.await();
                assertEquals(0, done.getCount(), "every callback of batch " + b + " ran before await returned");
            }
            assertTrue(failures.isEmpty(), failures.toString());
            long byCaller = io.agent().repliesAwaitedBySubmitter - awaited;
            long ioWakes = io.agent().selectWakes - wakes;
            System.out.printf("%d gathered batches of %d: %d read by their caller on the socket, %d IO-thread wakes%n",
                    batches, k, byCaller, ioWakes);
            assertTrue(byCaller >= batches / 2, byCaller + " of " + batches + " batches read by their caller");
            assertTrue(ioWakes <= batches / 4, ioWakes + " IO-thread wakes for " + batches + " batches");
        }
    }

    @Test
    void anAsyncCallersLinkStaysWatchedSoItsReplyIsTheOneWakeUp() throws Exception {
        try (IoRuntime io = IoRuntime.start(IoSettings.defaults());
             RedisEndpoint redis = io.connect(server.uri())) {
            int n = 200;
            long wakes = 0;
            long passes = io.agent().submitterPasses;
            long woken = io.agent().submitterWakeups;
            for (int i = 0; i < n; i++) {
                SubmitterWritesTest.awaitSleeping(io);
                long before = io.agent().selectWakes;
                CountDownLatch done = new CountDownLatch(1);
                ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
                redis.submit(new SubmitterWritesTest.AsyncAppend("caller-waits:async-only", "x", done, failures));
                assertTrue(done.await(5, TimeUnit.SECONDS), "APPEND " + i + " answered");
                assertTrue(failures.isEmpty(), failures.toString());
                wakes += io.agent().selectWakes - before;
            }
            // the reply is the one wake-up: a link unwatched before each sleep would need the submitter to wake
            // the IO thread right after its write, to watch it again (and the IO thread to wait awake for the reply)
            long byCaller = io.agent().submitterPasses - passes;
            long wakeups = io.agent().submitterWakeups - woken;
            System.out.printf("%d async commands on an idle runtime: %d sent by their caller, %d of those woke the IO"
                    + " thread; %d IO-thread wakes%n", n, byCaller, wakeups, wakes);
            assertTrue(byCaller >= n / 2, byCaller + " of " + n + " sent by their caller");
            assertTrue(wakeups <= n / 10, wakeups + " of " + byCaller + " submitter passes woke the IO thread");
        }
    }

    @Test
    void aCommandSubmittedWhileACallerWaitsOnTheSocketIsSentByThatCallerWhoKeepsWaitingThere() throws Exception {
        try (FaultProxy proxy = FaultProxy.start(server);
             IoRuntime io = IoRuntime.start(IoSettings.defaults());
             RedisEndpoint redis = io.connect(proxy.uri())) {
            proxy.delay(FaultProxy.Direction.TO_CLIENT, Duration.ofMillis(5)); // a wide window for B
            // the sleeping IO thread must not take the duty back to re-watch the link in the middle of a round
            io.agent().unwatchedForNanos = TimeUnit.HOURS.toNanos(1);
            Cmd.Incr a = new Cmd.Incr("caller-waits:leader");
            Cmd.Incr b = new Cmd.Incr("caller-waits:second");
            int rounds = 20;
            long awaited = 0;
            long left = 0;
            for (int i = 1; i <= rounds; i++) {
                clientId(redis); // the link answered a waiting caller just now: the next sleep leaves it unwatched
                SubmitterWritesTest.awaitSleeping(io);
                CountDownLatch bSent = new CountDownLatch(1);
                int round = i;
                Thread second = Thread.ofPlatform().start(() -> {
                    try {
                        Thread.sleep(2); // a is written and its caller waits on the socket for ~5 ms
                    } catch (InterruptedException e) {
                        return;
                    }
                    redis.submit(b);
                    bSent.countDown();
                    b.await();
                });
                long awaitedBefore = io.agent().repliesAwaitedBySubmitter;
                long leftBefore = io.agent().commandsLeftToLeader.get();
                redis.submit(a); // sent by this thread, which waits for the reply on the socket
                a.await();
                second.join(5_000);
                assertEquals(round, a.value);
                assertEquals(round, b.value);
                assertTrue(bSent.getCount() == 0);
                awaited += io.agent().repliesAwaitedBySubmitter - awaitedBefore;
                left += io.agent().commandsLeftToLeader.get() - leftBefore;
            }
            System.out.printf("%d rounds: %d replies awaited on the socket by their caller, %d commands left to it%n",
                    rounds, awaited, left);
            // before: B's submit made the waiting caller hand its wait to the IO thread (a's reply then read there)
            assertTrue(awaited >= rounds * 3 / 4, awaited + " of " + rounds + " replies read by the waiting caller");
            assertTrue(left >= rounds * 3 / 4, left + " of " + rounds + " commands sent by the waiting caller");
        }
    }

    @Test
    void aCallerWhoseRepliesComeLateStopsYieldingForThem() {
        try (FaultProxy proxy = FaultProxy.start(server);
             IoRuntime io = IoRuntime.start(IoSettings.defaults());
             RedisEndpoint redis = io.connect(proxy.uri())) {
            // the IO thread keeps watching the link: the caller waits in SyncCommand.await, not on the socket itself
            io.agent().unwatchedForNanos = 0;
            Cmd.Incr incr = new Cmd.Incr("sync-yield:counter");
            redis.submit(incr);
            incr.await();
            assertTrue(incr.yieldsLately(), "a new command starts out yielding");
            proxy.delay(FaultProxy.Direction.TO_CLIENT, Duration.ofMillis(3)); // every reply comes after the phase
            for (int i = 2; i <= 12; i++) {
                redis.submit(incr);
                incr.await();
                assertEquals(i, incr.value);
            }
            assertFalse(incr.yieldsLately(), "after replies that came 3 ms late, the caller parks at once");
        }
    }

    @Test
    void theIoThreadStopsSpinningOnTheSocketsWhenRepliesComeLaterThanItsSpin() throws InterruptedException {
        try (FaultProxy proxy = FaultProxy.start(server);
             IoRuntime io = IoRuntime.start(IoSettings.defaults());
             RedisEndpoint redis = io.connect(proxy.uri())) {
            io.agent().unwatchedForNanos = 0;
            proxy.delay(FaultProxy.Direction.TO_CLIENT, Duration.ofMillis(3));
            Cmd.Incr a = new Cmd.Incr("sync-yield:a");
            Cmd.Incr b = new Cmd.Incr("sync-yield:b");
            int rounds = 40;
            long polls = 0;
            for (int i = 1; i <= rounds; i++) {
                long before = io.agent().selectNows;
                // b goes out 1 ms after a: when a's reply wakes the IO thread, b is still in flight, so every turn
                // of a spin would poll the sockets (a selectNow per turn)
                redis.submit(a);
                Thread.sleep(1);
                redis.submit(b);
                a.await();
                b.await();
                assertEquals(i, a.value);
                assertEquals(i, b.value);
                if (i > rounds / 2) { // the policy has judged the first half
                    polls += io.agent().selectNows - before;
                }
            }
            double perCommand = polls / (double) rounds; // rounds / 2 rounds of 2 commands
            System.out.printf("%.1f selectNow per command with replies 3 ms late%n", perCommand);
            // spinning: 20 turns with a selectNow each after a's reply; skipped: a few per wake-up
            assertTrue(perCommand < 8, perCommand + " selectNow calls per command");
        }
    }

    /**
     * A caller waiting on its own socket (the lead) reads it for a while before it blocks, but only while that has
     * caught its replies lately: with replies 3 ms late every spin would be ~50 µs of reads for nothing, and the
     * caller blocks at once instead (a probe now and then).
     */
    @Test
    void aCallerOnItsSocketStopsReadingBeforeBlockingWhenRepliesComeLate() {
        try (FaultProxy proxy = FaultProxy.start(server);
             IoRuntime io = IoRuntime.start(IoSettings.defaults());
             RedisEndpoint redis = io.connect(proxy.uri())) {
            proxy.delay(FaultProxy.Direction.TO_CLIENT, Duration.ofMillis(3));
            Cmd.Incr incr = new Cmd.Incr("caller-waits:late-lead");
            int rounds = 40;
            long reads = 0;
            long led = 0;
            for (int i = 1; i <= rounds; i++) {
                SubmitterWritesTest.awaitSleeping(io);
                long readsBefore = io.agent().leadSpinReads;
                long ledBefore = io.agent().repliesAwaitedBySubmitter;
                redis.submit(incr);
                incr.await();
                assertEquals(i, incr.value);
                if (i > rounds / 2) { // the policy has judged the first half
                    reads += io.agent().leadSpinReads - readsBefore;
                    led += io.agent().repliesAwaitedBySubmitter - ledBefore;
                }
            }
            double perCommand = reads / (rounds / 2.0);
            System.out.printf("%.1f spin reads per command with replies 3 ms late, %d of %d led%n", perCommand, led,
                    rounds / 2);
            assertTrue(led >= rounds / 4, led + " of " + rounds / 2 + " replies read by their caller on the socket");
            assertTrue(perCommand < 8, perCommand + " spin reads per command");
        }
    }

    /**
     * A caller at a service's pace — a pause between its commands, as when it sends at the rate of its own traffic —
     * blocks on its socket at once, as a blocking client does, instead of reading it through the round trip (a round
     * trip of CPU per command: 28 reads per command at 5,000 GET/s, most of respin's CPU per command there). A caller
     * in a closed loop, whose next command follows its last reply within µs, reads for its reply before it blocks:
     * for it the wait is the time of its next command.
     */
    @Test
    void aCallerAtAServicesPaceBlocksOnItsSocketAtOnceWhileAClosedLoopReadsForItsReplyFirst() {
        try (IoRuntime io = IoRuntime.start(IoSettings.defaults());
             RedisEndpoint redis = io.connect(server.uri())) {
            Cmd.Incr incr = new Cmd.Incr("caller-waits:pace");
            int rounds = 200;
            long[] paced = incrs(io, redis, incr, 1, rounds, 300_000); // the service's own work between commands
            System.out.printf("paced: %d spin reads, %d of %d replies read by their caller on the socket%n",
                    paced[0], paced[1], rounds);
            assertTrue(paced[1] >= rounds / 2, paced[1] + " of " + rounds + " replies read by their caller");
            assertEquals(0, paced[0], "reads of a paced caller spinning for its reply");

            SubmitterWritesTest.awaitSleeping(io);
            long[] closed = incrs(io, redis, incr, rounds + 1, rounds * 5, 0);
            System.out.printf("closed loop: %d spin reads, %d of %d replies read by their caller%n", closed[0],
                    closed[1], rounds * 5);
            assertTrue(closed[1] >= rounds, closed[1] + " of " + rounds * 5 + " replies read by their caller");
            assertTrue(closed[0] > 0, "a caller in a closed loop never read for its reply before blocking");
        }
    }

    /**
     * {@code n} INCRs from this thread, the first expected to return {@code first}; with a pause, each after the IO
     * thread sleeps and the pause has passed. Returns the lead's spin reads and the replies read by their caller.
     */
    private static long[] incrs(IoRuntime io, RedisEndpoint redis, Cmd.Incr incr, int first, int n, long pauseNanos) {
        long reads = 0;
        long led = 0;
        for (int i = first; i < first + n; i++) {
            if (pauseNanos > 0) {
                SubmitterWritesTest.awaitSleeping(io);
                long pauseEnd = System.nanoTime() + pauseNanos;
                while (System.nanoTime() - pauseEnd < 0) {
                    Thread.onSpinWait();
                }
            }
            long readsBefore = io.agent().leadSpinReads;
            long ledBefore = io.agent().repliesAwaitedBySubmitter;
            redis.submit(incr);
            incr.await();
            assertEquals(i, incr.value);
            reads += io.agent().leadSpinReads - readsBefore;
            led += io.agent().repliesAwaitedBySubmitter - ledBefore;
        }
        return new long[] {reads, led};
    }

    private static long clientId(RedisEndpoint redis) {
        Cmd.Generic id = new Cmd.Generic("CLIENT", "ID");
        return ((io.respin.engine.resp.Reply.Int) id.run(redis)).value();
    }
}
