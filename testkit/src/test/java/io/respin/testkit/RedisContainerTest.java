package io.respin.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Docker backend: skipped, with its reason, where there is no Docker (the process backend is the default). */
class RedisContainerTest {
    private static RedisContainer redis;

    /** Each test is skipped on its own, so the reason shows in the report of each (a class-level skip hides it). */
    @BeforeEach
    void startOnce() {
        assumeTrue(RedisContainer.dockerAvailable(), "Docker is not available: Testcontainers found no Docker "
                + "environment, so the container backend is not tested here; the process backend (RedisServer) is");
        if (redis == null) {
            redis = RedisContainer.start();
        }
    }

    @AfterAll
    static void stop() {
        if (redis != null) {
            redis.close();
            assertFalse(redis.isAlive());
        }
    }

    @Test
    void answersOnItsMappedPortLikeARedisServer() {
        RedisInstance instance = redis;
        assertEquals("redis://" + instance.host() + ":" + instance.port(), instance.uri());
        assertTrue(instance.isAlive());
        assertEquals("PONG", instance.command("PING"));
        assertEquals("OK", instance.command("SET", "k", "v"));
        assertEquals("v", instance.command("GET", "k"));
        instance.flushAll();
        assertNull(instance.command("GET", "k"));
        assertTrue(instance.info("server").contains("redis_version:"));
    }

    @Test
    void anErrorReplyNamesTheContainer() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> redis.command("NOSUCHCOMMAND"));
        assertTrue(e.getMessage().startsWith("redis container " + redis.uri() + " answered NOSUCHCOMMAND with: ERR"),
                e.getMessage());
    }
}
