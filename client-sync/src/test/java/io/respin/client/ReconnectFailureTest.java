package io.respin.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.respin.RedisConnectionException;
import io.respin.RedisServerException;
import io.respin.RedisTimeoutException;
import io.respin.client.sync.RedisCommands;
import io.respin.testkit.FaultProxy;
import io.respin.testkit.RedisServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A command that waited for a connection that cannot be made is told why, and sooner when waiting is hopeless. */
class ReconnectFailureTest {

    /**
     * The password rotates on the server, then the connection drops. Before the fix every GET waited its whole
     * timeout and failed with "it was never sent: the connection was not available", WRONGPASS nowhere in sight.
     */
    @Test
    void aRefusedReconnectFailsCommandsAtOnceWithTheServersWords() {
        try (RedisServer server = RedisServer.builder().requirePass("old-secret").start();
             RedisClient admin = RedisClient.builder(server.uri()).credentials(null, "old-secret").build();
             RedisClient client = RedisClient.builder(server.uri()).credentials(null, "old-secret")
                     .commandTimeout(Duration.ofSeconds(20)).build()) {
            RedisCommands<String, String> redis = client.sync();
            redis.set("rotate:k", "v");
            admin.sync().execute("CONFIG", "SET", "requirepass", "new-secret");
            admin.sync().execute("CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes");
            long start = System.nanoTime();
            RedisConnectionException e = assertThrows(RedisConnectionException.class, () -> {
                while (true) {
                    redis.get("rotate:k"); // the first may still fail as "connection lost"; then the refusals
                    Thread.sleep(5);
                }
            });
            for (int i = 0; i < 100 && !e.getMessage().contains("refused the handshake"); i++) {
                e = assertThrows(RedisConnectionException.class, () -> redis.get("rotate:k"));
            }
            assertTrue(System.nanoTime() - start < Duration.ofSeconds(10).toNanos(), "well before the 20 s timeout");
            assertTrue(e.getMessage().contains("refused the handshake") && e.getMessage().contains("WRONGPASS"),
                    e.getMessage());
            assertFalse(e.outcomeUnknown(), "not sent");
            assertTrue(hasServerCause(e, "WRONGPASS"), "the server's refusal is the cause");
            assertFalse(e.getMessage().contains("old-secret"), "no password in the message");
            // the operator puts the old password back: the background reconnect succeeds and commands work again
            admin.sync().execute("CONFIG", "SET", "requirepass", "old-secret");
            String v = null;
            for (int i = 0; i < 200 && v == null; i++) {
                try {
                    v = redis.get("rotate:k");
                } catch (RedisConnectionException stillRefused) {
                    sleep(10);
                }
            }
            assertEquals("v", v);
        }
    }

    /** The server cannot be reached: the timeout says so, with the last connect error as its cause. */
    @Test
    void aCommandThatWaitedForAnUnreachableServerSaysWhy() {
        try (RedisServer server = RedisServer.builder().start();
             FaultProxy proxy = FaultProxy.start(server);
             RedisClient client = RedisClient.builder(proxy.uri()).commandTimeout(Duration.ofMillis(500)).build()) {
            assertEquals("PONG", client.sync().ping());
            proxy.refuseNew(true);
            proxy.cutAll();
            sleep(100); // the link has noticed and is reconnecting, refused
            RedisTimeoutException e = assertThrows(RedisTimeoutException.class, () -> client.sync().get("k"));
            assertTrue(e.getMessage().contains("never sent") && e.getMessage().contains("was down"), e.getMessage());
            assertTrue(e.getCause() instanceof RedisConnectionException, "the last connect error is the cause: "
                    + e.getCause());
            proxy.refuseNew(false);
        }
    }

    private static boolean hasServerCause(Throwable e, String prefix) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof RedisServerException se && se.prefix().equals(prefix)) {
                return true;
            }
        }
        return false;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
