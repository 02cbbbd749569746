package io.respin.client.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static io.respin.client.cluster.ClusterFixture.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.respin.RedisConnectionException;
import io.respin.client.ClusterNode;
import io.respin.client.RedisClient;
import io.respin.testkit.RedisCluster;
import io.respin.testkit.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The cluster's membership changes under a warm client: a primary added and given slots, then emptied and removed;
 * and bootstrap from seed lists that are mostly wrong — all but one dead, one a standalone Redis.
 */
class ClusterTopologyTest {
    private static RedisCluster cluster;

    @BeforeAll
    static void start() {
        cluster = RedisCluster.builder().primaries(3).start();
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static List<String> primaryAddresses(RedisClient client) {
        List<String> a = new ArrayList<>();
        for (ClusterNode n : client.primaries()) {
            a.add(n.address());
        }
        return a;
    }

    /**
     * The ids of {@code node}'s RESP3 connections (the respin client's: the test kit's probe, the master link and
     * MIGRATE's cached connections speak RESP2) whose last command was {@code cmd} (null: any), from CLIENT LIST.
     */
    private static List<String> respinConnections(RedisServer node, String cmd) {
        List<String> ids = new ArrayList<>();
        for (String line : ((String) node.command("CLIENT", "LIST")).split("\n")) {
            if (line.contains(" resp=3") && (cmd == null || line.contains(" cmd=" + cmd + " "))) {
                ids.add(line.trim().split(" ")[0]);
            }
        }
        return ids;
    }

    /**
     * True when the client has exactly one connection to {@code node}, whose last command is CLUSTER SHARDS, and it
     * is the same connection 1.5 s later (three refreshes at 500 ms).
     */
    private static boolean stableAsker(RedisServer node) {
        List<String> asking = respinConnections(node, "cluster|shards");
        if (asking.size() != 1 || respinConnections(node, null).size() != 1) {
            return false;
        }
        try {
            Thread.sleep(1_500);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        return asking.equals(respinConnections(node, null));
    }

    @Test
    void aPrimaryAddedThenRemovedIsFollowedWithNoFailedCommand() {
        try (RedisClient client = RedisClient.builder("redis-cluster://" + String.join(",", cluster.seeds()))
                .clusterRefreshPeriod(Duration.ofMillis(500)).build()) {
            var redis = client.sync();
            List<String> keys = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                keys.add("{grow}:" + i);
                redis.set("{grow}:" + i, "g" + i);
            }
            int slot = cluster.slot("{grow}");
            RedisServer added = cluster.addPrimary();
            await(() -> primaryAddresses(client).size() == 3, "the client's view after the join"); // no slots: not serving
            cluster.moveSlot(slot, added, () -> { });
            for (int i = 0; i < 20; i++) {
                assertEquals("g" + i, redis.get(keys.get(i)), "read from the new primary after the move");
                assertEquals("OK", redis.set(keys.get(i), "h" + i));
                assertEquals("h" + i, added.command("GET", keys.get(i)), "written on the new primary");
            }
            await(() -> primaryAddresses(client).contains(added.hostAndPort()), "the new primary in the client's view");
            assertEquals(4, client.forEachPrimary(n -> n.dbsize()).size(), "forEachPrimary reaches it too");
            assertTrue(respinConnections(added, null).size() > 0, "the client is connected to the new primary");

            // empty it again and take it out of the cluster
            RedisServer back = cluster.primaries().stream().filter(p -> p != added).findFirst().orElseThrow();
            cluster.moveSlot(slot, back, () -> { });
            for (int i = 0; i < 20; i++) {
                assertEquals("h" + i, redis.get(keys.get(i)), "read after the slot moved back");
            }
            await(() -> !primaryAddresses(client).contains(added.hostAndPort()), "the emptied primary out of the view");
            // its command connection closed; the refreshes still ask it (a replica now) for the topology, over one
            // connection that lasts from refresh to refresh
            await(() -> stableAsker(added), "the client's command connection to the emptied node to close, and one "
                    + "connection (the same CLIENT LIST id over 1.5 s, three refreshes) to ask it for the topology");
            cluster.removeNode(added);
            for (int i = 0; i < 20; i++) {
                assertEquals("h" + i, redis.get(keys.get(i)), "read after the node was removed");
            }
            assertEquals(3, client.forEachPrimary(n -> n.dbsize()).size());
            assertFalse(primaryAddresses(client).contains(added.hostAndPort()));
        }
    }

    @Test
    void allSeedsButOneDeadAtStartIsEnough() {
        List<String> seeds = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            seeds.add("127.0.0.1:" + RedisServer.freePort());
        }
        seeds.add(cluster.seeds().get(2));
        try (RedisClient client = RedisClient.create("redis-cluster://" + String.join(",", seeds))) {
            assertEquals(3, client.primaries().size(), "the one live seed gave the whole topology");
            for (int i = 0; i < 30; i++) {
                client.sync().set("seed:" + i, "v");
                assertEquals("v", cluster.primaryForKey("seed:" + i).command("GET", "seed:" + i));
            }
        }
        // every seed dead: a clear error naming each
        List<String> dead = seeds.subList(0, 4);
        var e = assertThrows(RedisConnectionException.class,
                () -> RedisClient.create("redis-cluster://" + String.join(",", dead)));
        assertTrue(e.getMessage().contains("no seed node answered") && e.getMessage().contains(dead.get(3)),
                e.getMessage());
    }

    @Test
    void aSeedThatIsAStandaloneRedisIsSkippedOrNamed() {
        try (RedisServer standalone = RedisServer.builder().start()) {
            String alone = standalone.hostAndPort();
            try (RedisClient client = RedisClient.create("redis-cluster://" + alone + "," + cluster.seeds().get(0))) {
                assertEquals(3, client.primaries().size(), "the standalone seed is skipped, the cluster node answers");
                assertEquals("OK", client.sync().set("alone:1", "x"));
            }
            var e = assertThrows(RedisConnectionException.class, () -> RedisClient.create("redis-cluster://" + alone));
            assertTrue(e.getMessage().contains(alone) && e.getMessage().contains("cluster support disabled")
                    && e.getMessage().contains("redis:// URI"), e.getMessage());
        }
    }
}
