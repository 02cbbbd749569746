package io.respin.engine.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.respin.RedisRedirectException;
import io.respin.RedisServerException;
import io.respin.engine.cluster.Redirects.Ask;
import io.respin.engine.cluster.Redirects.Decision;
import io.respin.engine.cluster.Redirects.GiveUp;
import io.respin.engine.cluster.Redirects.Moved;
import io.respin.engine.cluster.Redirects.NotARedirect;
import io.respin.engine.cluster.Redirects.Policy;
import io.respin.engine.cluster.Redirects.Retry;
import org.junit.jupiter.api.Test;

/** The decision for each kind of error reply, the redirect bound, the backoff and the deadline. */
class RedirectsTest {
    private static final long MS = 1_000_000L;
    private static final Policy POLICY = Policy.DEFAULT;

    private static Decision decide(String error, int soFar) {
        return Redirects.decide(error, "10.0.0.1", soFar, 0, Long.MAX_VALUE, POLICY);
    }

    @Test
    void movedUpdatesTheMapAndResends() {
        assertEquals(new Moved(3999, "10.0.0.7", 6381), decide("MOVED 3999 10.0.0.7:6381", 0));
        Moved m = (Moved) decide("MOVED 100 10.0.0.2:7001", 1);
        SlotMap before = SlotMapTest.twoShards(1);
        SlotMap after = m.apply(before);
        assertEquals(SlotMapTest.P2, after.primary(100));
        assertEquals(SlotMapTest.P1, before.primary(100));
        // IPv6 and a host the server left out (the sender's own)
        assertEquals(new Moved(1, "::1", 7000), decide("MOVED 1 ::1:7000", 0));
        assertEquals(new Moved(2, "10.0.0.1", 7002), decide("MOVED 2 :7002", 0));
    }

    @Test
    void askGoesToTheTargetWithoutChangingTheMap() {
        assertEquals(new Ask(3999, "10.0.0.7", 6381), decide("ASK 3999 10.0.0.7:6381", 0));
        assertEquals(new Ask(5, "10.0.0.1", 6381), decide("ASK 5 :6381", 4));
    }

    @Test
    void tryAgainAndClusterDownRetryWithBackoff() {
        assertEquals(new Retry(10 * MS), decide("TRYAGAIN Multiple keys request during rehashing of slot", 0));
        assertEquals(new Retry(20 * MS), decide("CLUSTERDOWN The cluster is down", 1));
        assertEquals(new Retry(40 * MS), decide("CLUSTERDOWN Hash slot not served", 2));
        assertEquals(500 * MS, POLICY.backoffNanos(6));
        assertEquals(500 * MS, POLICY.backoffNanos(1000));
        Policy p = new Policy(100, 3 * MS, 50 * MS);
        assertEquals(3 * MS, p.backoffNanos(0));
        assertEquals(48 * MS, p.backoffNanos(4));
        assertEquals(50 * MS, p.backoffNanos(5));
    }

    @Test
    void aRetryThatWouldPassTheDeadlineGivesUp() {
        long now = -5_000 * MS; // nanoTime values may be negative
        assertEquals(new Retry(10 * MS), Redirects.decide("TRYAGAIN x", "h", 0, now, now + 10 * MS, POLICY));
        Decision d = Redirects.decide("TRYAGAIN x", "h", 0, now, now + 9 * MS, POLICY);
        assertTrue(((GiveUp) d).message().startsWith("TRYAGAIN x (the command's deadline"), d.toString());
        // Long.MAX_VALUE: no deadline, whatever the clock reads
        assertInstanceOf(Retry.class, Redirects.decide("CLUSTERDOWN y", "h", 0, now, Long.MAX_VALUE, POLICY));
        assertInstanceOf(Retry.class, Redirects.decide("CLUSTERDOWN y", "h", 0, Long.MAX_VALUE - 1, Long.MAX_VALUE, POLICY));
    }

    @Test
    void redirectsPerCommandAreBounded() {
        assertInstanceOf(Moved.class, decide("MOVED 1 h:1", 4));
        for (String error : new String[] {"MOVED 1 h:1", "ASK 1 h:1", "TRYAGAIN", "CLUSTERDOWN The cluster is down"}) {
            GiveUp g = (GiveUp) decide(error, 5);
            assertTrue(g.message().startsWith(error + " (after 5 redirects"), g.message());
        }
        assertInstanceOf(GiveUp.class, Redirects.decide("MOVED 1 h:1", "h", 0, 0, 0, new Policy(0, 0, 0)));
        assertThrows(IllegalArgumentException.class, () -> new Policy(-1, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new Policy(1, 10, 5));
    }

    @Test
    void everythingElseIsTheCommandsAnswer() {
        for (String error : new String[] {"ERR unknown command", "WRONGTYPE Operation against a key",
            "CROSSSLOT Keys in request don't hash to the same slot", "MOVED", "MOVED x h:1", "MOVED 1 h",
            "MOVED 16384 h:1", "MOVED -1 h:1", "ASK 1 h:0", "MOVEDX 1 h:1", "LOADING Redis is loading", ""}) {
            assertSame(decide(error, 0), decide(error, 9), error);
            assertInstanceOf(NotARedirect.class, decide(error, 0), error);
        }
    }

    @Test
    void exceptionsDecideAsTheirMessages() {
        var moved = new RedisRedirectException("MOVED 7 10.0.0.3:7002",
                RedisRedirectException.parse("MOVED 7 10.0.0.3:7002"));
        assertEquals(new Moved(7, "10.0.0.3", 7002), Redirects.decide(moved, "h", 0, 0, Long.MAX_VALUE, POLICY));
        assertInstanceOf(NotARedirect.class,
                Redirects.decide(new RedisServerException("ERR no"), "h", 0, 0, Long.MAX_VALUE, POLICY));
    }
}
