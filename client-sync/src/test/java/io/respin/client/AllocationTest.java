package io.respin.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.ThreadMXBean;
import io.respin.RedisException;
import io.respin.client.sync.RedisCommands;
import io.respin.engine.command.Codec;
import io.respin.io.IoListener;
import io.respin.io.IoRuntime;
import io.respin.io.IoSettings;
import io.respin.io.RedisEndpoint;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * What one typed sync command costs in heap bytes beyond the value it returns (issue 16: at most 32). The engine and
 * the IO loop allocate nothing per command, and a platform thread builds its commands in one reused object
 * ({@code CommandScratch}: the command, its reply reader and its scalar decoder), so what is left is the command's
 * argument lambda (24 bytes for GET, 32 for SET with its key and value) and the value. Measured over the caller and
 * the IO thread together (the value is built on whichever of them reads the reply), minus what the codec allocates
 * to build the same value.
 */
class AllocationTest {

    private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final int BOUND = 32;
    /** Where the codec's values go, so that the JIT cannot leave them unallocated. */
    private static Object sink;

    @Test
    void aSyncCommandAllocatesAtMost32BytesBeyondItsValue() {
        RedisCommands<String, String> redis = Redis.client(3).sync();
        String key = "alloc:k";
        redis.set(key, "v");
        long value = valueBytes("v");
        long get = perCall(() -> redis.get(key)) - value;
        long set = perCall(() -> redis.set(key, "v"));
        long incr = perCall(() -> redis.incr("alloc:n")) - longBytes();
        long hget = perCall(() -> redis.hget("alloc:h", "f")); // null: no value at all
        System.out.printf("sync, bytes beyond the value: GET %d, SET %d, INCR %d, HGET (nil) %d (the value: %d)%n",
                get, set, incr, hget, value);
        assertTrue(get <= BOUND, "GET allocates " + get + " bytes beyond its value (bound " + BOUND + ")");
        assertTrue(set <= BOUND, "SET allocates " + set + " bytes (bound " + BOUND + ")");
        assertTrue(incr <= BOUND, "INCR allocates " + incr + " bytes beyond its Long (bound " + BOUND + ")");
        assertTrue(hget <= BOUND, "HGET allocates " + hget + " bytes (bound " + BOUND + ")");
        assertEquals("v", redis.get(key), "the reused command still returns each call's own value");
        redis.del(key, "alloc:n");
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
    void withAListenerSetASyncCommandStaysWithinTheSameBound() {
        Counting listener = new Counting();
        try (IoRuntime io = IoRuntime.start(IoSettings.builder().threadName("respin-io-listened").listener(listener)
                .build());
             RedisClient client = RedisClient.builder(Redis.server().uri()).runtime(io).build()) {
            RedisCommands<String, String> redis = client.sync();
            String key = "alloc:listened";
            redis.set(key, "v");
            long ioThread = thread("respin-io-listened");
            long value = valueBytes("v");
            long get = perCall(() -> redis.get(key), ioThread) - value;
            long set = perCall(() -> redis.set(key, "v"), ioThread);
            long incr = perCall(() -> redis.incr("alloc:listened:n"), ioThread) - longBytes();
            System.out.printf("sync with a listener, bytes beyond the value: GET %d, SET %d, INCR %d%n", get, set, incr);
            assertTrue(get <= BOUND, "GET allocates " + get + " bytes beyond its value with a listener (bound " + BOUND + ")");
            assertTrue(set <= BOUND, "SET allocates " + set + " bytes with a listener (bound " + BOUND + ")");
            assertTrue(incr <= BOUND, "INCR allocates " + incr + " bytes beyond its Long with a listener (bound "
                    + BOUND + ")");
            assertTrue(listener.commands.get() >= 3 * 69_000, "the listener heard the commands: " + listener.commands);
            assertTrue(listener.bytes.get() > 0);
            redis.del(key, "alloc:listened:n");
        }
    }

    /** Bytes allocated per call by this thread and the IO thread, best of several rounds (JIT, GC noise). */
    private static long perCall(Supplier<?> call) {
        return perCall(call, thread("respin-io"));
    }

    static long perCall(Supplier<?> call, long io) {
        for (int i = 0; i < 20_000; i++) { // warm-up: JIT, buffers at their working size
            call.get();
        }
        int n = 10_000;
        long best = Long.MAX_VALUE;
        for (int round = 0; round < 5; round++) {
            long before = THREADS.getCurrentThreadAllocatedBytes() + THREADS.getThreadAllocatedBytes(io);
            for (int i = 0; i < n; i++) {
                call.get();
            }
            long after = THREADS.getCurrentThreadAllocatedBytes() + THREADS.getThreadAllocatedBytes(io);
            best = Math.min(best, (after - before) / n);
        }
        return best;
    }

    /** What the codec allocates to build {@code v} from its bytes: the part of GET's cost that is its value. */
    static long valueBytes(String v) {
        MemorySegment bytes = MemorySegment.ofArray(v.getBytes(StandardCharsets.UTF_8));
        Codec<String, String> codec = Codec.utf8();
        for (int i = 0; i < 20_000; i++) {
            sink = codec.decodeValue(bytes, 0, bytes.byteSize());
        }
        long before = THREADS.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 10_000; i++) {
            sink = codec.decodeValue(bytes, 0, bytes.byteSize());
        }
        long per = (THREADS.getCurrentThreadAllocatedBytes() - before) / 10_000;
        assertEquals(v, sink);
        return per;
    }

    /** A boxed Long outside the small-value cache, as INCR returns once its counter passes 127. */
    private static long longBytes() {
        return 16;
    }

    static long thread(String name) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals(name)).findFirst().orElseThrow().threadId();
    }
}
