package io.respin.client;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.ThreadMXBean;
import io.respin.client.sync.RedisCommands;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * What one typed sync command costs the calling thread in heap bytes. The engine and the IO loop allocate
 * nothing per command; the typed client allocates a handful of small objects per call (the command and its
 * argument lambda, the reply decoder and reader, the IO command that carries it, and the value itself). This
 * test pins that bound so it cannot silently grow.
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
        assertTrue(perCommand <= 400, "sync command allocates " + perCommand + " bytes (bound 400)");
        assertTrue(ioPerCommand <= 200, "IO thread allocates " + ioPerCommand + " bytes per command (bound 200)");
        redis.del(key);
    }
}
