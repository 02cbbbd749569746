package io.respin.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.respin.client.async.RedisAsyncCommands;
import io.respin.client.sync.RedisCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/**
 * The seed workload, as docs/clients.md shows it: 1,000 concurrent tasks, each doing GET then SETEX — once with the
 * sync client on virtual threads, once with the async client.
 */
class SeedWorkloadTest {

    @Test
    void syncOnVirtualThreads() throws Exception {
        try (RedisClient client = RedisClient.create(Redis.server().uri())) {
            // snippet: seed-sync
            RedisCommands<String, String> redis = client.sync();
            try (ExecutorService tasks = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < 1_000; i++) {
                    String key = "seed:sync:" + i;
                    tasks.submit(() -> {
                        String cached = redis.get(key);
                        if (cached == null) {
                            redis.setex(key, Duration.ofSeconds(60), "computed-" + key);
                        }
                        return cached;
                    });
                }
            } // close() waits for every task
            // end snippet
            for (int i = 0; i < 1_000; i += 111) {
                assertEquals("computed-seed:sync:" + i, redis.get("seed:sync:" + i));
                assertTrue(redis.ttl("seed:sync:" + i) > 0);
            }
        }
    }

    @Test
    void async() {
        try (RedisClient client = RedisClient.create(Redis.server().uri())) {
            // snippet: seed-async
            RedisAsyncCommands<String, String> redis = client.async();
            List<CompletableFuture<String>> tasks = new ArrayList<>();
            for (int i = 0; i < 1_000; i++) {
                String key = "seed:async:" + i;
                tasks.add(redis.get(key).thenCompose(cached -> cached != null
                        ? CompletableFuture.completedFuture(cached)
                        : redis.setex(key, Duration.ofSeconds(60), "computed-" + key)));
            }
            CompletableFuture.allOf(tasks.toArray(CompletableFuture[]::new)).join();
            // end snippet
            for (int i = 0; i < 1_000; i += 111) {
                assertEquals("computed-seed:async:" + i, client.sync().get("seed:async:" + i));
            }
        }
    }
}
