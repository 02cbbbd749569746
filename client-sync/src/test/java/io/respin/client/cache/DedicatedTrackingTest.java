package io.respin.client.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.respin.client.RedisClient;
import io.respin.client.async.CacheSettings;
import io.respin.client.sync.RedisTransaction;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Only the cached shared connection tracks: a cached client's dedicated connections (a BLPOP's, a transaction's)
 * come up without {@code CLIENT TRACKING} (no {@code t} in their {@code CLIENT LIST} flags), since nothing they read
 * is kept and their invalidations would only cost the server a tracking table entry and the client a push.
 */
class DedicatedTrackingTest {

    /** The {@code flags=} of the one client whose {@code cmd=} is {@code cmd}, from the server's CLIENT LIST. */
    private static String flagsOf(String clientName, String cmd) {
        String list = (String) CacheServer.get().command("CLIENT", "LIST");
        String found = null;
        for (String line : list.split("\n")) {
            if (line.contains(" name=" + clientName + " ") && line.contains(" cmd=" + cmd + " ")) {
                assertTrue(found == null, "two connections ran " + cmd + ":\n" + list);
                int at = line.indexOf(" flags=") + 7;
                found = line.substring(at, line.indexOf(' ', at));
            }
        }
        return found;
    }

    private static String await(String clientName, String cmd) {
        long deadline = System.nanoTime() + 5_000_000_000L;
        String flags;
        while ((flags = flagsOf(clientName, cmd)) == null) {
            assertTrue(System.nanoTime() < deadline, "no connection of " + clientName + " ran " + cmd + " in 5 s");
            Thread.onSpinWait();
        }
        return flags;
    }

    @Test
    void blockingCommandsAndTransactionsRunOnConnectionsWithoutTracking() {
        String name = "dedicated-tracking";
        try (RedisClient client = RedisClient.builder(CacheServer.get().uri() + "?clientName=" + name)
                .clientCache(CacheSettings.defaults()).build()) {
            client.cached().get("dt:k");
            // the shared connection tracks: its last command was the PTTL behind the cached GET
            assertTrue(await(name, "pttl").contains("t"), "the cached shared connection must track");

            CompletableFuture<?> blpop = CompletableFuture.runAsync(
                    () -> client.sync().blpop(Duration.ofSeconds(10), "dt:list"));
            String blocking = await(name, "blpop");
            assertFalse(blocking.contains("t"), "the BLPOP's dedicated connection has tracking on: flags=" + blocking);
            client.sync().rpush("dt:list", "x");
            blpop.join();

            try (RedisTransaction<String, String> tx = client.transaction()) {
                tx.watch("dt:w");
                String watching = await(name, "watch");
                assertFalse(watching.contains("t"), "the transaction's connection has tracking on: flags=" + watching);
            }
            assertNotNull(client.sync().ping());
            assertEquals(1L, client.cached().stats().misses());
        }
    }
}
