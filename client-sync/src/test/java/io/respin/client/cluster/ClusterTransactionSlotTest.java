package io.respin.client.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.respin.RedisServerException;
import io.respin.client.RedisClient;
import io.respin.engine.cluster.Slots;
import io.respin.testkit.RedisCluster;
import io.respin.testkit.RedisServer;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Transactions, WATCH and scripts on a cluster run in one slot: on that slot's owner when their keys agree, refused
 * before anything is sent — naming the keys and their slots — when they do not.
 */
class ClusterTransactionSlotTest {
    private static ClusterFixture fx;
    private static RedisCluster cluster;
    private static RedisClient client;

    @BeforeAll
    static void start() {
        fx = ClusterFixture.start(RedisCluster.builder().primaries(3));
        cluster = fx.cluster();
        client = fx.client();
    }

    @AfterAll
    static void stop() {
        ClusterFixture.close(fx);
    }

    @BeforeEach
    void flush() {
        cluster.flushAll();
    }

    /** A key whose slot is served by another primary than {@code key}'s. */
    private static String elsewhere(String key) {
        int port = cluster.primaryForKey(key).port();
        for (int i = 0; ; i++) {
            if (cluster.primaryForKey("other:" + i).port() != port) {
                return "other:" + i;
            }
        }
    }

    /** Commands the nodes have run so far, of this name (INFO commandstats, every live node). */
    private static long calls(String command) {
        long n = 0;
        for (RedisServer node : cluster.nodes()) {
            for (String line : node.info("commandstats").split("\r?\n")) {
                if (line.startsWith("cmdstat_" + command + ":calls=")) {
                    n += Long.parseLong(line.substring(("cmdstat_" + command + ":calls=").length()).split(",")[0]);
                }
            }
        }
        return n;
    }

    @Test
    void watchAndReadsOfAnotherSlotAreRefusedBeforeTheyAreSent() {
        String key = "{acct:1}:balance";
        String other = elsewhere(key);
        long watches = calls("watch");
        long gets = calls("get");
        try (var tx = client.transaction("{acct:1}")) {
            var w = assertThrows(RedisServerException.class, () -> tx.watch(key, other));
            assertEquals("CROSSSLOT", w.prefix());
            assertTrue(w.getMessage().contains("WATCH") && w.getMessage().contains("'" + key + "' → " + Slots.slot(key))
                    && w.getMessage().contains("'" + other + "' → " + Slots.slot(other)), w.getMessage());
            var g = assertThrows(RedisServerException.class, () -> tx.sync().get(other));
            assertTrue(g.getMessage().contains("'" + other + "' → " + Slots.slot(other)), g.getMessage());
            tx.watch(key);                 // its own slot passes
            assertEquals(null, tx.sync().get(key));
            assertEquals("PONG", tx.sync().ping()); // keyless passes
        }
        assertEquals(watches + 1, calls("watch"), "only the WATCH of the transaction's slot reached a node");
        assertEquals(gets + 1, calls("get"), "only the GET of the transaction's slot reached a node");
    }

    @Test
    void anAsyncTransactionWithAKeyOfAnotherSlotDiscardsAndRunsNothing() {
        String key = "{acct:2}:balance";
        String other = elsewhere(key);
        long incrs = calls("incrby");
        try (var tx = client.asyncTransaction(key)) {
            tx.multi().join();
            var first = tx.queue().incrby(key, 5);
            var refused = tx.queue().incrby(other, 5);
            var e = assertThrows(CompletionException.class, () -> tx.exec().join());
            assertTrue(e.getCause() instanceof RedisServerException r && r.prefix().equals("CROSSSLOT")
                    && r.getMessage().contains("'" + other + "' → " + Slots.slot(other)), e.getCause().toString());
            assertThrows(CompletionException.class, refused::join);
            assertThrows(CompletionException.class, first::join);
        }
        assertEquals(incrs, calls("incrby"), "no INCRBY was sent, not even the one of the right slot");
        assertEquals(0L, cluster.primaryForKey(key).command("EXISTS", key));
        // the same transaction, right: it commits on the owner
        try (var tx = client.asyncTransaction(key)) {
            tx.multi().join();
            tx.queue().incrby(key, 5);
            tx.queue().incrby("{acct:2}:log", 1);
            assertTrue(tx.exec().join().committed());
        }
        assertEquals("5", cluster.primaryForKey(key).command("GET", key));
    }

    @Test
    void scriptsAndFunctionsRunOnTheOwnerOfTheirKeys() {
        String a = "{lua}:a";
        String b = "{lua}:b";
        RedisServer owner = cluster.primaryForKey(a);
        var r = client.sync().execute("EVAL", "redis.call('SET', KEYS[1], ARGV[1]); return redis.call('INCR', KEYS[2])",
                "2", a, b, "x");
        assertEquals("1", r.asString());
        assertEquals("x", owner.command("GET", a), "EVAL ran on the owner of its keys");
        assertEquals("1", owner.command("GET", b));
        client.sync().execute("FUNCTION", "LOAD", "#!lua name=t\nredis.register_function('bump', "
                + "function(keys, args) return redis.call('INCRBY', keys[1], args[1]) end)");
        assertEquals("11", client.sync().execute("FCALL", "bump", "1", b, "10").asString());
        assertEquals("11", owner.command("GET", b), "FCALL ran on the owner of its key");
        String other = elsewhere(a);
        long evals = calls("eval") + calls("fcall");
        var e = assertThrows(RedisServerException.class, () -> client.sync().execute("FCALL", "bump", "2", a, other, "1"));
        assertTrue(e.getMessage().contains("'" + a + "' → " + Slots.slot(a))
                && e.getMessage().contains("'" + other + "' → " + Slots.slot(other)), e.getMessage());
        var f = assertThrows(CompletionException.class,
                () -> client.async().eval("return 1", java.util.List.of(a, other), java.util.List.of()).join());
        assertTrue(f.getCause().getMessage().contains("'" + other + "' → " + Slots.slot(other)), f.getCause().getMessage());
        assertEquals(evals, calls("eval") + calls("fcall"), "the refused scripts were not sent");
    }
}
