package io.respin.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class RedisClusterTest {

    @Test
    void threePrimariesWithAReplicaEachServeAllSlotsAndRedirect() {
        List<Long> pids;
        try (RedisCluster cluster = RedisCluster.builder().primaries(3).replicasPerPrimary(1).start()) {
            assertEquals(6, cluster.nodes().size());
            assertEquals(3, cluster.primaries().size());
            assertEquals(6, cluster.seeds().size());
            pids = cluster.nodes().stream().map(RedisServer::pid).toList();
            for (RedisServer node : cluster.nodes()) {
                String info = (String) node.command("CLUSTER", "INFO");
                assertTrue(info.contains("cluster_slots_assigned:16384"), info);
            }

            RedisServer owner = cluster.primaryForKey("user:42");
            assertEquals("OK", owner.command("SET", "user:42", "v"));
            assertEquals("v", owner.command("GET", "user:42"));
            RedisServer other = cluster.nodes().stream().filter(n -> n != owner).findFirst().orElseThrow();
            IllegalStateException moved = assertThrows(IllegalStateException.class, () -> other.command("GET", "user:42"));
            assertTrue(moved.getMessage().contains("MOVED " + cluster.slot("user:42") + " 127.0.0.1:" + owner.port()),
                    moved.getMessage());
            assertNotEquals(cluster.slot("a"), cluster.slot("b"));
            assertEquals(cluster.slot("{user}:1"), cluster.slot("{user}:2"), "hash tags pin keys to one slot");
        }
        for (long pid : pids) {
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "node " + pid + " outlived close");
        }
    }
}
