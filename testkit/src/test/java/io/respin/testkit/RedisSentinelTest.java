package io.respin.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RedisSentinelTest {

    @Test
    void sentinelReportsThePrimaryAndPromotesTheReplicaWhenItDies() {
        try (RedisServer primary = RedisServer.builder().start();
             RedisServer replica = RedisServer.replicaOf(primary);
             RedisSentinel sentinel = RedisSentinel.builder(primary).replicas(1).downAfter(Duration.ofMillis(500)).start()) {
            assertEquals(primary.port(), sentinel.primaryPort());
            assertEquals(1, sentinel.seeds().size());

            primary.kill();
            sentinel.awaitPrimary(replica.port());
            assertTrue(replica.info("replication").contains("role:master"), replica.info("replication"));
            assertEquals("OK", replica.command("SET", "after", "failover"));
        }
    }
}
