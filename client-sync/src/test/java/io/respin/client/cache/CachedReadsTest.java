package io.respin.client.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.respin.client.RedisClient;
import io.respin.client.async.CacheSettings;
import io.respin.client.async.CacheStats;
import io.respin.client.sync.CachedCommands;
import io.respin.client.sync.RedisCommands;
import io.respin.testkit.FaultProxy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;

/** Client-side caching, standalone: what is kept, what removes it, and what the settings refuse. */
class CachedReadsTest {

    private static RedisClient cachedClient(String uri, CacheSettings settings) {
        return RedisClient.builder(uri).clientCache(settings).build();
    }

    @Test
    void aSecondReadIsAHitAndEveryTypedReadDecodesTheSameFromMemory() {
        try (RedisClient client = cachedClient(CacheServer.get().uri(), CacheSettings.defaults())) {
            RedisCommands<String, String> redis = client.sync();
            CachedCommands<String, String> cached = client.cached();
            redis.set("c:s", "v1");
            redis.hset("c:h", Map.of("f", "x", "g", "y"));
            redis.sadd("c:set", "a", "b");
            redis.rpush("c:l", "1", "2", "3");
            redis.zadd("c:z", 1.0, "one");
            for (int round = 0; round < 2; round++) { // the first round from the server, the second from memory
                assertEquals("v1", cached.get("c:s"));
                assertEquals(2L, cached.strlen("c:s"));
                assertEquals(1L, cached.exists("c:s"));
                assertEquals("string", cached.type("c:s"));
                assertEquals(Map.of("f", "x", "g", "y"), cached.hgetall("c:h"));
                assertEquals("x", cached.hget("c:h", "f"));
                assertEquals(java.util.Arrays.asList("x", null), cached.hmget("c:h", "f", "nope"));
                assertEquals(Set.of("a", "b"), cached.smembers("c:set"));
                assertTrue(cached.sismember("c:set", "a"));
                assertEquals(List.of("1", "2", "3"), cached.lrange("c:l", 0, -1));
                assertEquals(List.of("one"), cached.zrange("c:z", 0, -1));
                assertEquals(1.0, cached.zscore("c:z", "one"));
                assertNull(cached.get("c:missing"));
                assertEquals(java.util.Arrays.asList("v1", null), cached.mget("c:s", "c:missing"));
            }
            CacheStats s = cached.stats();
            assertEquals(13, s.stored(), s.toString()); // 13 reads; mget is two GETs already kept
            assertEquals(17, s.hits(), s.toString());   // mget in round one; all 13 reads and mget in round two
        }
    }

    @Test
    void aWriteOnAnotherConnectionIsSeenOnceItsInvalidationArrived() {
        try (RedisClient client = cachedClient(CacheServer.get().uri(), CacheSettings.defaults());
             RedisClient writer = RedisClient.create(CacheServer.get().uri())) {
            CachedCommands<String, String> cached = client.cached();
            writer.sync().set("c:other", "old");
            assertEquals("old", cached.get("c:other"));
            assertEquals("old", cached.get("c:other"));
            writer.sync().set("c:other", "new");
            client.sync().ping(); // its reply comes after the invalidation, on the same connection
            assertEquals("new", cached.get("c:other"));
            assertEquals(1, cached.stats().invalidations());
        }
    }

    /**
     * The cache lives by its connection's tracking: a user's CLIENT TRACKING OFF (or CACHING, or RESET) on the
     * shared connection would leave it serving values nobody invalidates. Refused before it is sent, naming the
     * setting; tracking is intact after the refusals (another connection's write is still seen). Without a cache
     * the same commands go through.
     */
    @Test
    void trackingCannotBeChangedUnderTheCacheOnItsSharedConnection() {
        try (RedisClient client = cachedClient(CacheServer.get().uri(), CacheSettings.defaults());
             RedisClient writer = RedisClient.create(CacheServer.get().uri())) {
            CachedCommands<String, String> cached = client.cached();
            writer.sync().set("c:trk", "old");
            assertEquals("old", cached.get("c:trk"));
            for (String[] cmd : List.of(new String[] {"CLIENT", "TRACKING", "OFF"}, new String[] {"client", "caching", "no"},
                    new String[] {"RESET"})) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> client.sync().execute(cmd));
                assertTrue(e.getMessage().contains(cmd[0].equals("RESET") ? "dedicated()" : "clientCache(CacheSettings)"),
                        e.getMessage());
            }
            writer.sync().set("c:trk", "new");
            client.sync().ping(); // its reply comes after the invalidation, on the same connection
            assertEquals("new", cached.get("c:trk"), "tracking was still on after the refused commands");
            assertEquals(1, cached.stats().invalidations());
            assertEquals("OK", writer.sync().execute("CLIENT", "TRACKING", "OFF").asString(), "no cache: not refused");
        }
    }

    @Test
    void theClientsOwnWriteInvalidatesAtOnceEvenWithNoLoop() {
        try (RedisClient client = cachedClient(CacheServer.get().uri(), CacheSettings.builder().noLoop(true).build())) {
            CachedCommands<String, String> cached = client.cached();
            client.sync().set("c:own", "old");
            assertEquals("old", cached.get("c:own"));
            client.sync().set("c:own", "new"); // NOLOOP: the server never tells this connection
            assertEquals("new", cached.get("c:own"));
            client.async().hset("c:ownh", Map.of("f", "1")).join();
            assertEquals("1", cached.hget("c:ownh", "f"));
            client.async().hset("c:ownh", Map.of("f", "2")).join();
            assertEquals("2", cached.hget("c:ownh", "f"));
        }
    }

    @Test
    void concurrentMissesOfOneKeyShareOneRequest() throws Exception {
        try (FaultProxy proxy = FaultProxy.start(CacheServer.get());
             RedisClient client = cachedClient(proxy.uri(), CacheSettings.defaults())) {
            CachedCommands<String, String> cached = client.cached();
            client.sync().set("c:shared", "v");
            CacheServer.get().command("CONFIG", "RESETSTAT");
            proxy.delay(FaultProxy.Direction.TO_CLIENT, Duration.ofMillis(300)); // the first reader's reply is slow
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                CountDownLatch go = new CountDownLatch(1);
                List<Future<String>> reads = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    reads.add(pool.submit(() -> {
                        go.await();
                        return cached.get("c:shared");
                    }));
                }
                go.countDown();
                for (Future<String> f : reads) {
                    assertEquals("v", f.get());
                }
            } finally {
                pool.shutdownNow();
            }
            assertEquals(1, CacheServer.calls("get"), "eight concurrent misses of one key, one GET");
            assertEquals(1, CacheServer.calls("pttl"));
        }
    }

    @Test
    void aReadInFlightThatAnInvalidationOvertakesIsDeliveredButNotKept() {
        try (FaultProxy proxy = FaultProxy.start(CacheServer.get());
             RedisClient client = cachedClient(proxy.uri(), CacheSettings.builder().ttl(Duration.ofMillis(100)).build());
             RedisClient writer = RedisClient.create(CacheServer.get().uri())) {
            CachedCommands<String, String> cached = client.cached();
            writer.sync().set("c:race", "v1");
            assertEquals("v1", cached.get("c:race")); // the server now tracks c:race for this connection
            sleep(150);                                // gone from memory (client TTL), still tracked on the server
            long stored = cached.stats().stored();
            proxy.delay(FaultProxy.Direction.TO_CLIENT, Duration.ofMillis(200));
            writer.sync().set("c:race", "v2");        // its invalidation is on its way, held by the proxy
            assertEquals("v2", cached.get("c:race"));  // miss: GET goes out; the invalidation is parsed before its reply
            assertEquals(stored, cached.stats().stored(), "the reply of a read an invalidation cancelled is not kept");
            assertEquals(1, cached.stats().invalidations(), "the invalidation found the pending read");
        }
    }

    @Test
    void withoutAClientTtlAnEntryLastsUntilItsKeyChangesAndThePttlStillCapsIt() {
        try (RedisClient client = cachedClient(CacheServer.get().uri(),
                CacheSettings.builder().ttl(CacheSettings.NO_TTL).build())) {
            CachedCommands<String, String> cached = client.cached();
            CacheServer.get().command("DEBUG", "SET-ACTIVE-EXPIRE", "0"); // no invalidation until someone reads it
            try {
                client.sync().set("c:forever", "v1");
                client.sync().psetex("c:capped", Duration.ofMillis(300), "v");
                assertEquals("v1", cached.get("c:forever"));
                assertEquals("v", cached.get("c:capped"));
                sleep(400);
                assertEquals("v1", cached.get("c:forever"));
                assertEquals(1, cached.stats().hits(), "kept past any short TTL");
                assertNull(cached.get("c:capped"), "an entry outlived its key's PTTL");
                assertEquals(1, cached.stats().hits());
                client.sync().set("c:forever", "v2");
                assertEquals("v2", cached.get("c:forever"), "the client's own write ended it");
                // kept again (the server's own notice of the write may still cancel the first read after it)
                for (int i = 0; i < 20 && cached.stats().hits() < 2; i++) {
                    sleep(20);
                    assertEquals("v2", cached.get("c:forever"));
                }
                assertEquals(2, cached.stats().hits());
            } finally {
                CacheServer.get().command("DEBUG", "SET-ACTIVE-EXPIRE", "1");
            }
        }
        assertThrows(IllegalArgumentException.class, () -> CacheSettings.builder().ttl(Duration.ZERO).build());
        assertEquals(Long.MAX_VALUE, CacheSettings.builder().ttl(CacheSettings.NO_TTL).build().ttlNanos());
    }

    @Test
    void theClientTtlEndsAnEntryAndTheKeysPttlCapsIt() {
        try (RedisClient client = cachedClient(CacheServer.get().uri(),
                CacheSettings.builder().ttl(Duration.ofSeconds(60)).build())) {
            CachedCommands<String, String> cached = client.cached();
            CacheServer.get().command("DEBUG", "SET-ACTIVE-EXPIRE", "0"); // no invalidation until someone reads it
            try {
                client.sync().psetex("c:pttl", Duration.ofMillis(300), "v");
                assertEquals("v", cached.get("c:pttl"));
                assertEquals("v", cached.get("c:pttl"));
                assertEquals(1, cached.stats().hits());
                sleep(400);
                // the server has not deleted it nor said so (no active expiry); only the PTTL cap makes this a miss
                assertEquals(0, cached.stats().invalidations());
                assertNull(cached.get("c:pttl"), "an entry outlived its key's PTTL");
                assertEquals(1, cached.stats().hits());
            } finally {
                CacheServer.get().command("DEBUG", "SET-ACTIVE-EXPIRE", "1");
            }
        }
        try (RedisClient client = cachedClient(CacheServer.get().uri(),
                CacheSettings.builder().ttl(Duration.ofMillis(150)).build())) {
            CachedCommands<String, String> cached = client.cached();
            client.sync().set("c:ttl", "v");
            assertEquals("v", cached.get("c:ttl"));
            assertEquals("v", cached.get("c:ttl"));
            assertEquals(1, cached.stats().hits());
            sleep(200);
            assertEquals("v", cached.get("c:ttl"));
            assertEquals(1, cached.stats().hits(), "the client TTL ended the entry");
            assertEquals(2, cached.stats().stored());
        }
    }

    @Test
    void memoryStaysUnderTheBoundOverAKeyspaceTenTimesLarger() {
        long bound = 64 * 1024;
        try (RedisClient client = cachedClient(CacheServer.get().uri(), CacheSettings.builder().maxBytes(bound).build())) {
            CachedCommands<String, String> cached = client.cached();
            String value = "x".repeat(100);
            int keys = 3000; // about 230 bytes an entry: the bound holds ~280 of them
            Map<String, String> all = new java.util.HashMap<>();
            for (int i = 0; i < keys; i++) {
                all.put("c:mem:" + i, value + i);
            }
            client.sync().mset(all);
            long maxSeen = 0;
            for (int round = 0; round < 2; round++) {
                for (int i = 0; i < keys; i++) {
                    assertEquals(value + i, cached.get("c:mem:" + i));
                    maxSeen = Math.max(maxSeen, cached.stats().bytes());
                }
            }
            CacheStats s = cached.stats();
            assertTrue(maxSeen <= bound, "held " + maxSeen + " bytes, bound " + bound);
            assertTrue(s.evictions() >= 2 * keys - bound / 200, s.toString());
            assertTrue(s.bytes() > bound / 2, "the bound is used, not just respected: " + s);
        }
    }

    @Test
    void aCutConnectionEmptiesTheCacheSoAWriteMadeMeanwhileIsSeen() {
        try (FaultProxy proxy = FaultProxy.start(CacheServer.get());
             RedisClient client = cachedClient(proxy.uri(), CacheSettings.defaults());
             RedisClient writer = RedisClient.create(CacheServer.get().uri())) {
            CachedCommands<String, String> cached = client.cached();
            writer.sync().set("c:cut", "before");
            assertEquals("before", cached.get("c:cut"));
            assertEquals("before", cached.get("c:cut"));
            proxy.refuseNew(true);
            proxy.cutAll();
            writer.sync().set("c:cut", "after"); // no connection: no invalidation can reach the client
            awaitTrue(() -> cached.stats().bytes() == 0, "the cut emptied the cache");
            proxy.refuseNew(false);
            assertEquals("after", cached.get("c:cut"));
            assertTrue(cached.stats().clears() >= 2, "lost, then re-made: " + cached.stats());
        }
    }

    @Test
    void aServerFlushEmptiesTheCache() {
        try (RedisClient client = cachedClient(CacheServer.get().uri(), CacheSettings.defaults());
             RedisClient writer = RedisClient.create(CacheServer.get().uri())) {
            CachedCommands<String, String> cached = client.cached();
            writer.sync().set("c:flush", "v");
            assertEquals("v", cached.get("c:flush"));
            writer.sync().execute("FLUSHALL");
            client.sync().ping();
            assertNull(cached.get("c:flush"));
        }
    }

    @Test
    void withoutResp3OrWithoutTheSettingTheCacheIsRefusedNamingTheSetting() {
        IllegalArgumentException resp2 = assertThrows(IllegalArgumentException.class, () -> RedisClient
                .builder(CacheServer.get().uri()).protocol(2).clientCache(CacheSettings.defaults()).build());
        assertTrue(resp2.getMessage().contains("RESP3") && resp2.getMessage().contains("protocol"), resp2.getMessage());
        try (RedisClient plain = RedisClient.create(CacheServer.get().uri())) {
            IllegalStateException none = assertThrows(IllegalStateException.class, plain::cached);
            assertTrue(none.getMessage().contains("RedisClientBuilder.clientCache"), none.getMessage());
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    static void awaitTrue(java.util.function.BooleanSupplier c, String what) {
        long end = System.nanoTime() + 5_000_000_000L;
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("not within 5 s: " + what);
            }
            sleep(5);
        }
    }
}
