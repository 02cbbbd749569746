package io.respin.client;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.ThreadMXBean;
import io.respin.client.sync.RedisCommands;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * What one typed sync command costs in heap bytes. The engine and the IO loop allocate nothing per command; the
 * typed client allocates the command (which is also its reply reader), its argument lambda and its decoder on the
 * calling thread (the IO command that carries it is reused per platform thread), and the IO thread allocates
 * only the decoded value (GET's String; SET's "OK" is a shared constant). Measured 124 and 36 bytes; this test
 * pins a bound a little above so that it cannot silently grow.
 */
class AllocationTest {

    private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();

    @Test
    void bytesPerSyncGetAndSetAreBounded() {
        RedisCommands<String, String> redis = Redis.client(3).sync();
        String key = "alloc:k";
        String value = "v";
        for (int i = 0; i < 20_000; i++) { // warm-up: JIT, buffers at their working size
            redis.set(key, value);
            redis.get(key);
        }
        int n = 10_000;
        long ioThread = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("respin-io")).findFirst().orElseThrow().threadId();
        long ioBefore = THREADS.getThreadAllocatedBytes(ioThread);
        long before = THREADS.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < n; i++) {
            redis.set(key, value);
            redis.get(key);
        }
        long perCommand = (THREADS.getCurrentThreadAllocatedBytes() - before) / (2L * n);
        // the IO thread runs the reply decoders: the value (here GET's String) is built there
        long ioPerCommand = (THREADS.getThreadAllocatedBytes(ioThread) - ioBefore) / (2L * n);
        System.out.println("sync SET/GET: " + perCommand + " bytes per command on the calling thread, "
                + ioPerCommand + " on the IO thread (decoded values)");
        // 176: the command definition gained its block time (8 B) this session; measured 167 (was ~160)
        assertTrue(perCommand <= 176, "sync command allocates " + perCommand + " bytes (bound 176)");
        assertTrue(ioPerCommand <= 64, "IO thread allocates " + ioPerCommand + " bytes per command (bound 64)");
        redis.del(key);
    }
}
