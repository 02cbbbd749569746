package io.respin.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static io.respin.client.AllocationTest.perCall;
import static io.respin.client.AllocationTest.thread;
import static io.respin.client.AllocationTest.valueBytes;

import io.respin.client.cache.CacheServer;
import io.respin.client.async.CacheSettings;
import io.respin.client.sync.CachedCommands;
import io.respin.engine.command.Codec;
import io.respin.io.IoRuntime;
import io.respin.io.IoSettings;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * A cache hit allocates nothing beyond what the codec makes of the value (issue 19): the probe is this thread's, the
 * look-up is a map read, the stored tokens are replayed into this thread's decoder. Measured over the caller and the
 * IO thread together, minus what the codec allocates to build the same value.
 */
class CacheAllocationTest {

    @Test
    void aHitAllocatesNothingBeyondTheCodecsValue() {
        try (IoRuntime io = IoRuntime.start(IoSettings.builder().threadName("respin-io-cache-alloc").build());
             RedisClient client = RedisClient.builder(CacheServer.get().uri()).runtime(io)
                     .clientCache(CacheSettings.defaults()).build()) {
            CachedCommands<String, String> cached = client.cached();
            client.sync().set("alloc:c", "value");
            client.sync().sadd("alloc:set", "m");
            long ioThread = thread("respin-io-cache-alloc");
            long value = valueBytes("value");
            long get = perCall(() -> cached.get("alloc:c"), ioThread); // a String: decoded once, then shared
            CachedCommands<byte[], byte[]> raw = client.cached(Codec.bytes());
            byte[] key = "alloc:c".getBytes(StandardCharsets.UTF_8);
            long bytesGet = perCall(() -> raw.get(key), ioThread) - byteArrayBytes(5); // a byte[]: each caller its own
            long strlen = perCall(() -> cached.strlen("alloc:c"), ioThread); // 5: a cached Long
            long exists = perCall(() -> cached.exists("alloc:c"), ioThread);
            long hits = cached.stats().hits();
            assertEquals("value", cached.get("alloc:c"));
            assertEquals("value", new String(raw.get(key), StandardCharsets.UTF_8));
            System.out.printf("cache hit: GET (String, shared) %d bytes, GET (byte[]) %d beyond its value, STRLEN %d, "
                    + "EXISTS %d (a decoded String would be %d; %d hits)%n", get, bytesGet, strlen, exists, value, hits);
            assertEquals(4 * 70_000 - 3, hits, "each read one miss, then hits: " + cached.stats());
            assertEquals(3, cached.stats().stored(), "one store each (both codecs' GET share it): " + cached.stats());
            assertTrue(get <= 0, "a GET hit with String values allocates " + get + " bytes (its String is shared)");
            assertTrue(bytesGet <= 0, "a GET hit with byte[] values allocates " + bytesGet + " bytes beyond its value");
            assertTrue(strlen <= 0, "a STRLEN hit allocates " + strlen + " bytes");
            assertTrue(exists <= 0, "an EXISTS hit allocates " + exists + " bytes");
        }
    }

    /**
     * The same on a cluster client: the key's slot (CRC16 over the String, not copied), the slot's table entry for the
     * installed map, then the node's cache as above.
     */
    @Test
    void aClusterHitAllocatesNothingEither() {
        try (io.respin.testkit.RedisCluster cluster = io.respin.testkit.RedisCluster.builder().primaries(3).start();
             IoRuntime io = IoRuntime.start(IoSettings.builder().threadName("respin-io-cluster-alloc").build());
             RedisClient client = RedisClient.builder("redis-cluster://" + String.join(",", cluster.seeds()))
                     .runtime(io).clientCache(CacheSettings.defaults()).build()) {
            CachedCommands<String, String> cached = client.cached();
            client.sync().set("alloc:c", "value");
            long get = perCall(() -> cached.get("alloc:c"), thread("respin-io-cluster-alloc"));
            assertEquals("value", cached.get("alloc:c"));
            System.out.printf("cluster cache hit: GET (String, shared) %d bytes (%s)%n", get, cached.stats());
            assertEquals(1, cached.stats().stored(), cached.stats().toString());
            assertTrue(get <= 0, "a cluster GET hit with String values allocates " + get + " bytes");
        }
    }

    /** A byte[] of n bytes: header and length, rounded up to 8. */
    private static long byteArrayBytes(int n) {
        return (16 + n + 7) / 8 * 8;
    }
}
