package io.respin.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.respin.client.async.CacheSettings;
import io.respin.client.async.CacheStats;
import io.respin.client.sync.CachedCommands;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The snippet of docs/caching.md, run. */
class CacheDocTest {

    @Test
    void theCachingSnippetRuns() {
        String uri = Redis.server().uri();
        Redis.client(3).sync().hset("user:1", Map.of("name", "Ann"));
        // snippet: client-cache
        RedisClient client = RedisClient.builder(uri)                       // e.g. "redis://localhost:6379"
                .clientCache(CacheSettings.builder()
                        .maxBytes(64 << 20)                                 // the memory bound (default 64 MiB)
                        .ttl(Duration.ofMinutes(5))                         // the longest a reply is kept; PTTL caps it
                        .build())
                .build();
        CachedCommands<String, String> cached = client.cached();            // blocking
        String name = cached.hget("user:1", "name");                        // a round trip the first time, memory after
        client.cachedAsync().get("user:1:bio").thenAccept(System.out::println); // futures: a hit completes at once
        CacheStats s = cached.stats(); // hits, misses, evictions, invalidations, stored, bytes, maxBytes, clears
        // end snippet
        try (client) {
            assertEquals("Ann", name);
            assertEquals("Ann", cached.hget("user:1", "name"));
            assertEquals(1, cached.stats().hits());
            assertEquals(0, s.hits());
        } finally {
            Redis.client(3).sync().del("user:1");
        }
    }
}
