package io.respin.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.respin.RedisServerException;
import io.respin.RedisTransactionAbortedException;
import io.respin.client.sync.RedisTransaction;
import io.respin.client.async.TransactionResult;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** WATCH / MULTI / EXEC on a dedicated connection: commit with typed results, abort when a watched key changes. */
class TransactionTest {

    @ParameterizedTest(name = "RESP{0}")
    @ValueSource(ints = {2, 3})
    void commitsWithTypedResults(int resp) {
        RedisClient client = Redis.client(resp);
        String k = "tx:" + resp;
        client.sync().set(k, "10");
        try (RedisTransaction<String, String> tx = client.transaction()) {
            tx.watch(k);
            long balance = Long.parseLong(tx.sync().get(k));
            tx.multi();
            CompletableFuture<String> set = tx.queue().set(k, Long.toString(balance - 3));
            CompletableFuture<Long> incr = tx.queue().incr(k);
            CompletableFuture<Long> bad = tx.queue().lpush(k, "x"); // WRONGTYPE at EXEC time
            TransactionResult r = tx.exec();
            assertTrue(r.committed());
            assertEquals("OK", r.get(0));
            assertEquals(8L, (Long) r.get(1));
            assertInstanceOf(RedisServerException.class, r.get(2));
            assertEquals("OK", set.join());
            assertEquals(8L, incr.join());
            assertTrue(bad.isCompletedExceptionally());
        }
        assertEquals("8", client.sync().get(k));
        client.sync().del(k);
    }

    @ParameterizedTest(name = "RESP{0}")
    @ValueSource(ints = {2, 3})
    void abortsWhenAWatchedKeyChanges(int resp) {
        RedisClient client = Redis.client(resp);
        String k = "txw:" + resp;
        client.sync().set(k, "1");
        try (RedisTransaction<String, String> tx = client.transaction()) {
            tx.watch(k);
            client.sync().set(k, "changed by someone else"); // on the shared connection
            tx.multi();
            CompletableFuture<String> queued = tx.queue().set(k, "mine");
            TransactionResult r = tx.exec();
            assertFalse(r.committed());
            assertEquals(List.of(), r.results());
            var e = assertThrows(CompletionException.class, queued::join);
            assertInstanceOf(RedisTransactionAbortedException.class, e.getCause());
        }
        assertEquals("changed by someone else", client.sync().get(k));
        client.sync().del(k);
    }

    @ParameterizedTest(name = "RESP{0}")
    @ValueSource(ints = {2, 3})
    void asyncTransactionCommitsAndAborts(int resp) {
        RedisClient client = Redis.client(resp);
        String k = "txa:" + resp;
        client.sync().set(k, "5");
        var tx = client.asyncTransaction();
        TransactionResult r = tx.watch(k)
                .thenCompose(ok -> tx.commands().get(k))
                .thenCompose(v -> {
                    tx.multi();
                    tx.queue().incrby(k, Long.parseLong(v));
                    return tx.exec();
                }).whenComplete((res, e) -> tx.close()).join();
        assertTrue(r.committed());
        assertEquals(10L, (Long) r.get(0));
        var tx2 = client.asyncTransaction();
        TransactionResult aborted = tx2.watch(k)
                .thenCompose(ok -> client.async().set(k, "other"))
                .thenCompose(ok -> tx2.multi())
                .thenCompose(ok -> {
                    tx2.queue().set(k, "mine");
                    return tx2.exec();
                }).whenComplete((res, e) -> tx2.close()).join();
        assertFalse(aborted.committed());
        assertEquals("other", client.sync().get(k));
        client.sync().del(k);
    }

    @ParameterizedTest(name = "RESP{0}")
    @ValueSource(ints = {2, 3})
    void discardDropsQueuedCommands(int resp) {
        RedisClient client = Redis.client(resp);
        String k = "txd:" + resp;
        client.sync().del(k);
        try (RedisTransaction<String, String> tx = client.transaction()) {
            tx.multi();
            CompletableFuture<String> queued = tx.queue().set(k, "never");
            tx.discard();
            assertTrue(queued.isCompletedExceptionally());
        }
        assertEquals(0L, client.sync().exists(k));
    }

    /**
     * A command queued after exec() is not part of that EXEC, and exec()'s future must not wait for it: before, exec()
     * joined every queued future inside a callback on the completion thread, so a command queued after it (whose own
     * completion needs that thread) deadlocked every async callback of the client.
     */
    @org.junit.jupiter.api.Test
    void aCommandQueuedAfterExecNeitherJoinsItNorBlocksTheCallbacks() throws Exception {
        RedisClient client = Redis.client(3);
        var tx = client.asyncTransaction();
        try {
            tx.multi();
            CompletableFuture<Long> incr = tx.queue().incr("tx:after");
            CompletableFuture<TransactionResult> exec = tx.exec();
            CompletableFuture<String> after = tx.queue().get("tx:after"); // after EXEC: a plain GET, held
            tx.queue().flush(); // until this flush (a pipeline sends on flush)
            TransactionResult r = exec.get(3, java.util.concurrent.TimeUnit.SECONDS);
            assertTrue(r.committed());
            assertEquals(1, r.results().size(), "the EXEC had one command: " + r);
            assertEquals(1L, incr.get(3, java.util.concurrent.TimeUnit.SECONDS));
            assertEquals("1", after.get(3, java.util.concurrent.TimeUnit.SECONDS));
            assertEquals("PONG", client.async().ping().get(3, java.util.concurrent.TimeUnit.SECONDS),
                    "the completion thread is free");
        } finally {
            tx.close();
            client.sync().del("tx:after");
        }
    }
}
