package io.respin.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.respin.RedisBackpressureException;
import io.respin.RedisConnectionException;
import io.respin.RedisServerException;
import io.respin.RedisTimeoutException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** The same typed exceptions from both clients: server error, timeout, connection, backpressure. */
class ErrorsTest {

    @Test
    void timeoutInBothClientsThenTheConnectionWorksAgain() {
        try (RedisClient client = RedisClient.builder(Redis.server().uri()).commandTimeout(Duration.ofMillis(200))
                .build()) {
            // pause this client's commands on the server far longer than the timeout
            Redis.client(3).sync().execute("CLIENT", "PAUSE", "3000", "ALL");
            try {
                var e = assertThrows(RedisTimeoutException.class, () -> client.sync().get("t"));
                assertTrue(e.getMessage().contains("GET"), e.getMessage());
                var ae = assertThrows(CompletionException.class, () -> client.async().get("t").join());
                assertInstanceOf(RedisTimeoutException.class, ae.getCause());
            } finally {
                Redis.client(3).sync().execute("CLIENT", "UNPAUSE");
            }
            // the server sent nothing for a whole timeout: the link was presumed dead and replaced (late replies on
            // a live connection are LateReplyTest's); the next command works on the new connection
            assertEquals("PONG", client.sync().ping(), "the next command works after the reconnect");
        }
    }

    @Test
    void nothingListeningIsAConnectionErrorAtCreate() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        int closedPort = port;
        var e = assertThrows(RedisConnectionException.class, () -> RedisClient.builder("redis://127.0.0.1:" + closedPort)
                .connectTimeout(Duration.ofSeconds(1)).build());
        assertFalse(e.outcomeUnknown());
        assertTrue(e.getMessage().contains(Integer.toString(closedPort)), e.getMessage());
    }

    @Test
    void aFullSubmitQueueIsBackpressure() {
        try (RedisClient client = RedisClient.builder(Redis.server().uri()).maxPendingCommands(16)
                .backpressure(io.respin.io.IoSettings.Backpressure.FAIL_FAST).build()) {
            List<CompletableFuture<String>> fs = new ArrayList<>();
            for (int i = 0; i < 20_000; i++) {
                fs.add(client.async().set("bp", "v"));
            }
            long refused = fs.stream().filter(f -> {
                try {
                    f.join();
                    return false;
                } catch (CompletionException e) {
                    assertInstanceOf(RedisBackpressureException.class, e.getCause());
                    return true;
                }
            }).count();
            assertTrue(refused > 0, "a 16-command bound refused some of 20,000 commands queued at once");
            assertEquals("v", client.sync().get("bp"), "the client carries on");
            client.sync().del("bp");
        }
    }

    @Test
    void wrongPasswordFailsCreateWithTheServersWords() {
        var e = assertThrows(RedisConnectionException.class, () -> RedisClient.builder(Redis.server().uri())
                .credentials("nobody", "wrong").build());
        assertTrue(e.getMessage().contains("WRONGPASS"), e.getMessage());
        assertEquals("WRONGPASS", ((RedisServerException) e.getCause()).prefix());
    }
}
