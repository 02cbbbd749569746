package io.respin.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.respin.client.sync.RedisCommands;
import io.respin.io.IoSettings;
import org.junit.jupiter.api.Test;

/** {@code RedisClientBuilder.submitterWrites}: the client works either way (client-async checks the setting arrives). */
class SubmitterWritesSettingTest {

    @Test
    void aClientWithEverySocketOperationOnTheIoThreadStillAnswers() {
        for (boolean on : new boolean[] {true, false}) {
            for (IoSettings.Idle idle : IoSettings.Idle.values()) {
                try (RedisClient client = RedisClient.builder(Redis.server().uri()).submitterWrites(on)
                        .idleStrategy(idle).build()) {
                    RedisCommands<String, String> redis = client.sync();
                    String key = "setting:" + on + ":" + idle;
                    for (int i = 0; i < 50; i++) {
                        redis.set(key, "v" + i);
                        assertEquals("v" + i, redis.get(key));
                    }
                    assertEquals("v49", client.async().get(key).join());
                    redis.del(key);
                }
            }
        }
    }
}
