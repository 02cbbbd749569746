package io.respin.client.async.sentinel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.respin.RedisConnectionException;
import io.respin.client.async.RedisClient;
import io.respin.testkit.RedisSentinel;
import io.respin.testkit.RedisServer;
import org.junit.jupiter.api.Test;

/** Sentinels with a password of their own: {@code sentinelCredentials}, and the message when it is missing. */
class SentinelPasswordTest {

    @Test
    void sentinelsWithAPasswordOfTheirOwn() {
        try (RedisServer primary = RedisServer.builder().start();
             RedisSentinel sentinels = RedisSentinel.builder(primary).sentinels(2).requirePass("sentinel-pw-42").start()) {
            String uri = "redis-sentinel://" + String.join(",", sentinels.seeds()) + "/" + sentinels.masterName();
            RedisConnectionException e = assertThrows(RedisConnectionException.class, () -> RedisClient.create(uri));
            assertTrue(e.getMessage().contains("NOAUTH") && e.getMessage().contains("sentinelCredentials"),
                    e.getMessage());
            RedisConnectionException wrong = assertThrows(RedisConnectionException.class,
                    () -> RedisClient.builder(uri).sentinelCredentials(null, "not-it-17").build());
            assertTrue(wrong.getMessage().contains("WRONGPASS") && !wrong.getMessage().contains("not-it-17"),
                    wrong.getMessage());
            try (RedisClient client = RedisClient.builder(uri).sentinelCredentials(null, "sentinel-pw-42").build()) {
                assertEquals("OK", client.async().set("pw:k", "v").join());
                assertEquals("v", primary.command("GET", "pw:k"));
            }
        }
    }
}
