package io.respin.client.async;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.respin.RedisServerException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The async facade: failures as failed futures, callbacks off the IO thread, explicit pipelines. */
class AsyncClientTest {

    @ParameterizedTest(name = "RESP{0}")
    @ValueSource(ints = {2, 3})
    void serverErrorsFailTheFutureWithTheSameTypes(int resp) {
        var a = Redis.client(resp).async();
        String k = "asyncerr:" + resp;
        a.set(k, "not a number").join();
        var e = assertThrows(CompletionException.class, () -> a.incr(k).join());
        assertInstanceOf(RedisServerException.class, e.getCause());
        assertEquals("ERR", ((RedisServerException) e.getCause()).prefix());
        a.del(k).join();
    }

    @ParameterizedTest(name = "RESP{0}")
    @ValueSource(ints = {2, 3})
    void callbacksNeverRunOnTheIoThread(int resp) {
        var a = Redis.client(resp).async();
        String thread = a.ping().thenApply(p -> Thread.currentThread().getName()).join();
        assertNotEquals("respin-io", thread);
        assertTrue(!thread.equals("respin-io"), thread);
    }

    @ParameterizedTest(name = "RESP{0}")
    @ValueSource(ints = {2, 3})
    void explicitPipelineAwaitsAllInOrder(int resp) {
        RedisPipeline<String, String> p = Redis.client(resp).pipeline();
        String k = "pipe:" + resp;
        p.del(k);
        CompletableFuture<Long> n = null;
        for (int i = 0; i < 100; i++) {
            n = p.incr(k);
        }
        p.lpush(k, "x"); // WRONGTYPE: its slot holds the exception
        assertEquals(102, p.size());
        List<Object> out = p.awaitAll();
        assertEquals(102, out.size());
        assertEquals(100L, out.get(100));
        assertInstanceOf(RedisServerException.class, out.get(101));
        assertEquals(100L, n.join());
        assertEquals(0, p.size());
        Redis.client(resp).async().del(k).join();
    }
}
