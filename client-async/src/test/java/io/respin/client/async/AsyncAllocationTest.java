package io.respin.client.async;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.ThreadMXBean;
import io.respin.RedisException;
import io.respin.engine.command.Codec;
import io.respin.io.IoListener;
import io.respin.io.RedisEndpoint;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/**
 * What one typed async command costs in heap bytes beyond the value it returns (issue 16: at most 64), over every
 * thread that touches it: the caller, the IO thread and the completion thread. A pooled call carries the command
 * (re-armed in its own CommandScratch, with its scalar decoder) and is the IO command itself, so what is left is the
 * future (32 bytes) and the command's argument lambda (24-32). The caller waits without allocating (polling
 * {@code isDone}), so that only the command's own cost is counted; a join would add the wait's own node.
 */
class AsyncAllocationTest {
    private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final int BOUND = 64;
    private static final int WINDOW = 32;
    private static Object sink;

    @Test
    void anAsyncCommandAllocatesAtMost64BytesBeyondItsValue() {
        try (RedisClient client = RedisClient.create(Redis.server().uri())) {
            var a = client.async();
            a.set("aalloc:k", "v").join();
            long value = valueBytes("v");
            long get = perCommand(client, i -> a.get("aalloc:k")) - value;
            long set = perCommand(client, i -> a.set("aalloc:k", "v"));
            long incr = perCommand(client, i -> a.incr("aalloc:n")) - 16; // a boxed Long past the cache
            System.out.printf("async, bytes beyond the value: GET %d, SET %d, INCR %d (the value: %d)%n",
                    get, set, incr, value);
            assertTrue(get <= BOUND, "GET allocates " + get + " bytes beyond its value (bound " + BOUND + ")");
            assertTrue(set <= BOUND, "SET allocates " + set + " bytes (bound " + BOUND + ")");
            assertTrue(incr <= BOUND, "INCR allocates " + incr + " bytes beyond its Long (bound " + BOUND + ")");
            assertEquals("v", a.get("aalloc:k").join(), "a reused call still returns its own command's value");
        }
    }

    /** A listener that counts and sums what it hears into atomics, as a metrics adapter does. */
    static final class Counting implements IoListener {
        final AtomicLong commands = new AtomicLong();
        final AtomicLong bytes = new AtomicLong();

        @Override
        public void commandCompleted(RedisEndpoint endpoint, String command, Object started, long durationNanos,
                                     long bytesOut, long bytesIn, Outcome outcome, RedisException error) {
            bytes.addAndGet(bytesOut + bytesIn);
            commands.incrementAndGet();
        }
    }

    /** Issue 20: a listener set costs no byte per command: the same bound, the same commands. */
    @Test
    void withAListenerSetAnAsyncCommandStaysWithinTheSameBound() {
        Counting listener = new Counting();
        try (RedisClient client = RedisClient.builder(Redis.server().uri()).listener(listener).build()) {
            var a = client.async();
            a.set("aalloc:listened", "v").join();
            long value = valueBytes("v");
            long get = perCommand(client, i -> a.get("aalloc:listened")) - value;
            long set = perCommand(client, i -> a.set("aalloc:listened", "v"));
            long incr = perCommand(client, i -> a.incr("aalloc:listened:n")) - 16;
            System.out.printf("async with a listener, bytes beyond the value: GET %d, SET %d, INCR %d%n", get, set, incr);
            assertTrue(get <= BOUND, "GET allocates " + get + " bytes beyond its value with a listener (bound " + BOUND + ")");
            assertTrue(set <= BOUND, "SET allocates " + set + " bytes with a listener (bound " + BOUND + ")");
            assertTrue(incr <= BOUND, "INCR allocates " + incr + " bytes beyond its Long with a listener (bound "
                    + BOUND + ")");
            assertTrue(listener.commands.get() >= 3L * 3_400 * WINDOW, "the listener heard the commands: "
                    + listener.commands);
            assertTrue(listener.bytes.get() > 0);
        }
    }

    /** Bytes per command over the caller, IO and completion threads, windows of 32 in flight, best of 5 rounds. */
    private static long perCommand(RedisClient client, IntFunction<CompletableFuture<?>> command) {
        // the caller and every IO and completion thread in this JVM (the other tests' clients idle meanwhile)
        long[] threads = java.util.stream.LongStream.concat(java.util.stream.LongStream.of(
                Thread.currentThread().threadId()), Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("respin-io")).mapToLong(Thread::threadId)).toArray();
        run(command, 2_000); // warm-up: JIT, the pool filled
        long best = Long.MAX_VALUE;
        for (int round = 0; round < 5; round++) {
            long before = allocated(threads);
            run(command, 300);
            best = Math.min(best, (allocated(threads) - before) / (300L * WINDOW));
        }
        return best;
    }

    private static void run(IntFunction<CompletableFuture<?>> command, int rounds) {
        CompletableFuture<?>[] window = new CompletableFuture<?>[WINDOW];
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < WINDOW; i++) {
                window[i] = command.apply(i);
            }
            for (CompletableFuture<?> f : window) {
                while (!f.isDone()) {
                    Thread.onSpinWait();
                }
                sink = f.getNow(null);
            }
        }
    }

    private static long valueBytes(String v) {
        MemorySegment bytes = MemorySegment.ofArray(v.getBytes(StandardCharsets.UTF_8));
        Codec<String, String> codec = Codec.utf8();
        for (int i = 0; i < 20_000; i++) {
            sink = codec.decodeValue(bytes, 0, bytes.byteSize());
        }
        long before = THREADS.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 10_000; i++) {
            sink = codec.decodeValue(bytes, 0, bytes.byteSize());
        }
        return (THREADS.getCurrentThreadAllocatedBytes() - before) / 10_000;
    }

    private static long allocated(long[] threads) {
        long sum = 0;
        for (long t : threads) {
            sum += THREADS.getThreadAllocatedBytes(t);
        }
        return sum;
    }
}
