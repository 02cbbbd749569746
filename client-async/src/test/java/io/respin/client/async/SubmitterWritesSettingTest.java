package io.respin.client.async;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@code RedisClientBuilder.submitterWrites} reaches the IO settings (client-sync runs a client either way). */
class SubmitterWritesSettingTest {

    @Test
    void onByDefaultAndOffWhenAsked() {
        String uri = Redis.server().uri();
        assertTrue(RedisClient.builder(uri).ioSettings().submitterWrites());
        assertFalse(RedisClient.builder(uri).submitterWrites(false).ioSettings().submitterWrites());
    }
}
