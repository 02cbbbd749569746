package io.respin.client.async.sentinel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.respin.engine.sentinel.HostAndPort;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code redis-sentinel://} URIs: sentinels, master name, the data nodes' settings; a password is never shown. */
class SentinelUriTest {

    @Test
    void sentinelsMasterNameAndTheDataNodesSettings() {
        SentinelUri u = SentinelUri.parse("redis-sentinel://app:s3cret@s1:26380,s2,[::1]:26381/mymaster/2"
                + "?timeout=2s&clientName=orders&protocol=2");
        assertEquals("mymaster", u.masterName());
        assertEquals(List.of(new HostAndPort("s1", 26380), new HostAndPort("s2", 26379), new HostAndPort("::1", 26381)),
                u.sentinels());
        assertEquals("app", u.data().user());
        assertEquals("s3cret", u.data().password());
        assertEquals(2, u.data().database());
        assertEquals(Duration.ofSeconds(2), u.data().timeout());
        assertEquals("orders", u.data().clientName());
        assertEquals(2, u.data().protocol());
        assertFalse(u.data().tls());
        assertEquals("redis://app:***@10.0.0.9:6380/2?timeout=2000ms&clientName=orders&protocol=2",
                u.at(new HostAndPort("10.0.0.9", 6380)).toString());
        assertEquals("redis-sentinel://s1:26380,s2:26379,[::1]:26381/mymaster", u.toString());
        assertTrue(SentinelUri.parse("rediss-sentinel://s1/m").data().tls());
        assertTrue(SentinelUri.isSentinel("REDIS-SENTINEL://s1/m"));
        assertFalse(SentinelUri.isSentinel("redis://s1"));
    }

    @Test
    void malformedUrisSayWhatIsWrongWithoutShowingThePassword() {
        IllegalArgumentException noMaster = assertThrows(IllegalArgumentException.class,
                () -> SentinelUri.parse("redis-sentinel://u:hunter2@s1:26379"));
        assertTrue(noMaster.getMessage().contains("names no master") && !noMaster.getMessage().contains("hunter2"),
                noMaster.getMessage());
        IllegalArgumentException badPort = assertThrows(IllegalArgumentException.class,
                () -> SentinelUri.parse("redis-sentinel://u:hunter2@s1:x/m"));
        assertTrue(badPort.getMessage().contains("'s1:x' that is not host[:port]")
                && !badPort.getMessage().contains("hunter2"), badPort.getMessage());
        IllegalArgumentException badOption = assertThrows(IllegalArgumentException.class,
                () -> SentinelUri.parse("redis-sentinel://u:hunter2@s1/m?colour=red"));
        assertTrue(badOption.getMessage().contains("unknown option") && !badOption.getMessage().contains("hunter2"),
                badOption.getMessage());
    }
}
