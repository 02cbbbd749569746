package io.respin.client.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

// snippet: cluster-quickstart
import io.respin.RedisServerException;
import io.respin.client.RedisClient;
import java.util.List;
import java.util.Map;

// end snippet
import io.respin.engine.cluster.Slots;
import io.respin.testkit.RedisCluster;
import java.util.ArrayList;
import java.util.Arrays;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.TreeSet;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Multi-key commands over keys in many slots: MGET, MSET, DEL, UNLINK, EXISTS and TOUCH are split by slot and
 * put back together in key order; MSETNX, scripts and transactions are refused with the slots named.
 */
class ClusterMultiKeyTest {
    private static RedisCluster cluster;
    private static RedisClient client;

    @BeforeAll
    static void start() {
        cluster = RedisCluster.builder().primaries(3).start();
        client = RedisClient.create("redis-cluster://" + String.join(",", cluster.seeds()));
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @BeforeEach
    void flush() {
        cluster.flushAll();
    }

    private static String[] keys(String prefix, int n) {
        String[] keys = new String[n];
        for (int i = 0; i < n; i++) {
            keys[i] = prefix + i;
        }
        return keys;
    }

    @Test
    void aThousandKeysInManySlotsSplitAndComeBackInKeyOrder() {
        String[] keys = keys("mk:", 1000);
        Map<String, String> entries = new LinkedHashMap<>();
        for (String k : keys) {
            entries.put(k, "v-" + k);
        }
        assertTrue(Arrays.stream(keys).map(Slots::slot).distinct().count() > 900, "the keys are in many slots");
        assertEquals("OK", client.sync().mset(entries));
        for (String k : keys) {
            assertEquals("v-" + k, cluster.primaryForKey(k).command("GET", k), "MSET wrote " + k + " on its owner");
        }
        // reversed, with absent keys in between: values come back in the order asked
        List<String> asked = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        for (int i = keys.length - 1; i >= 0; i--) {
            asked.add(keys[i]);
            expected.add("v-" + keys[i]);
            asked.add("absent:" + i);
            expected.add(null);
        }
        String[] askedArray = asked.toArray(new String[0]);
        assertEquals(expected, client.sync().mget(askedArray));
        assertEquals(expected, client.async().mget(askedArray).join());
        assertEquals(1000L, client.sync().exists(askedArray));
        assertEquals(1000L, client.async().touch(askedArray).join());
        assertEquals(500L, client.async().unlink(Arrays.copyOf(keys, 500)).join());
        assertEquals(500L, client.sync().del(askedArray));
        assertEquals(0L, client.sync().exists(keys));
    }

    @Test
    void wholeDataSetCommandsRunOnEveryPrimary() {
        String[] keys = keys("all:", 300);
        Map<String, String> entries = new LinkedHashMap<>();
        for (String k : keys) {
            entries.put(k, "v");
        }
        client.sync().mset(entries);
        long onNodes = 0;
        for (var p : cluster.primaries()) {
            long n = (Long) p.command("DBSIZE");
            assertTrue(n > 0, "every primary holds some of the keys");
            onNodes += n;
        }
        assertEquals(300L, onNodes);
        assertEquals(300L, client.sync().dbsize());
        assertEquals(300L, client.async().dbsize().join());
        assertEquals(new TreeSet<>(List.of(keys)), new TreeSet<>(client.sync().keys("all:*")));
        // SCAN: one cursor walks every primary; small pages so that each node takes several
        var scanned = new TreeSet<String>();
        client.sync().scanIterator(new io.respin.engine.command.ScanArgs().match("all:*").count(10))
                .forEachRemaining(scanned::add);
        assertEquals(new TreeSet<>(List.of(keys)), scanned);
        var viaAsync = java.util.concurrent.ConcurrentHashMap.<String>newKeySet();
        assertTrue(client.async().scanEach(new io.respin.engine.command.ScanArgs().match("all:*"), viaAsync::add)
                .join() >= 300);
        assertEquals(new TreeSet<>(List.of(keys)), new TreeSet<>(viaAsync));
        String sha = client.sync().scriptLoad("return 42");
        for (var p : cluster.primaries()) {
            assertEquals(List.of(1L), p.command("SCRIPT", "EXISTS", sha), "loaded on " + p);
        }
        assertEquals("OK", client.sync().flushall());
        for (var p : cluster.primaries()) {
            assertEquals(0L, p.command("DBSIZE"), "flushed " + p);
        }
        assertEquals(0L, client.sync().dbsize());
    }

    @Test
    void aTransactionRunsOnTheOwnerOfItsSlot() {
        String balance = "{acct:7}:balance";
        String log = "{acct:7}:log";
        client.sync().set(balance, "100");
        try (var tx = client.transaction("{acct:7}")) {
            tx.watch(balance);
            long b = Long.parseLong(tx.sync().get(balance));
            tx.multi();
            var after = tx.queue().incrby(balance, -10);
            tx.queue().rpush(log, "-10");
            assertTrue(tx.exec().committed());
            assertEquals(b - 10, after.join());
        }
        var owner = cluster.primaryForKey(balance);
        assertEquals("90", owner.command("GET", balance));
        assertEquals(1L, owner.command("LLEN", log));
        try (var tx = client.asyncTransaction(balance)) {
            tx.multi().join();
            tx.queue().incrby(balance, 5);
            assertTrue(tx.exec().join().committed());
        }
        assertEquals("95", owner.command("GET", balance));
        // a key of another slot inside: refused before it is sent, EXEC becomes DISCARD, nothing runs
        String elsewhere = null;
        for (int i = 0; elsewhere == null; i++) {
            elsewhere = cluster.primaryForKey("other:" + i).port() != owner.port() ? "other:" + i : null;
        }
        long moved = ClusterRoutingTest.movedSoFar(cluster);
        try (var tx = client.transaction(balance)) {
            tx.multi();
            var first = tx.queue().incrby(balance, 1);
            var refused = tx.queue().set(elsewhere, "x");
            String other = elsewhere;
            var e = assertThrows(RedisServerException.class, tx::exec);
            assertEquals("CROSSSLOT", e.prefix(), e.getMessage());
            assertTrue(e.getMessage().contains("'" + other + "' → " + Slots.slot(other))
                    && e.getMessage().contains("slot " + Slots.slot(balance)), e.getMessage());
            var why = assertThrows(CompletionException.class, refused::join);
            assertEquals(e, why.getCause());
            assertThrows(CompletionException.class, first::join, "the command queued before it was dropped too");
        }
        assertEquals(moved, ClusterRoutingTest.movedSoFar(cluster), "nothing of it reached a node that refused it");
        assertEquals("95", owner.command("GET", balance), "nothing of the aborted transaction ran");
    }

    @Test
    void keysInOneSlotStillGoAsOneCommand() {
        long before = ClusterRoutingTest.errorsSoFar(cluster, "CROSSSLOT");
        assertEquals("OK", client.sync().mset(Map.of("{t}:a", "1", "{t}:b", "2")));
        assertEquals(Arrays.asList("1", "2", null), client.sync().mget("{t}:a", "{t}:b", "{t}:c"));
        assertEquals(true, client.sync().msetnx(Map.of("{t}:x", "1", "{t}:y", "2")));
        assertEquals(before, ClusterRoutingTest.errorsSoFar(cluster, "CROSSSLOT"));
    }

    @Test
    void theDocsSnippetsRun() {
        String uri = "redis-cluster://" + String.join(",", cluster.seeds());
        // snippet: cluster-quickstart
        try (RedisClient client = RedisClient.create(uri)) {      // "redis-cluster://10.0.0.1:7000,10.0.0.2:7000"
            var redis = client.sync();
            redis.set("user:42", "Ann");                            // to the primary that serves its slot
            redis.hset("{user:42}:profile", Map.of("plan", "pro")); // {hash tag}: same slot as "{user:42}:cart"
            List<String> names = redis.mget("user:42", "user:7", "user:99"); // 3 slots, values in key order
            long gone = redis.del("user:7", "user:99");                     // counts added up
            client.async().incr("hits").thenAccept(n -> System.out.println("hits " + n)).join();
            try {
                redis.msetnx(Map.of("a", "1", "b", "2"));           // all or nothing: one slot only
            } catch (RedisServerException e) {
                System.out.println(e.getMessage());                 // CROSSSLOT MSETNX: its keys hash to the slots [...]
            }
        }
        // end snippet
        assertEquals(Arrays.asList("Ann", null, null), names(uri));
        String[] seeds = cluster.seeds().subList(0, 2).toArray(new String[0]);
        // snippet: cluster-builder
        RedisClient client = RedisClient.builder("redis://unused:6379") // user, password, TLS: for every node
                .clientName("orders")
                .clusterSeeds(seeds)                          // "10.0.0.1:7000", "10.0.0.2:7000": one must answer
                .clusterRefreshPeriod(Duration.ofSeconds(5))  // default 10 s; Duration.ZERO: only on MOVED or loss
                .clusterMaxRedirects(5)                       // MOVED/ASK/TRYAGAIN/CLUSTERDOWN per command
                .commandTimeout(Duration.ofSeconds(2))        // redirects and retries stay inside it
                .build();
        // end snippet
        client.close();
    }

    private static List<String> names(String uri) {
        try (RedisClient c = RedisClient.create(uri)) {
            return c.sync().mget("user:42", "user:7", "user:99");
        }
    }

    @Test
    void allOrNothingCommandsAcrossSlotsAreRefusedNamingTheSlots() {
        Map<String, String> entries = new LinkedHashMap<>();
        entries.put("a", "1");
        entries.put("b", "2");
        String slots = new TreeSet<>(List.of(Slots.slot("a"), Slots.slot("b"))).toString();
        var e = assertThrows(RedisServerException.class, () -> client.sync().msetnx(entries));
        assertEquals("CROSSSLOT", e.prefix());
        assertTrue(e.getMessage().contains(slots), e.getMessage());
        var f = assertThrows(CompletionException.class, () -> client.async().msetnx(entries).join());
        assertTrue(f.getCause().getMessage().contains(slots), f.getCause().getMessage());
        var s = assertThrows(RedisServerException.class,
                () -> client.sync().execute("EVAL", "return 1", "2", "a", "b"));
        assertTrue(s.getMessage().contains(slots) && s.getMessage().contains("EVAL"), s.getMessage());
        assertEquals(0L, (Long) cluster.primaryForKey("a").command("EXISTS", "a"), "nothing of MSETNX ran");
        var t = assertThrows(UnsupportedOperationException.class, () -> client.transaction());
        assertTrue(t.getMessage().contains("Redis Cluster"), t.getMessage());
        assertThrows(UnsupportedOperationException.class, () -> client.asyncTransaction());
    }
}
