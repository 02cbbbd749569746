package io.respin.client.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.respin.client.RedisClient;
import io.respin.client.async.CacheSettings;
import io.respin.client.async.CachedAsyncCommands;
import io.respin.testkit.FaultProxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** {@code cachedAsync()}: the same cache and guarantees as {@code cached()}, as futures. */
class CachedAsyncTest {

    @Test
    void hitsMissesAndInvalidationsAsFutures() {
        try (RedisClient client = RedisClient.builder(CacheServer.get().uri()).clientCache(CacheSettings.defaults()).build();
             RedisClient writer = RedisClient.create(CacheServer.get().uri())) {
            CachedAsyncCommands<String, String> cached = client.cachedAsync();
            writer.sync().set("ca:k", "1");
            writer.sync().hset("ca:h", Map.of("f", "x"));
            assertEquals("1", cached.get("ca:k").join());
            CompletableFuture<String> hit = cached.get("ca:k");
            assertTrue(hit.isDone(), "a hit completes on the calling thread");
            assertEquals("1", hit.join());
            assertEquals(Map.of("f", "x"), cached.hgetall("ca:h").join());
            assertEquals("x", cached.hget("ca:h", "f").join());
            assertEquals(java.util.Arrays.asList("1", null), cached.mget("ca:k", "ca:none").join());
            assertNull(cached.get("ca:none").join());
            writer.sync().set("ca:k", "2");
            client.async().ping().join();
            assertEquals("2", cached.get("ca:k").join());
            assertEquals(1, cached.stats().invalidations());
            // the sync and async views share one cache
            assertEquals("2", client.cached().get("ca:k"));
            assertTrue(client.cached().stats().hits() >= 3, client.cached().stats().toString());
        }
    }

    @Test
    void concurrentAsyncMissesShareOneRequest() {
        try (FaultProxy proxy = FaultProxy.start(CacheServer.get());
             RedisClient client = RedisClient.builder(proxy.uri()).clientCache(CacheSettings.defaults()).build()) {
            CachedAsyncCommands<String, String> cached = client.cachedAsync();
            client.sync().set("ca:shared", "v");
            CacheServer.get().command("CONFIG", "RESETSTAT");
            proxy.delay(FaultProxy.Direction.TO_CLIENT, Duration.ofMillis(200));
            List<CompletableFuture<String>> reads = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                reads.add(cached.get("ca:shared"));
            }
            for (CompletableFuture<String> f : reads) {
                assertEquals("v", f.join());
            }
            assertEquals(1, CacheServer.calls("get"), "sixteen async misses of one key, one GET");
        }
    }

    @Test
    void asyncReadersNeverSeeAValueOlderThanAnAcknowledgedWriteAfterAPing() throws Exception {
        try (FaultProxy proxy = FaultProxy.start(CacheServer.get());
             RedisClient client = RedisClient.builder(proxy.uri()).clientCache(CacheSettings.defaults()).build();
             RedisClient writer = RedisClient.create(CacheServer.get().uri())) {
            CachedAsyncCommands<String, String> cached = client.cachedAsync();
            int keys = 8;
            long[] acked = new long[keys];
            java.util.concurrent.atomic.AtomicLongArray ack = new java.util.concurrent.atomic.AtomicLongArray(keys);
            for (int k = 0; k < keys; k++) {
                writer.sync().set("ca:st:" + k, "0");
            }
            java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
            Thread w = Thread.ofPlatform().start(() -> {
                java.util.Random rnd = new java.util.Random(7);
                while (!stop.get()) {
                    int k = rnd.nextInt(keys);
                    long v = ++acked[k];
                    writer.sync().set("ca:st:" + k, Long.toString(v));
                    ack.set(k, v);
                    // a write every ~100 µs: as fast as the writer could go (once its own replies woke only it),
                    // it invalidated nearly every key before its second read, and the cache saw under 100 hits
                    java.util.concurrent.locks.LockSupport.parkNanos(100_000);
                }
            });
            java.util.Random rnd = new java.util.Random(11);
            long end = System.nanoTime() + 2_000_000_000L;
            int stale = 0;
            int checks = 0;
            while (System.nanoTime() < end) {
                proxy.delay(FaultProxy.Direction.TO_CLIENT, Duration.ofNanos(1000L * rnd.nextInt(2_000)));
                List<CompletableFuture<Boolean>> batch = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    int k = rnd.nextInt(keys);
                    long floor = ack.get(k);
                    batch.add(client.async().ping().thenCompose(p -> cached.get("ca:st:" + k))
                            .thenApply(v -> Long.parseLong(v) >= floor));
                }
                for (CompletableFuture<Boolean> f : batch) {
                    checks++;
                    if (!f.join()) {
                        stale++;
                    }
                }
            }
            stop.set(true);
            w.join();
            System.out.println(checks + " checked async reads: " + cached.stats());
            assertEquals(0, stale, "stale async reads out of " + checks + " (" + cached.stats() + ")");
            assertTrue(cached.stats().hits() > 100, cached.stats().toString());
        }
    }
}
