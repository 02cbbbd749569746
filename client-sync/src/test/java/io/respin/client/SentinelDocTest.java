package io.respin.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

// snippet: sentinel-builder
import io.respin.client.RedisClient;
import java.time.Duration;

// end snippet
import io.respin.RedisServerException;
import io.respin.testkit.RedisSentinel;
import io.respin.testkit.RedisServer;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docs/sentinel.md's snippets, against a primary, two replicas and three sentinels with a password on the data
 * nodes: the sync client through a {@code redis-sentinel://} URI, the builder's settings, and a wrong password
 * named without being shown.
 */
class SentinelDocTest {

    static final String PASSWORD = "s3cret-data";
    static RedisServer primary;
    static List<RedisServer> replicas;
    static RedisSentinel sentinels;

    @BeforeAll
    static void start() {
        primary = RedisServer.builder().requirePass(PASSWORD).start();
        replicas = List.of(RedisServer.builder().requirePass(PASSWORD).replicaOf(primary).start(),
                RedisServer.builder().requirePass(PASSWORD).replicaOf(primary).start());
        sentinels = RedisSentinel.builder(primary).replicas(2).sentinels(3).start();
    }

    @AfterAll
    static void stop() {
        sentinels.close();
        replicas.forEach(RedisServer::close);
        primary.close();
    }

    @Test
    void quickStart() {
        String uri = "redis-sentinel://:" + PASSWORD + "@" + String.join(",", sentinels.seeds()) + "/respin";
        // snippet: sentinel-quickstart
        // "redis-sentinel://:password@s1:26379,s2:26379,s3:26379/respin"
        try (RedisClient client = RedisClient.create(uri)) {
            client.sync().set("greeting", "hello");                     // on the primary, wherever it is now
            String v = client.async().get("greeting").join();           // "hello"
            // end snippet
            assertEquals("hello", v);
            assertEquals("hello", primary.command("GET", "greeting"));
        // snippet: sentinel-quickstart
        }
        // end snippet
    }

    @Test
    void builderSettings() {
        String seeds = String.join(",", sentinels.seeds());
        String password = PASSWORD;
        // snippet: sentinel-builder
        try (RedisClient client = RedisClient.builder("redis-sentinel://" + seeds + "/respin/2")
                .credentials(null, password)                  // the data nodes' password (ACL user: null = default)
                .sentinelTimeout(Duration.ofMillis(300))      // each question to a sentinel, and each ROLE check
                .commandTimeout(Duration.ofSeconds(5))        // the usual client settings apply as for redis://
                .build()) {
            client.sync().incr("visits");                     // database 2 of the primary
        }
        // end snippet
        assertEquals("1", onDb2("visits"));
    }

    private static String onDb2(String key) {
        try (RedisClient c = RedisClient.create("redis://:" + PASSWORD + "@" + primary.hostAndPort() + "/2")) {
            return c.sync().get(key);
        }
    }

    @Test
    void syncReadsGoToReplicasWithTheSetting() throws InterruptedException {
        String uri = "redis-sentinel://:" + PASSWORD + "@" + String.join(",", sentinels.seeds()) + "/respin";
        try (RedisClient client = RedisClient.builder(uri).readFromReplicas(true).build()) {
            client.sync().set("sync-rr", "v");
            for (RedisServer s : List.of(primary, replicas.get(0), replicas.get(1))) {
                for (int i = 0; i < 500 && !"v".equals(s.command("GET", "sync-rr")); i++) {
                    Thread.sleep(10);
                }
                s.command("CONFIG", "RESETSTAT");
            }
            for (int i = 0; i < 10; i++) {
                assertEquals("v", client.sync().get("sync-rr"));
            }
            assertTrue(!((String) primary.command("INFO", "commandstats")).contains("cmdstat_get:"),
                    "sync() reads went to the replicas, not the primary");
        }
    }

    @Test
    void aWrongPasswordIsNamedNotShown() {
        String uri = "redis-sentinel://:wrong-pw-123@" + String.join(",", sentinels.seeds()) + "/respin";
        RedisServerException e = assertThrows(RedisServerException.class, () -> RedisClient.create(uri));
        assertEquals("WRONGPASS", e.prefix());
        assertTrue(e.getMessage().contains("check the password in the redis-sentinel:// URI's user info")
                && !e.getMessage().contains("wrong-pw-123"), e.getMessage());
    }
}
