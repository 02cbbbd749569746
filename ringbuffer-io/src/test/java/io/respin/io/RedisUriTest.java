package io.respin.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RedisUriTest {

    @Test
    void plainHostGetsTheDefaultPortAndDatabase() {
        RedisUri u = RedisUri.parse("redis://cache.internal");
        assertEquals("cache.internal", u.host());
        assertEquals(6379, u.port());
        assertEquals(0, u.database());
        assertFalse(u.tls());
        assertNull(u.user());
        assertNull(u.password());
        assertEquals(3, u.protocol());
    }

    @Test
    void everythingAtOnce() {
        RedisUri u = RedisUri.parse("rediss://app:s3cret@cache:6380/2?timeout=2s&clientName=orders&protocol=2");
        assertTrue(u.tls());
        assertEquals("app", u.user());
        assertEquals("s3cret", u.password());
        assertEquals("cache", u.host());
        assertEquals(6380, u.port());
        assertEquals(2, u.database());
        assertEquals(Duration.ofSeconds(2), u.timeout());
        assertEquals("orders", u.clientName());
        assertEquals(2, u.protocol());
        assertTrue(u.verifyPeer());
    }

    @Test
    void aLoneUserInfoIsThePasswordAsInRedisCli() {
        RedisUri u = RedisUri.parse("redis://secret@localhost:6390");
        assertNull(u.user());
        assertEquals("secret", u.password());
        RedisUri v = RedisUri.parse("redis://:secret@localhost:6390");
        assertNull(v.user());
        assertEquals("secret", v.password());
    }

    @Test
    void credentialsArePercentDecodedAndHiddenInToString() {
        RedisUri u = RedisUri.parse("redis://us%3Aer:p%40ss%2Fw+rd@h:1/0");
        assertEquals("us:er", u.user());
        assertEquals("p@ss/w+rd", u.password());
        assertFalse(u.toString().contains("p@ss"), u.toString());
        assertEquals("redis://us:er:***@h:1", u.toString());
    }

    @Test
    void queryOptionsOverrideAndTimeoutsTakeUnits() {
        assertEquals(Duration.ofMillis(500), RedisUri.parse("redis://h?timeout=500ms").timeout());
        assertEquals(Duration.ofMillis(1500), RedisUri.parse("redis://h?timeout=1.5s").timeout());
        assertEquals(Duration.ofMinutes(2), RedisUri.parse("redis://h?timeout=2m").timeout());
        assertEquals(Duration.ofMillis(250), RedisUri.parse("redis://h?timeout=250").timeout());
        assertEquals(5, RedisUri.parse("redis://h/1?db=5").database());
        assertEquals("bob", RedisUri.parse("redis://h?user=bob&password=x").user());
        assertFalse(RedisUri.parse("rediss://h?verifyPeer=false").verifyPeer());
    }

    @Test
    void ipv6HostsGoInBrackets() {
        RedisUri u = RedisUri.parse("redis://[::1]:6380/3");
        assertEquals("::1", u.host());
        assertEquals(6380, u.port());
        assertEquals(3, u.database());
        assertEquals("[::1]:6380", u.address());
    }

    @Test
    void unixSockets() {
        RedisUri u = RedisUri.parse("unix:///var/run/redis.sock?db=1&password=pw");
        assertTrue(u.isUnixSocket());
        assertEquals(Path.of("/var/run/redis.sock"), u.socketPath());
        assertEquals(1, u.database());
        assertEquals("pw", u.password());
        assertEquals(-1, u.port());
        assertEquals(Path.of("/tmp/r.sock"), RedisUri.parse("redis-socket:///tmp/r.sock").socketPath());
        assertEquals("unix:///var/run/redis.sock?db=1", RedisUri.parse("unix:///var/run/redis.sock?db=1").toString());
    }

    @Test
    void mistakesAreNamed() {
        assertMessage("localhost:6379", "no scheme");
        assertMessage("http://h", "unknown scheme 'http'");
        assertMessage("redis://h:port", "port 'port' is not a number");
        assertMessage("redis://h:70000", "port must be 1..65535");
        assertMessage("redis://h/x", "database 'x' is not a number");
        assertMessage("redis://h?timeout=soon", "timeout 'soon' is not a duration");
        assertMessage("redis://h?protocol=4", "protocol must be 2 or 3");
        assertMessage("redis://h?colour=red", "unknown option 'colour'");
        assertMessage("unix://relative.sock", "absolute path");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RedisUri.parse("redis://u:hunter2@h:x"));
        assertFalse(e.getMessage().contains("hunter2"), "the password stays out of messages: " + e.getMessage());
    }

    private static void assertMessage(String uri, String fragment) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RedisUri.parse(uri));
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }
}
