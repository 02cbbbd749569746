package io.respin.perf.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.respin.testkit.RedisServer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code respin-sync-listener} is respin-sync with a listener that hears every command (and respin-sync has none). */
class RespinSyncListenerTest {

    @Test
    void theListenedClientHearsEveryCommandAndThePlainOneHasNoListener() throws Exception {
        byte[] key = "perf:listened".getBytes(StandardCharsets.UTF_8);
        byte[] value = "v".getBytes(StandardCharsets.UTF_8);
        try (RedisServer server = RedisServer.builder().start();
             RespinSyncClient listened = (RespinSyncClient) ClientCatalog.open(ClientCatalog.RESPIN_SYNC_LISTENER,
                     server.uri(), new ClientCatalog.Settings(16));
             RespinSyncClient plain = (RespinSyncClient) ClientCatalog.open("respin-sync", server.uri(),
                     new ClientCatalog.Settings(16))) {
            assertEquals(ClientCatalog.RESPIN_SYNC_LISTENER, listened.name());
            for (int i = 0; i < 10; i++) {
                listened.set(key, value);
                assertArrayEquals(value, listened.get(key));
                plain.get(key);
            }
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (listened.heard() < 20 && System.nanoTime() < until) {
                Thread.sleep(1); // the listener hears of a command just after its caller has the reply
            }
            assertEquals(20, listened.heard());
            assertEquals(0, plain.heard());
        }
    }
}
