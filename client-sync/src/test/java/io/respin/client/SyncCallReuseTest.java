package io.respin.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.respin.RedisServerException;
import io.respin.RedisTimeoutException;
import io.respin.client.sync.RedisCommands;
import io.respin.engine.resp.Reply;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A platform thread reuses one IO command for all its sync calls. These tests make sure a reused call gives each
 * command its own value after a server error and after a timeout: the timed-out command's late reply comes on the
 * same connection (the CLIENT ID is checked) and is dropped by the engine, never handed to the thread's next call.
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
    void aLateReplyAfterATimeoutNeverReachesTheNextCallOfTheSameThread() throws InterruptedException {
        Redis.client(3).sync().set("reuse:late", "LATE");
        Redis.client(3).sync().set("reuse:mine", "MINE");
        try (RedisClient client = RedisClient.builder(Redis.server().uri()).commandTimeout(Duration.ofMillis(500))
                .build()) {
            RedisCommands<String, String> redis = client.sync();
            assertEquals("MINE", redis.get("reuse:mine")); // this thread's call exists and has been used
            long id = ((Reply.Int) redis.execute("CLIENT", "ID")).value();
            // keep the server busy without going silent for a whole timeout (see LateReplyTest): the GET waits
            // behind two sleeps, times out at 600 ms, and its reply "LATE" comes at ~1,000 ms on the same connection
            client.async().execute("DEBUG", "SLEEP", "0.4");
            Thread.sleep(100);
            client.async().execute("DEBUG", "SLEEP", "0.5");
            ByteBuffer dst = ByteBuffer.allocate(16); // a GET into the caller's buffer: a stray reply would show
            assertThrows(RedisTimeoutException.class, () -> redis.getInto("reuse:late", dst));
            for (int i = 0; i < 3; i++) {
                assertEquals("MINE", redis.get("reuse:mine"));
            }
            // the first of those was queued behind the timed-out GET: its late "LATE" has come and been dropped
            assertArrayEquals(new byte[16], dst.array(), "the late reply was dropped by the engine, not written into "
                    + "the buffer of the call that had timed out");
            assertEquals(id, ((Reply.Int) redis.execute("CLIENT", "ID")).value(),
                    "the late reply was discarded on the same connection, not by a reconnect");
        } finally {
            Redis.client(3).sync().del("reuse:late", "reuse:mine");
        }
    }
}
