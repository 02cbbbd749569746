package io.respin.client.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.respin.client.RedisClient;
import io.respin.client.async.CacheSettings;
import io.respin.client.async.CacheStats;
import io.respin.client.sync.CachedCommands;
import io.respin.testkit.RedisSentinel;
import io.respin.testkit.RedisServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Client-side caching through Sentinel: the cache lives on the current primary's connection, so a failover (the
 * client re-resolves the primary and reconnects there) empties it. A value cached from the old primary, then changed
 * on the new one by another connection, is read new through the cache after the switch; the stats show the clear.
 */
class SentinelCacheTest {
    RedisServer primary;
    RedisServer replica;
    RedisSentinel sentinels;
    RedisClient client;

    @BeforeEach
    void start() {
        primary = RedisServer.builder().start();
        replica = RedisServer.replicaOf(primary);
        sentinels = RedisSentinel.builder(primary).replicas(1).sentinels(3).start();
        client = RedisClient.builder("redis-sentinel://" + String.join(",", sentinels.seeds()) + "/"
                + sentinels.masterName()).clientCache(CacheSettings.defaults()).build();
    }

    @AfterEach
    void stop() {
        client.close();
        sentinels.close();
        replica.close();
        primary.close();
    }

    @Test
    void aFailoverEmptiesTheCacheAndTheNewPrimarysValueIsRead() throws Exception {
        CachedCommands<String, String> cached = client.cached();
        client.sync().set("sc:k", "v1");
        client.sync().set("sc:other", "o1");
        assertEquals("v1", cached.get("sc:k"));
        assertEquals("v1", cached.get("sc:k")); // a hit, from the old primary's connection
        assertEquals("o1", cached.get("sc:other"));
        CacheStats before = cached.stats();
        assertEquals(1, before.hits(), before.toString());
        assertEquals(2, before.stored(), before.toString());
        waitReplicated();

        sentinels.sentinels().get(0).command("SENTINEL", "FAILOVER", sentinels.masterName());
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (client.endpoint().uri().port() != replica.port()) {
            assertTrue(System.nanoTime() < deadline, "the client did not move to the promoted replica in 30 s");
            Thread.sleep(20);
        }
        sentinels.awaitPrimary(replica.port());
        client.sync().ping(); // the new connection's handshake is done (the cache was emptied at it)
        // another connection writes on the new primary: the old primary never hears of it
        replica.command("SET", "sc:k", "v2");

        assertEquals("v2", cached.get("sc:k"), "a value cached from the old primary was served after the failover");
        assertEquals("v2", cached.get("sc:k"));
        assertEquals("o1", cached.get("sc:other"));
        CacheStats after = cached.stats();
        assertTrue(after.clears() > before.clears(), "no clear at the failover: " + before + " -> " + after);
        assertEquals(2, after.hits(), after.toString()); // the second v2 read; sc:other was dropped with the rest
        assertEquals(4, after.stored(), after.toString());
        assertNotEquals(primary.port(), client.endpoint().uri().port());
    }

    /** Waits until the replica has every write the primary acknowledged (replication is asynchronous). */
    private void waitReplicated() throws InterruptedException {
        for (int i = 0; i < 1000 && !"v1".equals(replica.command("GET", "sc:k")); i++) {
            Thread.sleep(5);
        }
        assertEquals("o1", replica.command("GET", "sc:other"));
    }
}
