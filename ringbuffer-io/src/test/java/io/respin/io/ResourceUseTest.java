package io.respin.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.respin.testkit.RedisServer;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What the IO layer costs: bytes allocated per command in steady state, CPU of an idle runtime. */
class ResourceUseTest {

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    @Test
    void steadyStateSetAndGetAllocateNothingOnTheCallerOrTheIoThread() {
        try (RedisServer server = RedisServer.builder().start();
             IoRuntime io = IoRuntime.start(IoSettings.defaults());
             RedisEndpoint redis = io.connect(server.uri())) {
            Cmd.Set set = new Cmd.Set();
            Cmd.Get get = new Cmd.Get();
            byte[][] keys = new byte[16][];
            for (int i = 0; i < keys.length; i++) {
                keys[i] = ("alloc:" + i).getBytes(StandardCharsets.UTF_8);
            }
            set.value = "some value of a few bytes".getBytes(StandardCharsets.UTF_8);
            long ioThread = io.ioThread().threadId();
            long caller = Thread.currentThread().threadId();

            int warmup = 30_000;
            run(redis, set, get, keys, warmup);

            long best = Long.MAX_VALUE;
            int ops = 10_000;
            for (int attempt = 0; attempt < 3 && best > 0; attempt++) {
                long before = THREADS.getThreadAllocatedBytes(caller) + THREADS.getThreadAllocatedBytes(ioThread);
                run(redis, set, get, keys, ops);
                long after = THREADS.getThreadAllocatedBytes(caller) + THREADS.getThreadAllocatedBytes(ioThread);
                best = Math.min(best, after - before);
            }
            System.out.printf("steady state: %d bytes allocated over %d SET+GET round trips (caller + IO thread)%n",
                    best, ops);
            assertEquals(0, best, "bytes allocated by " + ops + " SET+GET round trips on the caller and the IO thread");
        }
    }

    /** An async INCR whose callback counts down a reusable latch-like counter; allocation-free. */
    static final class AsyncIncr extends AsyncCommand {
        final byte[] key = "async-counter".getBytes(StandardCharsets.UTF_8);
        final java.util.concurrent.atomic.AtomicInteger done;
        long value;
        private final io.respin.engine.resp.RespHandler handler = new io.respin.engine.resp.RespHandler.Adapter() {
            @Override public void onInteger(long v) { value = v; }
        };

        AsyncIncr(java.util.concurrent.atomic.AtomicInteger done) {
            this.done = done;
        }

        @Override public void encode(io.respin.engine.resp.RespWriter w) { w.array(2).arg("INCR").arg(key); }

        @Override public io.respin.engine.resp.RespHandler replyHandler() { return handler; }

        @Override public io.respin.engine.connection.CommandKind kind() { return io.respin.engine.connection.CommandKind.PLAIN; }

        @Override protected void onCompleted() { done.incrementAndGet(); }

        @Override protected void onFailed(io.respin.RedisException error) { done.incrementAndGet(); }
    }

    @Test
    void steadyStateAsyncCommandsAllocateNothingOnTheCallerIoAndCompletionThreads() {
        try (RedisServer server = RedisServer.builder().start();
             IoRuntime io = IoRuntime.start(IoSettings.defaults());
             RedisEndpoint redis = io.connect(server.uri())) {
            // the caller waits by yielding on a counter: a Semaphore would allocate a queue node per park
            java.util.concurrent.atomic.AtomicInteger done = new java.util.concurrent.atomic.AtomicInteger();
            AsyncIncr[] window = new AsyncIncr[32];
            for (int i = 0; i < window.length; i++) {
                window[i] = new AsyncIncr(done);
            }
            long[] threads = {Thread.currentThread().threadId(), io.ioThread().threadId(), completionThread()};
            runAsync(redis, window, done, 1_000); // warm-up
            long best = Long.MAX_VALUE;
            for (int attempt = 0; attempt < 3 && best > 0; attempt++) {
                long before = allocated(threads);
                runAsync(redis, window, done, 300);
                best = Math.min(best, allocated(threads) - before);
            }
            System.out.printf("steady state async: %d bytes allocated over %d INCRs, 32 in flight (caller + IO + completion)%n",
                    best, 300 * window.length);
            assertEquals(0, best);
        }
    }

    /** {@code rounds} times: submit the whole window, wait until every callback has run. */
    private static void runAsync(RedisEndpoint redis, AsyncIncr[] window, java.util.concurrent.atomic.AtomicInteger done,
                                 int rounds) {
        for (int r = 0; r < rounds; r++) {
            for (AsyncIncr c : window) {
                redis.submit(c);
            }
            while (done.get() < window.length) {
                Thread.yield();
            }
            done.addAndGet(-window.length);
            for (AsyncIncr c : window) {
                while (c.isPending()) {
                    Thread.onSpinWait(); // the callback has run; the IO thread is a few instructions behind
                }
            }
        }
    }

    private static long allocated(long[] threads) {
        long sum = 0;
        for (long t : threads) {
            sum += THREADS.getThreadAllocatedBytes(t);
        }
        return sum;
    }

    private static void run(RedisEndpoint redis, Cmd.Set set, Cmd.Get get, byte[][] keys, int n) {
        for (int i = 0; i < n; i++) {
            byte[] key = keys[i & 15];
            set.key = key;
            redis.submit(set);
            set.await();
            get.key = key;
            redis.submit(get);
            get.await();
            if (get.length != set.value.length) {
                throw new AssertionError("GET returned " + get.length + " bytes, expected " + set.value.length);
            }
        }
    }

    @Test
    void anIdleRuntimeWithAnOpenConnectionUsesUnderOnePercentOfACore() throws Exception {
        try (RedisServer server = RedisServer.builder().start();
             IoRuntime io = IoRuntime.start(IoSettings.defaults());
             RedisEndpoint redis = io.connect(server.uri())) {
            assertEquals("PONG", Cmd.str(new Cmd.Generic("PING").run(redis)));
            Thread.sleep(200); // let the IO thread reach its deepest idle state
            long[] threads = {io.ioThread().threadId(), completionThread()};
            com.sun.management.OperatingSystemMXBean os =
                    (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long processBefore = os.getProcessCpuTime();
            long cpuBefore = cpu(threads);
            long wallBefore = System.nanoTime();
            Thread.sleep(3_000);
            long cpu = cpu(threads) - cpuBefore;
            long wall = System.nanoTime() - wallBefore;
            long process = os.getProcessCpuTime() - processBefore;
            // the whole JVM is reported for context only: JIT and GC threads may run at any time in a test JVM
            System.out.printf("idle runtime: whole test JVM %.3f%% of a core%n", 100.0 * process / wall);
            double share = (double) cpu / wall;
            System.out.printf("idle runtime: %.3f%% of a core (%d us CPU over %d ms) on its IO and completion threads%n",
                    share * 100, TimeUnit.NANOSECONDS.toMicros(cpu), TimeUnit.NANOSECONDS.toMillis(wall));
            assertTrue(share < 0.01, "idle CPU " + share * 100 + "% of a core");
            assertEquals("PONG", Cmd.str(new Cmd.Generic("PING").run(redis)), "and it wakes up when needed");
        }
    }

    private static long completionThread() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("respin-io-completions"))
                .findFirst().orElseThrow().threadId();
    }

    private static long cpu(long[] threads) {
        long sum = 0;
        for (long t : threads) {
            sum += THREADS.getThreadCpuTime(t);
        }
        return sum;
    }
}
