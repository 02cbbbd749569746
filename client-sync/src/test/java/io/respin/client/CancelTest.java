package io.respin.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.respin.client.sync.RedisCommands;
import io.respin.engine.command.KeyValues;
import io.respin.engine.resp.Reply;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** Cancelling an async command's future withdraws the command from the IO runtime. */
class CancelTest {

    /**
     * A cancelled BLPOP must stop blocking on the server. Before the fix it stayed blocked (until the command
     * timeout) on its dedicated connection and popped the next element pushed, for a future nobody reads: data loss.
     */
    @Test
    void cancellingABlockingCommandClosesItsConnectionAndPopsNothing() throws Exception {
        RedisCommands<String, String> admin = Redis.client(3).sync();
        admin.del("cancel:q");
        // named, so that only this client's connections are looked at: another test class's client left blocked in
        // a BLPOP on the shared server is not this test's business (it failed this test once under load)
        try (RedisClient client = RedisClient.builder(Redis.server().uri() + "?clientName=cancel-blpop").build()) {
            CompletableFuture<KeyValues<String, String>> pop = client.async().blpop(Duration.ZERO, "cancel:q");
            awaitBlocked(admin, true);
            assertTrue(pop.cancel(true));
            awaitBlocked(admin, false); // the server no longer blocks for it
            admin.rpush("cancel:q", "v");
            assertEquals(1L, admin.llen("cancel:q"), "the element was not popped by the cancelled BLPOP");
            KeyValues<String, String> next = client.async().blpop(Duration.ofSeconds(2), "cancel:q").join();
            assertEquals("v", next.values().get(0), "the next blocking command works");
        } finally {
            admin.del("cancel:q");
        }
    }

    /** A cancelled command in flight on the shared connection: its late reply is discarded on the same connection. */
    @Test
    void cancellingACommandInFlightDiscardsItsReplyAndKeepsTheConnection() throws InterruptedException {
        Redis.client(3).sync().set("cancel:k", "V");
        try (RedisClient client = RedisClient.builder(Redis.server().uri()).build()) {
            RedisCommands<String, String> redis = client.sync();
            long id = ((Reply.Int) redis.execute("CLIENT", "ID")).value();
            CompletableFuture<Reply> sleep = client.async().execute("DEBUG", "SLEEP", "0.3");
            Thread.sleep(50); // on the server
            assertTrue(sleep.cancel(true));
            assertTrue(sleep.isCancelled());
            assertEquals("V", client.async().get("cancel:k").join(), "the GET behind it gets its own reply");
            assertEquals(id, ((Reply.Int) redis.execute("CLIENT", "ID")).value(), "the same connection");
        } catch (CompletionException e) {
            throw new AssertionError(e);
        } finally {
            Redis.client(3).sync().del("cancel:k");
        }
    }

    /**
     * A cancelled GET in flight: its reply comes after the cancel and must be discarded by the engine. The GET is a
     * {@code getInto}, so a reply that still reached its decoder would write into the caller's buffer, which is the
     * caller's again once the future is cancelled.
     */
    @Test
    void aCancelledGetIntoInFlightNeverWritesIntoItsBuffer() throws InterruptedException {
        Redis.client(3).sync().set("cancel:into", "LATE-VALUE");
        try (RedisClient client = RedisClient.builder(Redis.server().uri()).build()) {
            RedisCommands<String, String> redis = client.sync();
            long id = ((Reply.Int) redis.execute("CLIENT", "ID")).value();
            CompletableFuture<Reply> sleep = client.async().execute("DEBUG", "SLEEP", "0.3");
            ByteBuffer dst = ByteBuffer.allocate(32);
            CompletableFuture<Long> into = client.async().getInto("cancel:into", dst);
            Thread.sleep(50); // both on the server: the GET waits behind the sleep
            assertTrue(into.cancel(true));
            assertEquals("OK", sleep.join().asString());
            // behind the cancelled GET: once this is answered, the cancelled GET's reply has come and gone
            assertEquals("LATE-VALUE", client.async().get("cancel:into").join());
            assertArrayEquals(new byte[32], dst.array(), "the cancelled GET's reply was discarded, not written into "
                    + "the caller's buffer");
            assertEquals(id, ((Reply.Int) redis.execute("CLIENT", "ID")).value(), "the same connection");
        } finally {
            Redis.client(3).sync().del("cancel:into");
        }
    }

    private static void awaitBlocked(RedisCommands<String, String> admin, boolean blocked) throws InterruptedException {
        for (int i = 0; i < 300; i++) {
            // cmd= is a client's last command, blocked or long done (another test's pooled connection may have run
            // a BLPOP and stay open): a client blocked in it now also has the 'b' flag
            String list = admin.execute("CLIENT", "LIST").asString();
            boolean inBlpop = list.lines().anyMatch(l -> l.contains(" name=cancel-blpop ") && l.contains("cmd=blpop")
                    && l.matches(".*\\bflags=\\w*b.*"));
            if (inBlpop == blocked) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError(blocked ? "no client blocked in BLPOP" : "a client is still blocked in BLPOP");
    }
}
