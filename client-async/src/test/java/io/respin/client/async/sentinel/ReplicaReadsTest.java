package io.respin.client.async.sentinel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.respin.client.async.RedisClient;
import io.respin.engine.sentinel.HostAndPort;
import io.respin.io.ConnectionOptions;
import io.respin.io.IoRuntime;
import io.respin.testkit.RedisSentinel;
import io.respin.testkit.RedisServer;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code readFromReplicas}: read-only commands go to the replicas the sentinels list, each verified with ROLE;
 * writes go to the primary.
 */
class ReplicaReadsTest {

    @Test
    void readsGoToTheReplicasAndWritesToThePrimary() throws Exception {
        try (RedisServer primary = RedisServer.builder().start();
             RedisServer r1 = RedisServer.replicaOf(primary);
             RedisServer r2 = RedisServer.replicaOf(primary);
             RedisSentinel sentinels = RedisSentinel.builder(primary).replicas(2).sentinels(3).start();
             RedisClient client = RedisClient.builder("redis-sentinel://" + String.join(",", sentinels.seeds()) + "/"
                     + sentinels.masterName()).readFromReplicas(true).build()) {
            assertEquals("OK", client.async().set("rr:k", "v").join());
            assertEquals("v", primary.command("GET", "rr:k"));
            for (RedisServer s : List.of(primary, r1, r2)) {
                awaitValue(s, "rr:k", "v");
                s.command("CONFIG", "RESETSTAT");
            }
            for (int i = 0; i < 100; i++) {
                assertEquals("v", client.async().get("rr:k").join());
            }
            assertEquals(1L, client.async().incr("rr:n").join());
            assertEquals(0, calls(primary, "get"), "no read on the primary");
            assertEquals(1, calls(primary, "incr"), "the write on the primary");
            assertEquals(100, calls(r1, "get") + calls(r2, "get"));
            assertTrue(calls(r1, "get") > 0 && calls(r2, "get") > 0, "both replicas serve reads");
        }
    }

    @Test
    void aListedReplicaIsUsedOnlyIfItsRoleSaysSo() throws Exception {
        try (RedisServer primary = RedisServer.builder().start();
             RedisServer replica = RedisServer.replicaOf(primary);
             FakeSentinel sentinel = new FakeSentinel("m", "127.0.0.1", primary.port());
             IoRuntime io = IoRuntime.start()) {
            int dead = SentinelDiscoveryClientTest.closedPort();
            // the sentinel lists the primary itself, a dead node and the real replica, all as usable replicas
            sentinel.replicas(List.of(primary.port(), dead, replica.port()));
            SentinelSetup setup = new SentinelSetup(SentinelUri.parse("redis-sentinel://127.0.0.1:" + sentinel.port()
                    + "/m"));
            setup.readFromReplicas(true);
            try (SentinelFollower f = setup.start(io, setup.uri().data(), ConnectionOptions.builder())) {
                assertEquals(List.of(new HostAndPort("127.0.0.1", replica.port())), f.readReplicas());
            }
        }
    }

    private static long calls(RedisServer s, String command) {
        String stats = (String) s.command("INFO", "commandstats");
        return stats.lines().filter(l -> l.startsWith("cmdstat_" + command + ":")).mapToLong(l -> Long.parseLong(
                l.replaceAll("^[^:]+:calls=(\\d+),.*", "$1"))).sum();
    }

    private static void awaitValue(RedisServer s, String key, String value) throws InterruptedException {
        for (int i = 0; i < 500 && !value.equals(s.command("GET", key)); i++) {
            Thread.sleep(10);
        }
        assertEquals(value, s.command("GET", key), s.toString());
    }
}
