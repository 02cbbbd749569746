package io.respin.client.async.sentinel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.respin.client.async.RedisClient;
import io.respin.testkit.RedisSentinel;
import io.respin.testkit.RedisServer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The early signals {@code +sdown} / {@code -sdown} of the primary, from real sentinels, and the stale-sentinel
 * guard. The primary is made unresponsive with SIGSTOP (its sockets stay open: the client's connection is not lost),
 * so the sentinels publish {@code +sdown} after {@code down-after-milliseconds} (300 ms); their quorum is 4 of 3, so
 * they never agree on {@code +odown} and never fail over by themselves: whatever moves the client is the signal and
 * the replicas' own {@code ROLE}. The ROLE questions are counted by the replicas ({@code INFO commandstats}).
 */
class SentinelDownSignalTest {

    RedisServer primary;
    List<RedisServer> replicas;
    RedisSentinel sentinels;
    RedisClient client;
    boolean stopped;

    @BeforeEach
    void start() throws Exception {
        primary = RedisServer.builder().start();
        replicas = List.of(RedisServer.replicaOf(primary), RedisServer.replicaOf(primary));
        sentinels = RedisSentinel.builder(primary).replicas(2).sentinels(3).quorum(4)
                .downAfter(Duration.ofMillis(300)).start();
        client = RedisClient.builder("redis-sentinel://" + String.join(",", sentinels.seeds()) + "/"
                + sentinels.masterName()).clientName("watchful").build();
        assertEquals("OK", client.async().set("k", "on-primary").join());
        awaitSubscribed();
    }

    @AfterEach
    void stop() throws Exception {
        if (stopped) {
            signal("CONT", primary);
        }
        client.close();
        sentinels.close();
        replicas.forEach(RedisServer::close);
        primary.close();
    }

    @Test
    void anSdownMakesTheClientPollTheReplicasAndMoveToThePromotedOne() throws Exception {
        RedisServer promoted = replicas.get(0);
        promoted.command("REPLICAOF", "NO", "ONE"); // a promotion nobody announces
        Thread.sleep(200);
        assertEquals(primary.port(), port(), "without a signal the client has no reason to look");
        long before = roleCalls(promoted);

        signal("STOP", primary); // the sentinels see no PING reply: +sdown after 300 ms
        awaitPort(promoted.port());

        assertTrue(roleCalls(promoted) > before, "the client asked the replica ROLE");
        assertEquals(primary.port(), sentinels.primaryPort(), "no sentinel named the replica: no +switch-master");
        assertEquals("OK", client.async().set("k", "on-promoted").join());
        assertEquals("on-promoted", promoted.command("GET", "k"));
    }

    @Test
    void aStaleSentinelNamingTheOldPrimaryDoesNotMoveTheClientBack() throws Exception {
        RedisServer promoted = replicas.get(0);
        promoted.command("REPLICAOF", "NO", "ONE");
        signal("STOP", primary);
        awaitPort(promoted.port());
        signal("CONT", primary); // the old primary answers again, still as a primary; every sentinel still names it
        awaitFlags(false);
        assertEquals(primary.port(), sentinels.primaryPort());
        long guardAsked = roleCalls(promoted);
        long oldAsked = roleCalls(primary);

        // the client's connections on the promoted node are lost: the reconnect asks the sentinels, which all name
        // the old primary; the guard asks the promoted node ROLE (still the primary) and passes their answer over
        promoted.command("CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes");
        for (int i = 0; i < 500 && roleCalls(promoted) == guardAsked && port() == promoted.port(); i++) {
            Thread.sleep(10);
        }
        Thread.sleep(300);
        assertEquals(promoted.port(), port(), "the stale sentinels' answer (the old primary) was passed over");
        assertTrue(roleCalls(promoted) > guardAsked, "the reconnect asked the sentinels, the guard asked ROLE");
        assertEquals(oldAsked, roleCalls(primary), "the old primary was not even asked ROLE");
        assertEquals(promoted.port(), port(), "the stale sentinels' answer (the old primary) was passed over");
        assertEquals("OK", client.async().set("after", "v").join());
        assertEquals("v", promoted.command("GET", "after"));
        assertNull(primary.command("GET", "after"), "nothing written to the old primary");
        assertEquals(0, SentinelFailoverTest.clientsNamed(primary, "watchful"), "no connection on the old primary");
    }

    @Test
    void anSdownEndedByMinusSdownStopsThePolling() throws Exception {
        long before = roleCalls(replicas.get(0));
        signal("STOP", primary);
        for (int i = 0; i < 500 && roleCalls(replicas.get(0)) < before + 5; i++) {
            Thread.sleep(10);
        }
        assertTrue(roleCalls(replicas.get(0)) >= before + 5, "the +sdown made the client poll the replicas");
        signal("CONT", primary); // -sdown
        awaitFlags(false);
        Thread.sleep(200); // the -sdown reaches the client
        long polled = roleCalls(replicas.get(0)) + roleCalls(replicas.get(1));
        Thread.sleep(500); // 20 polls' worth
        assertEquals(polled, roleCalls(replicas.get(0)) + roleCalls(replicas.get(1)), "no ROLE after -sdown");
        assertEquals(primary.port(), port());
        assertEquals("OK", client.async().set("k", "still-here").join());
        assertEquals("still-here", primary.command("GET", "k"));
    }

    private int port() {
        return client.endpoint().uri().port();
    }

    private void awaitPort(int port) throws InterruptedException {
        for (int i = 0; i < 1000 && port() != port; i++) {
            Thread.sleep(10);
        }
        assertEquals(port, port(), "the client moved");
    }

    /** Waits until every sentinel reports the primary subjectively down ({@code s_down}) or not. */
    private void awaitFlags(boolean down) throws InterruptedException {
        for (int i = 0; i < 1000; i++) {
            boolean all = true;
            for (RedisServer s : sentinels.sentinels()) {
                List<?> f = (List<?>) s.command("SENTINEL", "MASTER", sentinels.masterName());
                all &= f.get(f.indexOf("flags") + 1).toString().contains("s_down") == down;
            }
            if (all) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("the sentinels do not agree the primary is " + (down ? "down" : "up"));
    }

    private void awaitSubscribed() throws InterruptedException {
        for (int i = 0; i < 500; i++) {
            for (RedisServer s : sentinels.sentinels()) {
                if (((String) s.command("CLIENT", "LIST")).contains(" sub=7 ")) {
                    return;
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError("the client did not subscribe to the sentinel events");
    }

    /** {@code ROLE} commands {@code s} has run ({@code INFO commandstats}). */
    static long roleCalls(RedisServer s) {
        return calls(s, "role");
    }

    static long calls(RedisServer s, String command) {
        long n = 0;
        for (String line : ((String) s.command("INFO", "commandstats")).split("\r?\n")) {
            if (line.startsWith("cmdstat_" + command + ":calls=") || line.startsWith("cmdstat_" + command + "|")) {
                n += Long.parseLong(line.substring(line.indexOf('=') + 1, line.indexOf(',')));
            }
        }
        return n;
    }

    private void signal(String sig, RedisServer s) throws Exception {
        Process p = new ProcessBuilder("kill", "-" + sig, Long.toString(s.pid())).inheritIO().start();
        assertEquals(0, p.waitFor());
        stopped = sig.equals("STOP");
    }
}
