package io.respin.client.async.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.respin.io.RedisUri;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code redis-cluster://} URIs and builder seeds, without a network. */
class ClusterSeedsTest {

    @Test
    void everySeedGetsTheUrisSettings() {
        ClusterSeeds s = ClusterSeeds.parse("rediss-cluster://app:s3cr%40t@10.0.0.1:7000,10.0.0.2:7001?timeout=2s&clientName=orders");
        assertEquals(List.of("10.0.0.1:7000", "10.0.0.2:7001"), s.seeds().stream().map(RedisUri::address).toList());
        for (RedisUri u : s.seeds()) {
            assertEquals("app", u.user());
            assertEquals("s3cr@t", u.password());
            assertTrue(u.tls());
            assertEquals(Duration.ofSeconds(2), u.timeout());
            assertEquals("orders", u.clientName());
        }
        assertFalse(s.seeds().toString().contains("s3cr@t"), "a seed's toString never shows the password");
    }

    @Test
    void plainSeedsAndBlanks() {
        ClusterSeeds s = ClusterSeeds.parse("REDIS-CLUSTER://h1:1, h2:2,,");
        assertEquals(List.of("h1:1", "h2:2"), s.seeds().stream().map(RedisUri::address).toList());
        assertFalse(s.seeds().getFirst().tls());
        assertTrue(ClusterSeeds.isClusterUri("redis-cluster://x:1"));
        assertFalse(ClusterSeeds.isClusterUri("redis://x:1"));
    }

    @Test
    void badSeedsSayWhatIsWrongWithoutThePassword() {
        var e = assertThrows(IllegalArgumentException.class, () -> ClusterSeeds.parse("redis-cluster://u:hunter2@h:99999"));
        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
        assertTrue(e.getMessage().contains("port"), e.getMessage());
        var none = assertThrows(IllegalArgumentException.class, () -> ClusterSeeds.parse("redis-cluster://u:pw@"));
        assertTrue(none.getMessage().contains("host1:port1"), none.getMessage());
        var builder = assertThrows(IllegalArgumentException.class,
                () -> ClusterSeeds.of(RedisUri.parse("redis://x:1"), List.of("nohost")));
        assertTrue(builder.getMessage().contains("host:port"), builder.getMessage());
    }

    @Test
    void builderSeedsTakeTheTemplatesSettings() {
        RedisUri template = RedisUri.parse("redis://user:pw@ignored:6379?clientName=n");
        ClusterSeeds s = ClusterSeeds.of(template, List.of("10.0.0.9:7000", "[::1]:7001"));
        assertEquals("10.0.0.9", s.seeds().get(0).host());
        assertEquals("::1", s.seeds().get(1).host());
        assertEquals(7001, s.seeds().get(1).port());
        assertEquals("pw", s.seeds().get(1).password());
        assertEquals("n", s.seeds().get(1).clientName());
    }
}
