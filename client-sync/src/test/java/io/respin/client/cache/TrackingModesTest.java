package io.respin.client.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.respin.client.RedisClient;
import io.respin.client.async.CacheSettings;
import io.respin.client.sync.CachedCommands;
import io.respin.engine.resp.Reply;
import org.junit.jupiter.api.Test;

/** The tracking modes of {@link CacheSettings}: what the server is told, and what the cache then keeps. */
class TrackingModesTest {

    private static String trackingFlags(RedisClient client) {
        Reply info = client.sync().execute("CLIENT", "TRACKINGINFO");
        return info.toString().toLowerCase(java.util.Locale.ROOT);
    }

    @Test
    void optInMarksEachCachedReadAndOnlyThoseAreTracked() {
        try (RedisClient client = RedisClient.builder(CacheServer.get().uri())
                .clientCache(CacheSettings.builder().mode(CacheSettings.Mode.OPTIN).build()).build();
             RedisClient writer = RedisClient.create(CacheServer.get().uri())) {
            assertTrue(trackingFlags(client).contains("optin"), trackingFlags(client));
            CachedCommands<String, String> cached = client.cached();
            writer.sync().set("oi:k", "1");
            assertEquals("1", cached.get("oi:k"));
            assertEquals("1", cached.get("oi:k"));
            assertEquals(1, cached.stats().hits());
            writer.sync().set("oi:k", "2");
            client.sync().ping();
            // without CLIENT CACHING YES right before the GET the server would not have tracked it: "1" forever
            assertEquals("2", cached.get("oi:k"));
            assertEquals(1, cached.stats().invalidations());
            // a plain read on the same connection is not tracked: a write to its key sends nothing
            writer.sync().set("oi:plain", "a");
            client.sync().get("oi:plain");
            writer.sync().set("oi:plain", "b");
            client.sync().ping();
            assertEquals(1, cached.stats().invalidations(), "a read without CACHING YES was tracked");
        }
    }

    @Test
    void broadcastKeepsOnlyKeysUnderItsPrefixesAndHearsOfEveryWriteToThem() {
        try (RedisClient client = RedisClient.builder(CacheServer.get().uri())
                .clientCache(CacheSettings.builder().broadcast("bc:").build()).build();
             RedisClient writer = RedisClient.create(CacheServer.get().uri())) {
            String flags = trackingFlags(client);
            assertTrue(flags.contains("bcast") && flags.contains("bc:"), flags);
            CachedCommands<String, String> cached = client.cached();
            writer.sync().set("bc:1", "x");
            writer.sync().set("nb:1", "x");
            // BCAST announces those writes too: parsed after the first read's miss was recorded, the notice of
            // bc:1 would cancel that read's keeping (as it must: the cache cannot tell whose write it announces).
            // The PING's reply comes after the notice on the same connection, so the read below starts after it.
            client.sync().ping();
            assertEquals("x", cached.get("bc:1"));
            assertEquals("x", cached.get("bc:1"));
            assertEquals(1, cached.stats().hits());
            assertEquals("x", cached.get("nb:1"));
            assertEquals("x", cached.get("nb:1"));
            assertEquals(1, cached.stats().hits(), "a key outside the prefixes is never kept (nobody would tell)");
            assertEquals(1, cached.stats().stored());
            writer.sync().set("nb:1", "y");
            assertEquals("y", cached.get("nb:1"));
            writer.sync().set("bc:1", "y");
            client.sync().ping();
            assertEquals("y", cached.get("bc:1"));
            assertTrue(cached.stats().invalidations() >= 1, cached.stats().toString());
        }
    }

    @Test
    void noLoopIsSentWhenAsked() {
        try (RedisClient client = RedisClient.builder(CacheServer.get().uri())
                .clientCache(CacheSettings.builder().noLoop(true).build()).build()) {
            assertTrue(trackingFlags(client).contains("noloop"), trackingFlags(client));
        }
        try (RedisClient client = RedisClient.builder(CacheServer.get().uri())
                .clientCache(CacheSettings.defaults()).build()) {
            String flags = trackingFlags(client);
            assertTrue(flags.contains("on") && !flags.contains("noloop") && !flags.contains("optin"), flags);
        }
    }
}
