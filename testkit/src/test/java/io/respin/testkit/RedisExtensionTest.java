package io.respin.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

@RedisTest(config = "maxmemory 16mb")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisExtensionTest {

    private static RedisServer shared;
    private FaultProxy proxyFromBeforeEach;

    @BeforeAll
    static void rememberTheClassServer(RedisServer server) {
        shared = server;
    }

    @BeforeEach
    void rememberTheProxy(FaultProxy proxy) {
        proxyFromBeforeEach = proxy;
    }

    @Test
    @Order(1)
    void injectsARunningServerWithTheClassOptions(RedisServer server) {
        assertSame(shared, server);
        assertTrue(server.isAlive());
        assertEquals("PONG", server.command("PING"));
        assertEquals(List.of("maxmemory", "16777216"), server.command("CONFIG", "GET", "maxmemory"));
        server.command("SET", "leftover", "1");
    }

    @Test
    @Order(2)
    void reusesTheServerAndFlushesItBetweenTests(RedisServer server) {
        assertSame(shared, server);
        assertNull(server.command("GET", "leftover"), "FLUSHALL ran before this test");
    }

    @Test
    @Order(3)
    void aTestMayKillTheServer(RedisServer server) {
        server.kill();
        assertFalse(server.isAlive());
    }

    @Test
    @Order(4)
    void theNextTestGetsItBackOnTheSamePort(RedisServer server) {
        assertSame(shared, server);
        assertTrue(server.isAlive());
        assertEquals("PONG", server.command("PING"));
    }

    @Test
    @Order(5)
    @RedisTest(requirePass = "method-pw")
    void aMethodAnnotationGivesThatMethodItsOwnServer(RedisServer server) {
        assertNotSame(shared, server);
        assertEquals("method-pw", server.password());
        assertEquals("PONG", server.command("PING"));
    }

    @Test
    @Order(6)
    void injectsOneProxyPerTestInFrontOfTheServer(FaultProxy proxy, RedisServer server) throws IOException {
        assertSame(proxyFromBeforeEach, proxy, "@BeforeEach and the test share the test's proxy");
        server.command("SET", "via", "proxy");
        try (RespProbe c = new RespProbe(proxy.host(), proxy.port(), 5000)) {
            assertEquals("proxy", c.call("GET", "via"));
        }
        // the counter moves just after the write, so a fast client can be ahead of it: await, don't peek
        assertTrue(proxy.awaitBytesForwarded(FaultProxy.Direction.TO_CLIENT, 1, java.time.Duration.ofSeconds(5)));
    }

    @Nested
    class NestedTests {
        @Test
        void shareTheOuterClassServer(RedisServer server) {
            assertSame(shared, server);
        }
    }
}
