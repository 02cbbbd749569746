package io.respin.client.async.sentinel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.respin.RedisConnectionException;
import io.respin.RedisServerException;
import io.respin.client.async.PubSubMessage;
import io.respin.client.async.Subscription;
import io.respin.engine.command.KeyValues;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import io.respin.client.async.RedisClient;
import io.respin.testkit.RedisServer;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What makes the client ask the sentinels again, without {@code +switch-master} (the fake sentinel never sends
 * one): a {@code READONLY} or {@code LOADING} reply from the node it is on, and the loss of its connection. Two standalone servers,
 * a and b; the fake sentinel names a, then b.
 */
class SentinelSignalsTest {

    RedisServer a;
    RedisServer b;
    FakeSentinel sentinel;
    RedisClient client;

    @BeforeEach
    void start() throws Exception {
        a = RedisServer.builder().start();
        b = RedisServer.builder().enableDebugCommand().start(); // DEBUG POPULATE: a data set that takes a while to load
        sentinel = new FakeSentinel("m", "127.0.0.1", a.port());
        client = RedisClient.builder("redis-sentinel://127.0.0.1:" + sentinel.port() + "/m").clientName("signals")
                .build();
        assertEquals("OK", client.async().set("k", "on-a").join());
        assertEquals("on-a", a.command("GET", "k"));
        for (int i = 0; i < 500 && sentinel.subscribed() == 0; i++) {
            Thread.sleep(10);
        }
        assertEquals(1, sentinel.subscribed(), "the client listens for +switch-master (and hears nothing)");
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        sentinel.close();
        a.close();
        b.close();
    }

    @Test
    void aReadOnlyReplyMakesTheClientAskTheSentinelsAndMove() throws Exception {
        // a failover the client hears nothing of: b is the primary now, a its replica
        sentinel.name("127.0.0.1", b.port());
        a.command("REPLICAOF", "127.0.0.1", Integer.toString(b.port()));
        int readOnly = 0;
        while (true) {
            try {
                client.async().set("k", "after").join();
                break;
            } catch (CompletionException e) {
                // READONLY, or the one written to a when the client moved (outcome unknown, never resent)
                assertTrue(e.getCause() instanceof RedisServerException r && r.prefix().equals("READONLY")
                        || e.getCause() instanceof RedisConnectionException c && c.outcomeUnknown()
                        && c.getMessage().contains("the server moved from"), String.valueOf(e.getCause()));
                assertTrue(++readOnly < 1000, "still READONLY after " + readOnly + " writes: the client did not move");
                Thread.sleep(5);
            }
        }
        assertEquals("after", b.command("GET", "k"));
        assertEquals(b.port(), client.endpoint().uri().port());
        awaitNoClientNamed(a, "signals");
    }

    @Test
    void aLoadingReplyMakesTheClientAskTheSentinelsAndMove() throws Exception {
        // a is demoted and resyncs from b, loading b's data slowly (key-load-delay): meanwhile it answers -LOADING
        b.command("DEBUG", "POPULATE", "20000", "big", "64");
        a.command("CONFIG", "SET", "key-load-delay", "200");
        a.command("CONFIG", "SET", "loading-process-events-interval-bytes", "1024");
        sentinel.name("127.0.0.1", b.port());
        a.command("REPLICAOF", "127.0.0.1", Integer.toString(b.port()));
        for (int i = 0; i < 1000 && !((String) a.command("INFO", "persistence")).contains("loading:1"); i++) {
            Thread.sleep(5);
        }
        assertTrue(((String) a.command("INFO", "persistence")).contains("loading:1"), "a is loading");
        // a read (a write would get READONLY first: a replica checks that before loading)
        CompletionException e = assertThrows(CompletionException.class, () -> client.async().get("k").join());
        assertTrue(e.getCause() instanceof RedisServerException r && r.prefix().equals("LOADING"),
                String.valueOf(e.getCause()));
        for (int i = 0; i < 1000 && client.endpoint().uri().port() != b.port(); i++) {
            Thread.sleep(5);
        }
        assertEquals(b.port(), client.endpoint().uri().port(), "the LOADING reply made the client ask the sentinel");
        assertEquals("OK", client.async().set("k", "after").join());
        assertEquals("after", b.command("GET", "k"));
        a.command("CONFIG", "SET", "key-load-delay", "0");
    }

    @Test
    void aSwitchMasterNamingANodeWhoseRoleSaysReplicaIsNotFollowed() throws Exception {
        b.command("REPLICAOF", "127.0.0.1", Integer.toString(a.port())); // b is a's replica, not a primary
        long roleOnB = SentinelDownSignalTest.roleCalls(b);
        int asked = sentinel.asked();
        sentinel.publish("+switch-master", "m 127.0.0.1 " + a.port() + " 127.0.0.1 " + b.port()); // a wrong signal
        for (int i = 0; i < 500 && sentinel.asked() == asked && client.endpoint().uri().port() == a.port(); i++) {
            Thread.sleep(10);
        }
        Thread.sleep(100);
        assertEquals(a.port(), client.endpoint().uri().port(), "still on a, which the sentinel names");
        assertTrue(SentinelDownSignalTest.roleCalls(b) > roleOnB, "the node the signal named was asked ROLE");
        assertTrue(sentinel.asked() > asked, "its ROLE said replica: the sentinels were asked instead");
        assertEquals("OK", client.async().set("k", "still-a").join());
        assertEquals("still-a", a.command("GET", "k"));
    }

    @Test
    void aLostConnectionMakesTheClientAskTheSentinelsAndMove() throws Exception {
        sentinel.name("127.0.0.1", b.port()); // a is still a primary: only asking the sentinels tells the client
        a.command("CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes");
        for (int i = 0; i < 1000 && client.endpoint().uri().port() != b.port(); i++) {
            Thread.sleep(5);
        }
        assertEquals(b.port(), client.endpoint().uri().port(), "the reconnect asked the sentinels");
        assertEquals("OK", client.async().set("k", "after").join());
        assertEquals("after", b.command("GET", "k"));
        assertEquals("on-a", a.command("GET", "k"));
        awaitNoClientNamed(a, "signals");
    }

    @Test
    void subscriptionsTransactionsAndBlockingCommandsMoveWithTheClient() throws Exception {
        LinkedBlockingQueue<PubSubMessage<String>> got = new LinkedBlockingQueue<>();
        try (Subscription news = client.subscribe(got::add, "news")) {
            CompletableFuture<KeyValues<String, String>> blocked = client.async().blpop(Duration.ofSeconds(30), "jobs");
            awaitBlocked(a);
            sentinel.name("127.0.0.1", b.port());
            a.command("CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes"); // every connection of the client on a
            CompletionException lost = assertThrows(CompletionException.class, blocked::join);
            assertTrue(lost.getCause() instanceof RedisConnectionException c && c.outcomeUnknown(),
                    String.valueOf(lost.getCause()));
            for (int i = 0; i < 1000 && client.endpoint().uri().port() != b.port(); i++) {
                Thread.sleep(5);
            }
            assertEquals(b.port(), client.endpoint().uri().port());
            awaitSubscribers(b, "news");
            b.command("PUBLISH", "news", "on-b");
            assertEquals("on-b", got.poll(10, TimeUnit.SECONDS).message(), "the subscription was restored on b");
            assertEquals(List.of("news"), news.names());
        }
        try (var tx = client.asyncTransaction()) {
            tx.watch("counter").join();
            tx.multi().join();
            tx.queue().incr("counter");
            assertEquals(List.of(1L), tx.exec().join().results());
        }
        assertEquals("1", b.command("GET", "counter"), "the transaction ran on b");
        CompletableFuture<KeyValues<String, String>> popped = client.async().blpop(Duration.ofSeconds(10), "jobs");
        awaitBlocked(b);
        b.command("RPUSH", "jobs", "j1");
        assertEquals("j1", popped.join().values().getFirst());
        assertEquals(null, a.command("GET", "counter"));
        awaitNoClientNamed(a, "signals");
    }

    private static void awaitBlocked(RedisServer s) throws InterruptedException {
        for (int i = 0; i < 1000; i++) {
            if (((String) s.command("INFO", "clients")).contains("blocked_clients:1")) {
                return;
            }
            Thread.sleep(5);
        }
        throw new AssertionError("no client blocked on " + s);
    }

    private static void awaitSubscribers(RedisServer s, String channel) throws InterruptedException {
        for (int i = 0; i < 1000; i++) {
            if ((Long) ((List<?>) s.command("PUBSUB", "NUMSUB", channel)).get(1) > 0) {
                return;
            }
            Thread.sleep(5);
        }
        throw new AssertionError("nobody subscribed to " + channel + " on " + s);
    }

    static void awaitNoClientNamed(RedisServer s, String name) throws InterruptedException {
        for (int i = 0; i < 500 && SentinelFailoverTest.clientsNamed(s, name) > 0; i++) {
            Thread.sleep(10);
        }
        assertEquals(0, SentinelFailoverTest.clientsNamed(s, name), "connections left on " + s);
    }
}
