package io.respin.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

// snippet: pipeline
import io.respin.client.async.RedisPipeline;
import java.util.List;
import java.util.concurrent.CompletableFuture;

// end snippet
import org.junit.jupiter.api.Test;

/** docs/clients.md, "Pipelines", against a real server. */
class PipelineDocTest {

    @Test
    void queueManyWaitOnce() {
        try (RedisClient client = RedisClient.create(Redis.server().uri())) {
            client.sync().del("hits");
            client.sync().set("greeting", "hello");
            // snippet: pipeline
            RedisPipeline<String, String> p = client.pipeline();
            CompletableFuture<Long> n = p.incr("hits");
            CompletableFuture<String> v = p.get("greeting");
            List<Object> outcomes = p.awaitAll();                     // every future is done now: [1, hello]
            long hits = n.join();
            // end snippet
            assertEquals(List.of(1L, "hello"), outcomes);
            assertEquals(1L, hits);
            assertEquals("hello", v.join());
            assertEquals(0, p.size());
            client.sync().del("hits", "greeting");
        }
    }
}
