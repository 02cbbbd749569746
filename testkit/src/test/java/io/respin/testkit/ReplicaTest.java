package io.respin.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ReplicaTest {

    @Test
    void replicaLinksToAPasswordProtectedPrimaryAndReceivesWrites() throws InterruptedException {
        try (RedisServer primary = RedisServer.builder().requirePass("pw").start();
             RedisServer replica = RedisServer.replicaOf(primary)) {
            assertTrue(replica.info("replication").contains("role:slave"), replica.info("replication"));
            primary.command("SET", "k", "v");
            // WAIT returns once the replica acknowledged the write: no polling, no sleep
            assertEquals(1L, primary.command("WAIT", "1", "5000"));
            assertEquals("v", replica.command("GET", "k"));
        }
    }
}
