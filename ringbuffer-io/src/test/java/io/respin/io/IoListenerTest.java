package io.respin.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.respin.RedisBackpressureException;
import io.respin.RedisException;
import io.respin.RedisServerException;
import io.respin.RedisTimeoutException;
import io.respin.engine.connection.CommandKind;
import io.respin.engine.resp.RespHandler;
import io.respin.engine.resp.RespWriter;
import io.respin.testkit.FaultProxy;
import io.respin.testkit.RecordingLoggerFinder;
import io.respin.testkit.RedisServer;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Issue 20, the event hook: an {@link IoListener} hears of every command that ended (name, duration, outcome), of
 * connections going down and up (a FaultProxy cut), and of backpressure; backpressure is also logged, at most one
 * line per interval; a listener allocates nothing per command.
 */
class IoListenerTest {

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** Every event as a line, in the order the runtime reported them. */
    static final class Recorder implements IoListener {
        final ConcurrentLinkedQueue<String> events = new ConcurrentLinkedQueue<>();
        final List<RedisEndpoint> endpoints = new java.util.concurrent.CopyOnWriteArrayList<>();
        final AtomicLong nonPositiveDurations = new AtomicLong();

        @Override
        public void commandCompleted(RedisEndpoint endpoint, String command, long durationNanos, Outcome outcome,
                                     RedisException error) {
            endpoints.add(endpoint);
            if (durationNanos <= 0) {
                nonPositiveDurations.incrementAndGet();
            }
            if ((outcome == Outcome.OK) != (error == null) || Outcome.of(error) != outcome) {
                events.add("inconsistent " + outcome + " " + error);
            }
            events.add(command + " " + outcome);
        }

        @Override
        public void connectionUp(RedisEndpoint endpoint, Connection connection, boolean reconnect, int attempts) {
            endpoints.add(endpoint);
            events.add("up " + connection + (reconnect ? " reconnect" : " first") + " attempts=" + attempts);
        }

        @Override
        public void connectionDown(RedisEndpoint endpoint, Connection connection, RedisException cause) {
            endpoints.add(endpoint);
            events.add("down " + connection + " " + cause.getClass().getSimpleName());
        }

        @Override
        public void backpressure(long pendingCommands, long pendingBytes, boolean refused) {
            events.add("backpressure " + (refused ? "refused" : "waits") + " pending=" + pendingCommands);
        }

        /**
         * Waits until {@code n} events are in (the listener hears of a command just after its caller got the outcome),
         * then takes them all.
         */
        List<String> take(int n) throws InterruptedException {
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (events.size() < n && System.nanoTime() < until) {
                Thread.sleep(1);
            }
            return take();
        }

        List<String> take() {
            List<String> all = new ArrayList<>();
            String e;
            while ((e = events.poll()) != null) {
                all.add(e);
            }
            return all;
        }

        void await(String event) throws InterruptedException {
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!events.contains(event)) {
                if (System.nanoTime() > until) {
                    throw new AssertionError("no event '" + event + "' in " + events);
                }
                Thread.sleep(5);
            }
        }
    }

    @Test
    void commandsAndACutConnectionAreReported() throws Exception {
        Recorder rec = new Recorder();
        try (RedisServer server = RedisServer.builder().start();
             FaultProxy proxy = FaultProxy.start(server);
             IoRuntime io = IoRuntime.start(IoSettings.builder().listener(rec).build());
             RedisEndpoint redis = io.connect(proxy.uri())) {
            assertEquals(List.of("up SHARED first attempts=1"), rec.take(1));
            for (int i = 0; i < 10; i++) {
                new Cmd.Generic("PING").run(redis);
            }
            new Cmd.Generic("SET", "listener:k", "not a number").run(redis);
            assertThrows(RedisServerException.class, () -> new Cmd.Generic("INCR", "listener:k").run(redis));
            List<String> expected = new ArrayList<>(java.util.Collections.nCopies(10, "PING OK"));
            expected.add("SET OK");
            expected.add("INCR SERVER_ERROR");
            assertEquals(expected, rec.take(expected.size()));

            proxy.cutAll();
            rec.await("up SHARED reconnect attempts=1");
            assertEquals(List.of("down SHARED RedisConnectionException", "up SHARED reconnect attempts=1"), rec.take());
            assertEquals("PONG", Cmd.str(new Cmd.Generic("PING").run(redis)));
            assertEquals(List.of("PING OK"), rec.take(1));

            // no byte for the whole timeout: the command times out, and the silent socket is presumed dead
            proxy.stall(FaultProxy.Direction.TO_CLIENT);
            Cmd.Generic get = new Cmd.Generic("GET", "listener:k");
            get.timeout(Duration.ofMillis(200));
            assertThrows(RedisTimeoutException.class, () -> get.run(redis));
            proxy.resume();
            rec.await("up SHARED reconnect attempts=1");
            assertEquals(List.of("GET TIMEOUT", "down SHARED RedisConnectionException",
                    "up SHARED reconnect attempts=1"), rec.take(3));

            assertEquals(0, rec.nonPositiveDurations.get());
            assertTrue(rec.endpoints.stream().allMatch(e -> e == redis), "every event names the endpoint");
        }
    }

    @Test
    void aReconnectAfterRefusedAttemptsReportsHowManyAttemptsItTook() throws Exception {
        Recorder rec = new Recorder();
        try (RedisServer server = RedisServer.builder().start();
             FaultProxy proxy = FaultProxy.start(server);
             IoRuntime io = IoRuntime.start(IoSettings.builder().listener(rec)
                     .reconnectBackoff(Duration.ofMillis(200), Duration.ofMillis(200), 0).build());
             RedisEndpoint redis = io.connect(proxy.uri())) {
            assertEquals(List.of("up SHARED first attempts=1"), rec.take(1));
            proxy.refuseNew(true);
            proxy.cutAll();
            // the loss and two refused connects, one every 200 ms; then the next attempt is let through
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            int failed = 0;
            while (failed < 3 && System.nanoTime() < until) {
                failed = redis.status().connections().getFirst().failedAttempts();
                Thread.sleep(5);
            }
            proxy.refuseNew(false);
            assertEquals(3, failed, "the loss and two refused connects");
            rec.await("up SHARED reconnect attempts=3");
            assertEquals(List.of("down SHARED RedisConnectionException", "up SHARED reconnect attempts=3"), rec.take());
        }
    }

    /** Never answered while the proxy stalls: holds its place among the pending commands. */
    static final class Held extends AsyncCommand {
        final AtomicInteger ended;

        Held(AtomicInteger ended) {
            this.ended = ended;
        }

        @Override public void encode(RespWriter w) { w.array(1).arg("PING"); }

        @Override public RespHandler replyHandler() { return new RespHandler.Adapter(); }

        @Override public CommandKind kind() { return CommandKind.PLAIN; }

        @Override public String name() { return "PING"; }

        @Override protected void onCompleted() { ended.incrementAndGet(); }

        @Override protected void onFailed(RedisException error) { ended.incrementAndGet(); }
    }

    @Test
    void backpressureIsReportedForEveryRefusalAndLoggedOnce() throws Exception {
        Recorder rec = new Recorder();
        int from = RecordingLoggerFinder.LINES.size();
        try (RedisServer server = RedisServer.builder().start();
             FaultProxy proxy = FaultProxy.start(server);
             IoRuntime io = IoRuntime.start(IoSettings.builder().listener(rec).maxPendingCommands(4)
                     .backpressure(IoSettings.Backpressure.FAIL_FAST).build());
             RedisEndpoint redis = io.connect(proxy.uri())) {
            rec.take(1);
            proxy.stall(FaultProxy.Direction.TO_SERVER);
            AtomicInteger ended = new AtomicInteger();
            for (int i = 0; i < 4; i++) {
                redis.submit(new Held(ended));
            }
            for (int i = 0; i < 100; i++) {
                assertThrows(RedisBackpressureException.class, () -> redis.submit(new Held(ended)));
            }
            List<String> refusals = rec.take();
            assertEquals(java.util.Collections.nCopies(100, "backpressure refused pending=4"), refusals);
            List<String> lines = RecordingLoggerFinder.since(from, "io.respin.backpressure");
            assertEquals(1, lines.size(), "one line for 100 refusals: " + lines);
            assertTrue(lines.getFirst().startsWith("WARNING") && lines.getFirst().contains("1 command met the "
                    + "client's bound maxPendingCommands (4 commands)") && lines.getFirst().contains("FAIL_FAST"),
                    lines.getFirst());
            proxy.resume();
            rec.await("PING OK");
            while (ended.get() < 4) {
                Thread.sleep(5);
            }
            assertEquals(List.of("PING OK", "PING OK", "PING OK", "PING OK"), rec.take(4));
        }
    }

    @Test
    void aCommandWaitingForRoomIsReportedOnceAsWaiting() throws Exception {
        Recorder rec = new Recorder();
        int from = RecordingLoggerFinder.LINES.size();
        try (RedisServer server = RedisServer.builder().start();
             FaultProxy proxy = FaultProxy.start(server);
             IoRuntime io = IoRuntime.start(IoSettings.builder().listener(rec).maxPendingCommands(1).build());
             RedisEndpoint redis = io.connect(proxy.uri())) {
            rec.take(1);
            proxy.stall(FaultProxy.Direction.TO_SERVER);
            AtomicInteger ended = new AtomicInteger();
            redis.submit(new Held(ended));
            Cmd.Generic waiting = new Cmd.Generic("PING");
            waiting.timeout(Duration.ofMillis(100));
            assertThrows(RedisBackpressureException.class, () -> redis.submit(waiting));
            assertEquals(List.of("backpressure waits pending=1"), rec.take());
            List<String> lines = RecordingLoggerFinder.since(from, "io.respin.backpressure");
            assertEquals(1, lines.size(), lines.toString());
            assertTrue(lines.getFirst().contains("WAIT_UNTIL_DEADLINE made them wait"), lines.getFirst());
            proxy.resume();
        }
    }

    @Test
    void whatCommandStartedReturnsComesBackWhenTheCommandEndsOnTheSubmittersContext() {
        ThreadLocal<String> context = new ThreadLocal<>();
        ConcurrentLinkedQueue<String> seen = new ConcurrentLinkedQueue<>();
        AtomicInteger started = new AtomicInteger();
        IoListener tracing = new IoListener() {
            @Override public Object commandStarted(RedisEndpoint endpoint, String command) {
                started.incrementAndGet();
                return command + " in " + context.get(); // read on the submitting thread
            }

            @Override public void commandCompleted(RedisEndpoint endpoint, String command, Object start,
                                                   long durationNanos, Outcome outcome, RedisException error) {
                seen.add(start + " " + outcome);
            }
        };
        try (RedisServer server = RedisServer.builder().start();
             IoRuntime io = IoRuntime.start(IoSettings.builder().listener(tracing).build());
             RedisEndpoint redis = io.connect(server.uri())) {
            context.set("request-1");
            new Cmd.Generic("PING").run(redis);
            context.set("request-2");
            assertThrows(RedisServerException.class, () -> new Cmd.Generic("NOSUCHCOMMAND").run(redis));
            awaitSize(seen, 2);
            assertEquals(List.of("PING in request-1 OK", "NOSUCHCOMMAND in request-2 SERVER_ERROR"), List.copyOf(seen));
            assertEquals(2, started.get());
        }
    }

    /** Tags what it started with its own name, and records what it gets back. */
    static final class Starting implements IoListener {
        final String name;
        final ConcurrentLinkedQueue<String> seen;

        Starting(String name, ConcurrentLinkedQueue<String> seen) {
            this.name = name;
            this.seen = seen;
        }

        @Override public Object commandStarted(RedisEndpoint endpoint, String command) {
            return name + ":" + command;
        }

        @Override public void commandCompleted(RedisEndpoint endpoint, String command, Object started,
                                               long durationNanos, Outcome outcome, RedisException error) {
            seen.add(name + " got " + started);
        }

        @Override public void connectionUp(RedisEndpoint endpoint, Connection connection, boolean reconnect,
                                           int attempts) {
            seen.add(name + " up");
        }
    }

    @Test
    void allHandsEachListenerEveryEventAndItsOwnStart() throws Exception {
        ConcurrentLinkedQueue<String> seen = new ConcurrentLinkedQueue<>();
        Recorder plain = new Recorder();
        IoListener all = IoListener.all(new Starting("a", seen), plain, new Starting("b", seen));
        try (RedisServer server = RedisServer.builder().start();
             IoRuntime io = IoRuntime.start(IoSettings.builder().listener(all).build());
             RedisEndpoint redis = io.connect(server.uri())) {
            new Cmd.Generic("PING").run(redis);
            assertEquals(List.of("up SHARED first attempts=1", "PING OK"), plain.take(2));
            awaitSize(seen, 4);
            assertEquals(List.of("a up", "b up", "a got a:PING", "b got b:PING"), List.copyOf(seen));
        }
        seen.clear();
        IoListener one = IoListener.all(new Recorder(), new Starting("c", seen));
        try (RedisServer server = RedisServer.builder().start();
             IoRuntime io = IoRuntime.start(IoSettings.builder().listener(one).build());
             RedisEndpoint redis = io.connect(server.uri())) {
            new Cmd.Generic("PING").run(redis);
            awaitSize(seen, 2);
            assertEquals(List.of("c up", "c got c:PING"), List.copyOf(seen));
        }
    }

    @Test
    void aListenerThatThrowsFromCommandStartedLosesNoCommand() {
        AtomicInteger ended = new AtomicInteger();
        IoListener broken = new IoListener() {
            @Override public Object commandStarted(RedisEndpoint endpoint, String command) {
                throw new IllegalStateException("listener bug");
            }

            @Override public void commandCompleted(RedisEndpoint endpoint, String command, long durationNanos,
                                                   Outcome outcome, RedisException error) {
                ended.incrementAndGet();
            }
        };
        Thread.UncaughtExceptionHandler before = Thread.currentThread().getUncaughtExceptionHandler();
        ConcurrentLinkedQueue<Throwable> reported = new ConcurrentLinkedQueue<>();
        Thread.currentThread().setUncaughtExceptionHandler((t, e) -> reported.add(e));
        try (RedisServer server = RedisServer.builder().start();
             IoRuntime io = IoRuntime.start(IoSettings.builder().listener(broken).build());
             RedisEndpoint redis = io.connect(server.uri())) {
            assertEquals("PONG", Cmd.str(new Cmd.Generic("PING").run(redis)));
            assertEquals(1, reported.size(), reported.toString());
            assertTrue(reported.peek().getMessage().contains("started; listeners must not throw"));
            assertEquals(0, io.pendingCommands(), "the command ended and gave its place back");
        } finally {
            Thread.currentThread().setUncaughtExceptionHandler(before);
        }
    }

    private static void awaitSize(java.util.Collection<?> c, int n) {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (c.size() < n && System.nanoTime() < until) {
            Thread.onSpinWait();
        }
    }

    /** Counts and sums into atomics: what a metrics adapter does, allocating nothing. */
    static final class Summing implements IoListener {
        final AtomicLong commands = new AtomicLong();
        final AtomicLong nanos = new AtomicLong();

        final AtomicLong bytesOut = new AtomicLong();
        final AtomicLong bytesIn = new AtomicLong();

        @Override
        public void commandCompleted(RedisEndpoint endpoint, String command, Object started, long durationNanos,
                                     long out, long in, Outcome outcome, RedisException error) {
            nanos.addAndGet(durationNanos);
            bytesOut.addAndGet(out);
            bytesIn.addAndGet(in);
            commands.incrementAndGet(); // last: a reader that sees the count sees the sums
        }
    }

    @Test
    void withAListenerSetAndGetStillAllocateNothing() {
        Summing listener = new Summing();
        try (RedisServer server = RedisServer.builder().start();
             IoRuntime io = IoRuntime.start(IoSettings.builder().listener(listener).build());
             RedisEndpoint redis = io.connect(server.uri())) {
            Cmd.Set set = new Cmd.Set();
            Cmd.Get get = new Cmd.Get();
            set.key = "listener:alloc".getBytes(StandardCharsets.UTF_8);
            get.key = set.key;
            set.value = "some value of a few bytes".getBytes(StandardCharsets.UTF_8);
            long[] threads = {Thread.currentThread().threadId(), io.ioThread().threadId()};
            run(redis, set, get, 30_000); // warm-up
            long sent = 60_000;
            long best = Long.MAX_VALUE;
            int ops = 10_000;
            for (int attempt = 0; attempt < 3 && best > 0; attempt++) {
                // the listener hears of the last command just after its caller: wait for it before counting
                assertEquals(sent, awaitHeard(listener, sent), "the listener heard every command");
                long before = allocated(threads);
                run(redis, set, get, ops);
                best = Math.min(best, allocated(threads) - before);
                sent += 2L * ops;
            }
            assertEquals(sent, awaitHeard(listener, sent), "the listener heard every command");
            assertEquals(sent * ("*3\r\n$3\r\nSET\r\n$14\r\nlistener:alloc\r\n$25\r\n".length() + 25 + 2
                    + "*2\r\n$3\r\nGET\r\n$14\r\nlistener:alloc\r\n".length()) / 2, listener.bytesOut.get(),
                    "bytes out of every SET and GET");
            assertEquals(0, best, "bytes allocated by " + ops + " SET+GET round trips with a listener set");
        }
    }

    /** The listener is told just after a command's outcome is out: wait for the IO thread's last call. */
    private static long awaitHeard(Summing listener, long expected) {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (listener.commands.get() < expected && System.nanoTime() < until) {
            Thread.onSpinWait();
        }
        return listener.commands.get();
    }

    private static void run(RedisEndpoint redis, Cmd.Set set, Cmd.Get get, int n) {
        for (int i = 0; i < n; i++) {
            redis.submit(set);
            set.await();
            redis.submit(get);
            get.await();
        }
    }

    private static long allocated(long[] threads) {
        long sum = 0;
        for (long t : threads) {
            sum += THREADS.getThreadAllocatedBytes(t);
        }
        return sum;
    }

}
