package io.respin.client.cluster;

import static io.respin.client.cluster.ClusterFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.respin.client.RedisClient;
import io.respin.client.async.CacheSettings;
import io.respin.client.async.CacheStats;
import io.respin.client.async.ReadFrom;
import io.respin.client.sync.CachedCommands;
import io.respin.testkit.RedisCluster;
import io.respin.testkit.RedisServer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Client-side caching on a real cluster (3 primaries, a replica each): every primary's shared connection has a cache
 * of its own, cached reads go to the primary of their key's slot, and what a node can no longer vouch for — a slot it
 * lost, a connection it lost — is not served from memory. The server's own counters ({@code INFO commandstats}) say
 * where reads went.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterCacheTest {
    private static RedisCluster cluster;
    private static RedisClient client;
    private static RedisClient replicaReader;

    @BeforeAll
    static void start() {
        cluster = RedisCluster.builder().primaries(3).replicasPerPrimary(1)
                .config("cluster-node-timeout", "1000").config("cluster-replica-validity-factor", "0").start();
        String uri = "redis-cluster://" + String.join(",", cluster.seeds());
        client = RedisClient.builder(uri).clientCache(CacheSettings.defaults()).build();
        replicaReader = RedisClient.builder(uri).clientCache(CacheSettings.defaults())
                .clusterReadFrom(ReadFrom.REPLICA_PREFERRED).build();
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {client, replicaReader, cluster}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception ignored) {
                // closing the rest matters more
            }
        }
    }

    @BeforeEach
    void resetStats() {
        for (RedisServer n : cluster.nodes()) {
            if (n.isAlive()) {
                n.command("CONFIG", "RESETSTAT");
            }
        }
    }

    /** {@code calls} of {@code command} (lower case) on {@code node} since the last CONFIG RESETSTAT. */
    private static long calls(RedisServer node, String command) {
        String info = (String) node.command("INFO", "commandstats");
        for (String line : info.split("\r\n")) {
            String head = "cmdstat_" + command + ":calls=";
            if (line.startsWith(head)) {
                return Long.parseLong(line.substring(head.length(), line.indexOf(',', head.length())));
            }
        }
        return 0;
    }

    /** {@code n} keys under {@code prefix} for each primary, by the primary that serves them. */
    private static Map<RedisServer, List<String>> keysOnEveryPrimary(String prefix, int n) {
        Map<RedisServer, List<String>> byNode = new LinkedHashMap<>();
        for (RedisServer p : cluster.primaries()) {
            byNode.put(p, new ArrayList<>());
        }
        for (int i = 0; byNode.values().stream().anyMatch(l -> l.size() < n); i++) {
            String k = prefix + i;
            List<String> l = byNode.get(cluster.primaryForKey(k));
            if (l.size() < n) {
                l.add(k);
            }
        }
        return byNode;
    }

    @Test
    @Order(1)
    void everyPrimaryAnswersItsKeysOnceAndTheRestAreHits() {
        Map<RedisServer, List<String>> keys = keysOnEveryPrimary("cc:hit:", 4);
        keys.values().forEach(l -> l.forEach(k -> client.sync().set(k, "v-" + k)));
        resetStats();
        CacheStats before = client.cached().stats();
        CachedCommands<String, String> cached = client.cached();
        int reads = 5;
        for (int r = 0; r < reads; r++) {
            for (List<String> l : keys.values()) {
                for (String k : l) {
                    assertEquals("v-" + k, r % 2 == 0 ? cached.get(k) : client.cachedAsync().get(k).join());
                }
            }
        }
        for (Map.Entry<RedisServer, List<String>> e : keys.entrySet()) {
            assertEquals(e.getValue().size(), calls(e.getKey(), "get"), e.getKey() + ": one GET per key of its own");
            assertEquals(e.getValue().size(), calls(e.getKey(), "pttl"), e.getKey() + ": one PTTL per key");
        }
        CacheStats after = client.cached().stats();
        assertEquals(12L * (reads - 1), after.hits() - before.hits(), after.toString());
        assertEquals(12L, after.stored() - before.stored(), after.toString());
        // mget: one cached GET per key, whatever node each lives on; all hits now
        List<String> all = keys.values().stream().flatMap(List::stream).toList();
        assertEquals(all.stream().map(k -> "v-" + k).toList(), cached.mget(all.toArray(new String[0])));
        for (RedisServer p : keys.keySet()) {
            assertEquals(4, calls(p, "get"), "mget of cached keys went to " + p);
        }
    }

    @Test
    @Order(2)
    void anotherClientsWriteInvalidatesOnTheNodeThatServesTheKey() {
        Map<RedisServer, List<String>> keys = keysOnEveryPrimary("cc:inv:", 3);
        List<String> all = keys.values().stream().flatMap(List::stream).toList();
        all.forEach(k -> client.sync().set(k, "old"));
        CachedCommands<String, String> cached = client.cached();
        all.forEach(k -> assertEquals("old", cached.get(k)));
        long invalidations = cached.stats().invalidations();
        for (Map.Entry<RedisServer, List<String>> e : keys.entrySet()) {
            for (String k : e.getValue()) {
                e.getKey().command("SET", k, "new"); // a plain connection of the test to the key's primary
            }
        }
        await(() -> cached.stats().invalidations() - invalidations == all.size(),
                "an invalidation of each of the " + all.size() + " keys, each on its own node's connection");
        all.forEach(k -> assertEquals("new", cached.get(k)));
        for (Map.Entry<RedisServer, List<String>> e : keys.entrySet()) {
            assertEquals(3 + 3, calls(e.getKey(), "get"), e.getKey() + ": read once before, once after the write");
        }
    }

    @Test
    @Order(3)
    void cachedReadsGoToPrimariesEvenWhenReadsPreferReplicas() {
        Map<RedisServer, List<String>> keys = keysOnEveryPrimary("cc:rep:", 3);
        List<String> all = keys.values().stream().flatMap(List::stream).toList();
        all.forEach(k -> client.sync().set(k, "v"));
        for (RedisServer p : cluster.primaries()) {
            p.command("WAIT", "1", "2000");
        }
        resetStats();
        for (int r = 0; r < 3; r++) {
            all.forEach(k -> assertEquals("v", replicaReader.cached().get(k)));
        }
        replicaReader.sync().get(all.getFirst()); // an uncached read: that one may go to a replica
        long onPrimaries = 0;
        for (RedisServer n : cluster.nodes()) {
            if (cluster.primaries().contains(n)) {
                onPrimaries += calls(n, "get");
            } else {
                assertTrue(calls(n, "get") <= 1, n + " (a replica) got cached GETs: " + calls(n, "get"));
                assertEquals(0, calls(n, "pttl"), n + " (a replica) got a cached read's PTTL");
            }
        }
        assertTrue(onPrimaries >= all.size(), "the cached reads' GETs were not all on primaries: " + onPrimaries);
        assertEquals(2L * all.size(), replicaReader.cached().stats().hits(), replicaReader.cached().stats().toString());
    }

    /**
     * A slot moves (the test kit's {@code moveSlot}: SETSLOT IMPORTING/MIGRATING, MIGRATE, SETSLOT NODE) after a key
     * of it was read through the cache; another connection writes the key on the new owner; the cached read returns
     * the new value. Twice: a key that existed (the old owner deletes it as it migrates, which invalidates it), and
     * a key that did not — nothing migrates, the old owner sends nothing, and a kept "no such key" would be served
     * from the old owner's cache until the client happened to learn of the move; so on a cluster a read of an absent
     * key is never kept. Then the client learns of the move and the old owner's cache drops the slot.
     */
    @Test
    @Order(4)
    void aMovedSlotIsNotServedFromTheOldOwnersCache() {
        CachedCommands<String, String> cached = client.cached();
        String present = "{cc:mv1}:k";
        String absent = "{cc:mv2}:k";
        client.sync().set(present, "v1");
        assertEquals("v1", cached.get(present));
        assertEquals("v1", cached.get(present));
        assertNull(cached.get(absent));
        assertNull(cached.get(absent));

        for (String k : List.of(present, absent)) {
            RedisServer newOwner = cluster.moveSlot(cluster.slot(k), () -> { });
            newOwner.command("SET", k, "v2");
            assertEquals("v2", cached.get(k), k + ": the old owner's cached reply was served after its slot moved");
            assertEquals("v2", cached.get(k));
        }
        CacheStats s = cached.stats();
        assertTrue(s.hits() >= 2, s.toString());
    }

    /**
     * Redirected cached reads are delivered, not kept: while a slot is half moved (MIGRATE in batches of 5), a key
     * already on the new owner is answered ASK by the old one and read there through the router; after the move, the
     * old owner answers MOVED. Neither reply is kept; the read after the MOVED goes to the new owner's cache, which
     * keeps it, and the one after that is a hit.
     */
    @Test
    @Order(5)
    void redirectedCachedReadsAreDeliveredButNotKept() {
        CachedCommands<String, String> cached = client.cached();
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            keys.add("{cc:ask}:" + i);
        }
        keys.forEach(k -> client.sync().set(k, "v-" + k));
        List<String> seenHalfway = new ArrayList<>();
        long[] storedBefore = new long[1];
        cluster.moveSlot(cluster.slot(keys.getFirst()), () -> {
            if (!seenHalfway.isEmpty()) {
                return;
            }
            storedBefore[0] = cached.stats().stored();
            for (String k : keys) {
                seenHalfway.add(cached.get(k)); // migrated ones: ASK from the old owner, read on the new one
            }
        });
        assertEquals(keys.stream().map(k -> "v-" + k).toList(), seenHalfway, "reads while the slot was half moved");
        CacheStats halfway = cached.stats();
        // after the first batch: 5 keys on the new owner (ASK: delivered, not kept), 5 still on the old (kept)
        assertEquals(5, halfway.stored() - storedBefore[0], "kept while half moved: " + halfway);

        long stored = cached.stats().stored();
        String k = keys.getLast();
        assertEquals("v-" + k, cached.get(k)); // MOVED from the old owner (the client's map is stale): not kept
        assertEquals(stored, cached.stats().stored(), "the reply that came through a MOVED was kept");
        assertEquals("v-" + k, cached.get(k)); // the new owner's cache, which keeps it
        assertEquals(stored + 1, cached.stats().stored());
        long hits = cached.stats().hits();
        assertEquals("v-" + k, cached.get(k));
        assertEquals(hits + 1, cached.stats().hits());
    }

    /**
     * A replica takes over with {@code CLUSTER FAILOVER} (graceful: the old primary stays up, as a replica, and its
     * tracked connection with it). Once the client learns that the slot is served elsewhere (here from the MOVED of
     * an uncached read), the old primary's cache drops every key of the slot — they are counted in
     * {@code slotDrops} — and the next cached reads go to the new primary's cache: the value another connection wrote
     * there (the old primary's other cached keys go too: it lost all its slots).
     */
    @Test
    @Order(6)
    void theNodeThatLostASlotDropsItsKeysWhenTheClientLearnsOfIt() throws Exception {
        List<String> keys = List.of("{cc:fo}:1", "{cc:fo}:2", "{cc:fo}:3");
        RedisServer old = cluster.primaryForKey(keys.getFirst());
        CachedCommands<String, String> cached = client.cached();
        keys.forEach(k -> client.sync().set(k, "before"));
        keys.forEach(k -> assertEquals("before", cached.get(k)));
        old.command("WAIT", "1", "2000");
        long drops = cached.stats().slotDrops();
        RedisServer heir = cluster.nodes().stream().filter(n -> n.isAlive() && n != old
                && ((String) n.command("INFO", "replication")).contains("master_port:" + old.port())).findFirst()
                .orElseThrow();
        heir.command("CLUSTER", "FAILOVER");
        await(() -> cluster.primaryForKey(keys.getFirst()) == heir
                        && ((String) old.command("INFO", "replication")).contains("role:slave"),
                "the replica to take over, and the old primary to know it");
        assertEquals("before", client.sync().get(keys.getFirst())); // MOVED from the old primary: the client learns

        // every key the old primary's cache held goes (it lost all its slots): ours and those earlier tests left there
        await(() -> cached.stats().slotDrops() - drops >= keys.size(),
                "the old primary's cache to drop the keys of the slots it lost (" + cached.stats() + ")");
        keys.forEach(k -> heir.command("SET", k, "after"));
        keys.forEach(k -> assertEquals("after", cached.get(k)));
        keys.forEach(k -> assertEquals("after", cached.get(k)));
    }

    /**
     * kill -9 of a primary whose keys are cached: its connection goes and its cache with it; once its replica has
     * taken over and another connection wrote new values there, cached reads return those.
     */
    @Test
    @Order(7)
    void aKilledPrimarysCacheIsNotServedAfterTheFailover() throws Exception {
        RedisServer victim = cluster.primaries().getFirst();
        List<String> keys = keysOnEveryPrimary("cc:kill:", 3).get(victim);
        CachedCommands<String, String> cached = client.cached();
        keys.forEach(k -> client.sync().set(k, "before"));
        keys.forEach(k -> assertEquals("before", cached.get(k)));
        keys.forEach(k -> assertEquals("before", cached.get(k)));
        victim.command("WAIT", "1", "2000");
        long clears = cached.stats().clears();

        victim.kill();
        await(() -> cluster.primaryForKey(keys.getFirst()) != victim, "the victim's replica to take over");
        cluster.awaitOk();
        RedisServer heir = cluster.primaryForKey(keys.getFirst());
        keys.forEach(k -> heir.command("SET", k, "after"));
        for (String k : keys) {
            String v = null;
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (v == null) {
                try {
                    v = cached.get(k);
                } catch (RuntimeException failingOver) {
                    assertTrue(System.nanoTime() < deadline, "no cached read of " + k + " succeeded in 30 s");
                    Thread.sleep(20);
                }
            }
            assertEquals("after", v, k + ": a value cached from the killed primary was served");
            assertEquals("after", cached.get(k));
        }
        assertTrue(cached.stats().clears() > clears, "the killed primary's cache was not emptied");
    }
}
