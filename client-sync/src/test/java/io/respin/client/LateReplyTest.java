package io.respin.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.respin.RedisTimeoutException;
import io.respin.client.sync.RedisCommands;
import io.respin.engine.resp.Reply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.RepeatedTest;

/**
 * A sync call times out while its command is still queued on the server; its reply comes later on the same
 * connection. The late reply must be parsed and dropped by the engine with the connection kept: the same CLIENT ID
 * before and after, and the commands pipelined behind it get their own replies.
 *
 * <p>Why the server is never silent for a whole timeout here: the link drops a connection on which the server sent
 * nothing for a whole timeout (presumed dead). So a first DEBUG SLEEP 0.4 goes out, and the second (the sync call
 * under test) only once the server is inside the first, in a read of its own: the first reply comes at 400 ms, the
 * second call times out at 600 ms (100 + 500), its reply comes at 1,000 ms, and nothing else can close the link.
 * Before the fix the late reply's completion threw a NullPointerException on the IO thread (the cleared call's
 * kind()), the connection dropped and CLIENT ID changed.
 */
class LateReplyTest {

    @RepeatedTest(2)
    void aLateReplyIsDroppedAndTheSameConnectionStaysUp() throws InterruptedException {
        Redis.client(3).sync().set("late:k", "V");
        try (RedisClient client = RedisClient.builder(Redis.server().uri()).commandTimeout(Duration.ofMillis(500))
                .build()) {
            RedisCommands<String, String> redis = client.sync();
            long id = clientId(redis);
            CompletableFuture<Reply> first = client.async().execute("DEBUG", "SLEEP", "0.4");
            Thread.sleep(100); // the server is inside the first sleep: the second arrives in a read of its own
            RedisTimeoutException e = assertThrows(RedisTimeoutException.class,
                    () -> redis.execute("DEBUG", "SLEEP", "0.6"));
            assertTrue(e.getMessage().startsWith("DEBUG"), "the timeout names the command: " + e.getMessage());
            // pipelined behind the late reply: each must get its own reply, not the late one
            List<CompletableFuture<String>> behind = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                behind.add(client.async().get("late:k"));
            }
            assertEquals("OK", first.join().asString());
            for (CompletableFuture<String> f : behind) {
                assertEquals("V", f.join());
            }
            assertEquals("V", redis.get("late:k"));
            assertEquals(id, clientId(redis), "the late reply was dropped on the same connection, not by a reconnect");
        } finally {
            Redis.client(3).sync().del("late:k");
        }
    }

    private static long clientId(RedisCommands<String, String> redis) {
        return ((Reply.Int) redis.execute("CLIENT", "ID")).value();
    }
}
