package io.respin.client.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.respin.RedisRedirectException;
import io.respin.client.ClusterNode;
import io.respin.client.RedisClient;
import io.respin.testkit.RedisCluster;
import io.respin.testkit.RedisServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code forEachPrimary} and the per-node client: a command run on every primary gives each node's own answer
 * (checked against the node itself), and {@code node(host, port)} sends its commands to that node alone, unrouted —
 * a replica's over a READONLY connection.
 */
class ClusterNodeTest {
    private static ClusterFixture fx;
    private static RedisCluster cluster;
    private static RedisClient client;

    @BeforeAll
    static void start() {
        fx = ClusterFixture.start(RedisCluster.builder().primaries(3).replicasPerPrimary(1));
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

    private static List<String> primaryAddresses() {
        List<String> a = new ArrayList<>();
        for (RedisServer p : cluster.primaries()) {
            a.add(p.hostAndPort());
        }
        a.sort(null);
        return a;
    }

    @Test
    void forEachPrimaryGivesEveryNodesOwnAnswer() {
        for (int i = 0; i < 200; i++) {
            client.sync().set("fe:" + i, "v");
        }
        // snippet: cluster-for-each-primary
        Map<String, Long> sizes = client.forEachPrimary(node -> node.dbsize()); // "10.0.0.1:7000" → 67, ...
        long total = sizes.values().stream().mapToLong(Long::longValue).sum();
        // end snippet
        assertEquals(primaryAddresses(), new ArrayList<>(sizes.keySet()), "every primary, in address order");
        for (RedisServer p : cluster.primaries()) {
            assertEquals(p.command("DBSIZE"), sizes.get(p.hostAndPort()), "DBSIZE of " + p);
        }
        assertEquals(200L, total);
        // async: CONFIG SET on each, read back from each node directly
        Map<String, CompletableFuture<String>> set = client.forEachPrimaryAsync(
                node -> node.configSet("maxmemory-policy", "allkeys-lru"));
        assertEquals(primaryAddresses(), new ArrayList<>(set.keySet()));
        set.values().forEach(f -> assertEquals("OK", f.join()));
        for (RedisServer p : cluster.primaries()) {
            assertEquals(List.of("maxmemory-policy", "allkeys-lru"), p.command("CONFIG", "GET", "maxmemory-policy"));
            p.command("CONFIG", "SET", "maxmemory-policy", "noeviction");
        }
        // a node's failure is thrown, the others' answers are not lost silently
        var e = assertThrows(io.respin.RedisServerException.class,
                () -> client.forEachPrimary(node -> node.execute("CONFIG", "SET", "no-such-setting", "1")));
        assertEquals(2, e.getSuppressed().length, "the other two nodes' failures ride along");
    }

    @Test
    void aNodesCommandsGoToThatNodeUnrouted() {
        RedisServer primary = cluster.primaries().getFirst();
        ClusterNode node = client.node(primary.host(), primary.port());
        assertEquals(Integer.toString(primary.port()), node.sync().info("server").get("tcp_port"));
        assertEquals(Integer.toString(primary.port()), node.async().info("server").join().get("tcp_port"));
        String own = null;
        String foreign = null;
        for (int i = 0; own == null || foreign == null; i++) {
            boolean mine = cluster.primaryForKey("n:" + i).port() == primary.port();
            own = own == null && mine ? "n:" + i : own;
            foreign = foreign == null && !mine ? "n:" + i : foreign;
        }
        assertEquals("OK", node.sync().set(own, "here"));
        assertEquals("here", primary.command("GET", own));
        String f = foreign;
        var moved = assertThrows(RedisRedirectException.class, () -> node.sync().set(f, "x"));
        assertTrue(moved.getMessage().startsWith("MOVED"), moved.getMessage());
        var movedAsync = assertThrows(CompletionException.class, () -> node.async().get(f).join());
        assertTrue(movedAsync.getCause() instanceof RedisRedirectException, movedAsync.getCause().toString());
    }

    @Test
    void aReplicaNodeServesReadsOfItsShard() {
        String key = "r:1";
        RedisServer owner = cluster.primaryForKey(key);
        client.sync().set(key, "replicated");
        owner.command("WAIT", "1", "5000");
        RedisServer replica = cluster.nodes().stream().filter(n -> !cluster.primaries().contains(n))
                .filter(n -> n.info("replication").contains("master_port:" + owner.port())).findFirst().orElseThrow();
        ClusterNode node = client.node(replica.host(), replica.port());
        assertEquals("slave", node.sync().info("replication").get("role"));
        assertEquals("replicated", node.sync().get(key), "READONLY: the replica answers instead of MOVED");
    }

    @Test
    void anUnknownNodeOrAClientOfOneServerIsAClearError() {
        var e = assertThrows(IllegalArgumentException.class, () -> client.node("127.0.0.1", 1));
        assertTrue(e.getMessage().contains("127.0.0.1:1 is not a node of the cluster")
                && e.getMessage().contains(cluster.primaries().getFirst().hostAndPort()), e.getMessage());
        try (RedisServer one = RedisServer.builder().start(); RedisClient plain = RedisClient.create(one.uri())) {
            var u = assertThrows(UnsupportedOperationException.class, () -> plain.forEachPrimary(n -> n.dbsize()));
            assertTrue(u.getMessage().contains("redis-cluster://"), u.getMessage());
            assertThrows(UnsupportedOperationException.class, () -> plain.node(one.host(), one.port()));
        }
    }
}
