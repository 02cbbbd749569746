package io.respin.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

// snippet: quickstart-async
import io.respin.client.RedisClient;
import java.util.concurrent.CompletableFuture;

// end snippet
import org.junit.jupiter.api.Test;

/** The README's async quick start, imports included, against a real server. */
class QuickStartAsyncTest {

    @Test
    void asyncQuickStart() {
        String uri = Redis.server().uri();
        // snippet: quickstart-async
        try (RedisClient client = RedisClient.create(uri)) {
            var redis = client.async();
            CompletableFuture<String> v = redis.set("greeting", "hello")
                    .thenCompose(ok -> redis.get("greeting"));       // completes off the IO thread
            CompletableFuture<Long> hits = redis.incr("hits");
            System.out.println(v.join() + " " + hits.join());
            // end snippet
            assertEquals("hello", v.join());
            client.sync().del("greeting", "hits");
        // snippet: quickstart-async
        }
        // end snippet
    }
}
