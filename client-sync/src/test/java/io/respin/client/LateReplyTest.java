package io.respin.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.respin.RedisTimeoutException;
import io.respin.client.sync.RedisCommands;
import io.respin.engine.resp.Reply;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.RepeatedTest;

/**
 * A sync call times out while its command is still queued on the server; its reply comes later on the same
 * connection. The late reply must be parsed and dropped by the engine with the connection kept: the same CLIENT ID
 * before and after, the commands pipelined behind it get their own replies, and — the timed-out call being a
 * {@code getInto} — not one byte of the late value lands in the caller's buffer, which is the caller's again once
 * the call has thrown.
 *
 * <p>Why the server is never silent for a whole timeout here: the link drops a connection on which the server sent
 * nothing for a whole timeout (presumed dead). So a first DEBUG SLEEP 0.4 goes out, and a second one (0.5 s) and the
 * sync call under test only once the server is inside the first: the first reply comes at 400 ms, the call times out
 * at 600 ms (100 + 500) with the server busy until 900 ms, its reply comes then, and nothing else can close the link.
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
            Thread.sleep(100); // the server is inside the first sleep: what follows arrives in a read of its own
            CompletableFuture<Reply> second = client.async().execute("DEBUG", "SLEEP", "0.5");
            ByteBuffer dst = ByteBuffer.allocate(16);
            RedisTimeoutException e = assertThrows(RedisTimeoutException.class, () -> redis.getInto("late:k", dst));
            assertTrue(e.getMessage().startsWith("GET"), "the timeout names the command: " + e.getMessage());
            // pipelined behind the late reply: each must get its own reply, not the late one
            List<CompletableFuture<String>> behind = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                behind.add(client.async().get("late:k"));
            }
            assertEquals("OK", first.join().asString());
            assertInstanceOf(RedisTimeoutException.class, assertThrows(CompletionException.class, second::join).getCause());
            for (CompletableFuture<String> f : behind) {
                assertEquals("V", f.join());
            }
            assertEquals("V", redis.get("late:k"));
            assertArrayEquals(new byte[16], dst.array(), "the late reply was dropped by the engine, not written into "
                    + "the timed-out call's buffer");
            assertEquals(id, clientId(redis), "the late reply was dropped on the same connection, not by a reconnect");
        } finally {
            Redis.client(3).sync().del("late:k");
        }
    }

    private static long clientId(RedisCommands<String, String> redis) {
        return ((Reply.Int) redis.execute("CLIENT", "ID")).value();
    }
}
