package io.respin.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.respin.RedisTimeoutException;
import io.respin.client.sync.RedisCommands;
import io.respin.engine.command.KeyValues;
import io.respin.engine.command.XReadArgs;
import io.respin.engine.resp.Reply;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * A blocking command's deadline is its block time plus the command timeout; block time 0 has none. Before, BLPOP
 * with a block time longer than the command timeout failed at the command timeout, and BLPOP 0 always did.
 */
class BlockingDeadlineTest {

    @Test
    void aBlockTimeLongerThanTheCommandTimeoutIsWaitedOut() {
        Redis.client(3).sync().del("bd:empty");
        try (RedisClient client = RedisClient.builder(Redis.server().uri()).commandTimeout(Duration.ofMillis(700))
                .build()) {
            RedisCommands<String, String> redis = client.sync();
            long start = System.nanoTime();
            assertNull(redis.blpop(Duration.ofMillis(1500), "bd:empty"), "the server's own timeout: nil");
            assertTrue(System.nanoTime() - start >= Duration.ofMillis(1400).toNanos(), "it waited its block time");
            Reply generic = redis.execute("BRPOP", "bd:empty", "1.5");
            assertTrue(generic instanceof Reply.Null || generic.toString().contains("NULL") || isNullArray(generic),
                    "execute's BRPOP parses its block time too: " + generic);
            var read = redis.xread(new XReadArgs().block(Duration.ofMillis(1500)), Map.of("bd:stream", "$"));
            assertTrue(read == null || read.isEmpty(), "XREAD BLOCK waited its block time: " + read);
        }
    }

    @Test
    void blockTimeZeroHasNoDeadline() throws Exception {
        Redis.client(3).sync().del("bd:zero");
        try (RedisClient client = RedisClient.builder(Redis.server().uri()).commandTimeout(Duration.ofMillis(300))
                .build()) {
            CompletableFuture<KeyValues<String, String>> pop = client.async().blpop(Duration.ZERO, "bd:zero");
            Thread.sleep(1_000); // more than three command timeouts
            assertFalse(pop.isDone(), () -> "BLPOP 0 ended by itself: " + pop);
            Redis.client(3).sync().rpush("bd:zero", "v");
            assertEquals("v", pop.get().values().get(0));
        }
    }

    @Test
    void aFacadeWithItsOwnTimeout() {
        try (RedisClient client = RedisClient.builder(Redis.server().uri()).commandTimeout(Duration.ofSeconds(10))
                .build()) {
            RedisCommands<String, String> redis = client.sync();
            long start = System.nanoTime();
            RedisTimeoutException e = assertThrows(RedisTimeoutException.class,
                    () -> redis.withTimeout(Duration.ofMillis(200)).execute("DEBUG", "SLEEP", "0.6"));
            assertTrue(System.nanoTime() - start < Duration.ofSeconds(3).toNanos(), "not the client's 10 s");
            assertTrue(e.getMessage().contains("200 ms"), e.getMessage());
            // the same thread's next call (the same reused call object) has the client's timeout again
            assertEquals("OK", redis.execute("DEBUG", "SLEEP", "0.5").asString());
            var ce = assertThrows(java.util.concurrent.CompletionException.class,
                    () -> client.async().withTimeout(Duration.ofMillis(200)).execute("DEBUG", "SLEEP", "0.6").join());
            assertTrue(ce.getCause() instanceof RedisTimeoutException, "the async facade too: " + ce.getCause());
        }
    }

    private static boolean isNullArray(Reply r) {
        return r instanceof Reply.Aggregate a && a.elements().isEmpty();
    }
}
