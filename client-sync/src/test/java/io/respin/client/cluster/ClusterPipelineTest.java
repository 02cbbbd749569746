package io.respin.client.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.respin.client.RedisClient;
import io.respin.client.async.RedisPipeline;
import io.respin.testkit.RedisCluster;
import io.respin.testkit.RedisServer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code pipeline()} on a cluster client: a batch over keys of every primary is split per node, and the outcomes
 * come back in the order the commands were queued; a batch sent by a client whose slot map is stale (a slot moved
 * behind it) follows MOVED, and one sent while a slot is half migrated follows ASK.
 */
class ClusterPipelineTest {
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

    @Test
    void aBatchOverEveryPrimaryComesBackInQueueOrder() {
        long moved = ClusterRoutingTest.movedSoFar(cluster);
        RedisPipeline<String, String> p = client.pipeline();
        List<String> keys = new ArrayList<>();
        Set<Integer> owners = new HashSet<>();
        for (int i = 0; i < 300; i++) {
            String k = "p:" + i;
            keys.add(k);
            owners.add(cluster.primaryForKey(k).port());
            p.set(k, "v" + i);
            p.incr(k + ":n");
            p.get(k);
        }
        assertEquals(3, owners.size(), "the keys cover every primary");
        CompletableFuture<String> last = p.get("p:299");
        List<Object> out = p.awaitAll();
        assertEquals(901, out.size());
        for (int i = 0; i < 300; i++) {
            assertEquals("OK", out.get(3 * i), "SET p:" + i);
            assertEquals(1L, out.get(3 * i + 1), "INCR p:" + i + ":n");
            assertEquals("v" + i, out.get(3 * i + 2), "GET p:" + i);
            assertEquals("v" + i, cluster.primaryForKey(keys.get(i)).command("GET", keys.get(i)), "on its owner");
        }
        assertEquals("v299", last.join());
        assertEquals(moved, ClusterRoutingTest.movedSoFar(cluster), "every command went straight to its owner");
        // a flushed batch completes without awaitAll too, and the pipeline can be used again
        CompletableFuture<Long> del = p.del("p:1");
        p.flush();
        assertEquals(1L, del.join());
        assertEquals(1, p.awaitAll().size());
    }

    @Test
    void theDocsSnippetRuns() {
        // snippet: cluster-pipeline
        RedisPipeline<String, String> p = client.pipeline();
        for (int i = 0; i < 300; i++) {
            p.set("p:" + i, "v" + i);      // 300 keys: all three primaries
            p.get("p:" + i);
        }
        List<Object> out = p.awaitAll();   // "OK", "v0", "OK", "v1", ... in queue order
        // end snippet
        assertEquals(600, out.size());
        assertEquals("v299", out.get(599));
    }

    @Test
    void aBatchBehindAMovedSlotFollowsMoved() {
        var sync = client.sync();
        List<String> moving = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            moving.add("{mv}:" + i);
            sync.set("{mv}:" + i, "m" + i);
        }
        for (int i = 0; i < 60; i++) {
            sync.set("still:" + i, "s" + i);
        }
        int slot = cluster.slot("{mv}");
        // the premise is a client that has not learnt of the move yet; a topology refresh that lands between the move
        // and the batch takes it away (then the batch goes straight to the new owner): move again, up to 5 times
        boolean metMoved = false;
        for (int attempt = 0; attempt < 5 && !metMoved; attempt++) {
            RedisServer to = cluster.moveSlot(slot, () -> { });
            long moved = ClusterRoutingTest.movedSoFar(cluster);
            RedisPipeline<String, String> p = client.pipeline();
            for (int i = 0; i < 20; i++) {
                p.get(moving.get(i));
                p.get("still:" + i);
                p.incr("{mv}:n");
            }
            List<Object> out = p.awaitAll();
            for (int i = 0; i < 20; i++) {
                assertEquals("m" + i, out.get(3 * i), "GET {mv}:" + i);
                assertEquals("s" + i, out.get(3 * i + 1), "GET still:" + i);
                assertEquals((long) attempt * 20 + i + 1, out.get(3 * i + 2), "INCR {mv}:n, once each");
            }
            assertEquals(Integer.toString(attempt * 20 + 20), to.command("GET", "{mv}:n"),
                    "the INCRs ran on the slot's new owner");
            metMoved = ClusterRoutingTest.movedSoFar(cluster) > moved;
        }
        assertTrue(metMoved, "a stale batch met MOVED (the nodes' errorstats) in one of 5 moves");
    }

    @Test
    void aBatchDuringAMigrationFollowsAsk() {
        var sync = client.sync();
        for (int i = 0; i < 20; i++) {
            sync.set("{ask}:" + i, "a" + i);
        }
        int slot = cluster.slot("{ask}");
        long asked = ClusterRoutingTest.errorsSoFar(cluster, "ASK");
        List<List<Object>> seen = new ArrayList<>();
        AtomicBoolean once = new AtomicBoolean();
        cluster.moveSlot(slot, () -> {
            if (once.compareAndSet(false, true)) { // 5 keys are on the target now, 15 still on the source
                RedisPipeline<String, String> p = client.pipeline();
                for (int i = 0; i < 20; i++) {
                    p.get("{ask}:" + i);
                }
                p.set("{ask}:new", "n"); // a key of neither: the source refers it to the importing node
                seen.add(p.awaitAll());
            }
        });
        List<Object> out = seen.getFirst();
        for (int i = 0; i < 20; i++) {
            assertEquals("a" + i, out.get(i), "GET {ask}:" + i);
        }
        assertEquals("OK", out.get(20));
        assertEquals("n", sync.get("{ask}:new"));
        assertTrue(ClusterRoutingTest.errorsSoFar(cluster, "ASK") >= asked + 5,
                "the keys already migrated were met with ASK (the nodes' errorstats)");
    }
}
