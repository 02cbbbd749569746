package io.respin.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.respin.RedisServerException;
import io.respin.RedisTimeoutException;
import io.respin.client.sync.RedisCommands;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A platform thread reuses one IO command for all its sync calls. These tests make sure a reused call gives each
 * command its own value after a server error and after a timeout. (A timed-out call itself is never reused: its
 * late reply may still be on its way to the engine's in-flight list. Here, with the server paused, the link is also
 * presumed dead and reconnected, so that late reply never comes; a pipeline busy enough to keep the link talking
 * would deliver it, and is not reproduced deterministically in a test.)
 */
class SyncCallReuseTest {

    @Test
    void afterAServerErrorTheNextCallsGetTheirOwnValues() {
        RedisCommands<String, String> redis = Redis.client(3).sync();
        redis.set("reuse:text", "not a number");
        redis.set("reuse:a", "A");
        String counter = "reuse:n" + Thread.currentThread().threadId();
        redis.del(counter);
        for (int i = 0; i < 3; i++) {
            assertThrows(RedisServerException.class, () -> redis.incr("reuse:text"));
            assertEquals("A", redis.get("reuse:a"));
            assertEquals(i + 1, redis.incr(counter).longValue());
        }
        redis.del("reuse:text", "reuse:a", counter);
    }

    @Test
    void aLateReplyAfterATimeoutNeverReachesTheNextCallOfTheSameThread() {
        Redis.client(3).sync().set("reuse:late", "LATE");
        Redis.client(3).sync().set("reuse:mine", "MINE");
        try (RedisClient client = RedisClient.builder(Redis.server().uri()).commandTimeout(Duration.ofMillis(200))
                .build()) {
            RedisCommands<String, String> redis = client.sync();
            assertEquals("MINE", redis.get("reuse:mine")); // this thread's call exists and has been used
            Redis.client(3).sync().execute("CLIENT", "PAUSE", "3000", "ALL");
            try {
                assertThrows(RedisTimeoutException.class, () -> redis.get("reuse:late"));
            } finally {
                Redis.client(3).sync().execute("CLIENT", "UNPAUSE");
            }
            // the GET of reuse:late is still answered by the server, after the pause: it must be discarded
            for (int i = 0; i < 3; i++) {
                assertEquals("MINE", redis.get("reuse:mine"));
            }
        } finally {
            Redis.client(3).sync().del("reuse:late", "reuse:mine");
        }
    }
}
