package io.respin.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class RedisServerTest {

    @Test
    void startsAnswersAndStopsWithoutLeavingAProcess() throws Exception {
        RedisServer server = RedisServer.builder().start();
        long pid = server.pid();
        assertEquals("+PONG", RedisServer.ping(server.port(), 1000));
        server.close();
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "process " + pid + " still alive");
        assertThrows(IOException.class, () -> RedisServer.ping(server.port(), 200));
    }

    @Test
    void logIsCaptured() {
        try (RedisServer server = RedisServer.builder().start()) {
            assertTrue(server.log().contains("Ready to accept connections"), server.log());
        }
    }
}
