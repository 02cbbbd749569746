package io.respin.client.async.sentinel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.respin.RedisConnectionException;
import io.respin.client.async.PubSubMessage;
import io.respin.client.async.RedisClient;
import io.respin.client.async.Subscription;
import io.respin.client.async.TransactionResult;
import io.respin.testkit.FaultProxy;
import io.respin.testkit.RedisSentinel;
import io.respin.testkit.RedisServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Finding the primary through real sentinels (1 primary, 2 replicas, 3 sentinels) with {@code redis-sentinel://}:
 * normal use, a dead or silent sentinel first, all sentinels down, a wrong master name, a sentinel that names a
 * replica. Nothing here fails over; {@link SentinelFailoverTest} does.
 */
class SentinelDiscoveryClientTest {

    static RedisServer primary;
    static List<RedisServer> replicas;
    static RedisSentinel sentinels;

    @BeforeAll
    static void start() {
        primary = RedisServer.builder().start();
        replicas = List.of(RedisServer.replicaOf(primary), RedisServer.replicaOf(primary));
        sentinels = RedisSentinel.builder(primary).replicas(2).sentinels(3).start();
    }

    @AfterAll
    static void stop() {
        sentinels.close();
        replicas.forEach(RedisServer::close);
        primary.close();
    }

    static String uri(String... seeds) {
        return "redis-sentinel://" + String.join(",", seeds) + "/" + sentinels.masterName();
    }

    static String allSeeds() {
        return uri(sentinels.seeds().toArray(String[]::new));
    }

    @Test
    void commandsPipelinesTransactionsAndPubSubGoToThePrimary() throws Exception {
        try (RedisClient client = RedisClient.builder(allSeeds()).clientName("sentinel-normal").build()) {
            var redis = client.async();
            assertEquals("OK", redis.set("s:greeting", "hello").join());
            assertEquals("hello", primary.command("GET", "s:greeting"), "written on the primary");
            assertEquals(1L, redis.incr("s:n").join());
            var p = client.pipeline();
            var a = p.incr("s:n");
            var b = p.get("s:greeting");
            p.awaitAll();
            assertEquals(2L, a.join());
            assertEquals("hello", b.join());
            try (var tx = client.asyncTransaction()) {
                tx.multi().join();
                tx.queue().incr("s:n");
                TransactionResult r = tx.exec().join();
                assertEquals(List.of(3L), r.results());
            }
            LinkedBlockingQueue<PubSubMessage<String>> got = new LinkedBlockingQueue<>();
            try (Subscription s = client.subscribe(got::add, "s:news")) {
                assertEquals(1L, primary.command("PUBLISH", "s:news", "hi"));
                assertEquals("hi", got.poll(10, TimeUnit.SECONDS).message());
                assertEquals(List.of("s:news"), s.names());
            }
            String clients = (String) primary.command("CLIENT", "LIST");
            assertTrue(clients.contains("name=sentinel-normal"), clients);
        }
    }

    @Test
    void aDeadSentinelAndASilentOneAtStartArePassedOver() throws IOException {
        // a sentinel that accepts connections and never answers costs the sentinel timeout, not a hang
        try (FaultProxy silent = FaultProxy.start("127.0.0.1", sentinels.sentinels().get(0).port())) {
            silent.stall(FaultProxy.Direction.TO_CLIENT);
            String dead = "127.0.0.1:" + closedPort();
            List<String> seeds = new java.util.ArrayList<>(List.of(dead, "127.0.0.1:" + silent.port()));
            seeds.addAll(sentinels.seeds());
            try (RedisClient client = RedisClient.builder(uri(seeds.toArray(String[]::new)))
                    .sentinelTimeout(java.time.Duration.ofMillis(200)).build()) {
                assertEquals("OK", client.async().set("s:dead-first", "1").join());
                assertEquals("1", primary.command("GET", "s:dead-first"));
            }
        }
    }

    @Test
    void allSentinelsDownIsAClearErrorNamingEach() throws IOException {
        String a = "127.0.0.1:" + closedPort();
        String b = "127.0.0.1:" + closedPort();
        RedisConnectionException e = assertThrows(RedisConnectionException.class, () -> RedisClient.create(uri(a, b)));
        assertTrue(e.getMessage().contains("no sentinel gave a usable primary for '" + sentinels.masterName() + "'")
                && e.getMessage().contains(a + " (refused)") && e.getMessage().contains(b + " (refused)")
                && e.getMessage().contains("check the sentinel addresses in the redis-sentinel:// URI"), e.getMessage());
    }

    @Test
    void aWrongMasterNameIsAClearError() {
        String seeds = String.join(",", sentinels.seeds());
        RedisConnectionException e = assertThrows(RedisConnectionException.class,
                () -> RedisClient.create("redis-sentinel://" + seeds + "/nosuch"));
        assertTrue(e.getMessage().contains("no sentinel knows a master named 'nosuch'")
                && e.getMessage().contains("check the master name"), e.getMessage());
    }

    @Test
    void aSentinelThatNamesAReplicaIsCaughtByTheRoleCheck() throws IOException {
        try (FakeSentinel stale = new FakeSentinel(sentinels.masterName(), "127.0.0.1", replicas.get(0).port())) {
            List<String> seeds = new java.util.ArrayList<>(List.of("127.0.0.1:" + stale.port()));
            seeds.addAll(sentinels.seeds());
            try (RedisClient client = RedisClient.create(uri(seeds.toArray(String[]::new)))) {
                assertEquals("OK", client.async().set("s:stale", "v").join(), "not READONLY: it is on the primary");
                assertEquals("v", primary.command("GET", "s:stale"));
            }
            assertTrue(stale.asked() > 0, "the stale sentinel was asked first");
        }
        // alone, it names nothing usable: discovery says what the node is
        try (FakeSentinel stale = new FakeSentinel(sentinels.masterName(), "127.0.0.1", replicas.get(0).port())) {
            RedisConnectionException e = assertThrows(RedisConnectionException.class,
                    () -> RedisClient.create(uri("127.0.0.1:" + stale.port())));
            assertTrue(e.getMessage().contains("but it says it is a replica of 127.0.0.1:" + primary.port()),
                    e.getMessage());
        }
    }

    @Test
    void aSentinelThatNamesAReplicaIsAskedAgainUntilItNamesThePrimary() throws Exception {
        // one sentinel, behind on a failover: it names a replica for a while; discovery waits a little and starts over
        try (FakeSentinel behind = new FakeSentinel(sentinels.masterName(), "127.0.0.1", replicas.get(0).port())) {
            Thread catchUp = Thread.ofPlatform().start(() -> {
                try {
                    Thread.sleep(350);
                } catch (InterruptedException e) {
                    return;
                }
                behind.name("127.0.0.1", primary.port());
            });
            try (RedisClient client = RedisClient.create(uri("127.0.0.1:" + behind.port()))) {
                assertEquals("OK", client.async().set("s:behind", "v").join());
                assertEquals("v", primary.command("GET", "s:behind"));
            }
            catchUp.join();
            assertTrue(behind.asked() >= 3, "asked round after round (100 ms apart): " + behind.asked());
        }
    }

    @Test
    void theSentinelListIsLearnedFromTheSentinelsAndUsedWhenTheSeedIsGone() throws Exception {
        // the only seed is a proxy to sentinel 0: the others are known only from SENTINEL sentinels
        FaultProxy seed = FaultProxy.start("127.0.0.1", sentinels.sentinels().get(0).port());
        try (RedisClient client = RedisClient.builder(uri("127.0.0.1:" + seed.port())).clientName("learner").build()) {
            assertEquals("OK", client.async().set("s:learned", "1").join());
            awaitSubscriber(seed.port(), true);
            seed.close(); // the seed is gone, with the client's event subscription on it
            // the follower subscribes again on a sentinel it learned: sentinel 1 or 2, which no URI named
            for (int i = 0; i < 500 && subscribers(1) + subscribers(2) == 0; i++) {
                Thread.sleep(10);
            }
            assertEquals(1, subscribers(1) + subscribers(2), "subscribed on a learned sentinel");
            assertEquals("OK", client.async().set("s:learned", "2").join());
            assertEquals("2", primary.command("GET", "s:learned"));
        } finally {
            seed.close();
        }
    }

    private void awaitSubscriber(int viaProxy, boolean on) throws InterruptedException {
        for (int i = 0; i < 500 && (subscribers(0) > 0) != on; i++) {
            Thread.sleep(10);
        }
        assertEquals(on, subscribers(0) > 0, "the client's subscription on sentinel 0 (through the proxy " + viaProxy + ")");
    }

    /** Connections on sentinel {@code i} subscribed to the 7 event channels. */
    private static long subscribers(int i) {
        return java.util.Arrays.stream(((String) sentinels.sentinels().get(i).command("CLIENT", "LIST")).split("\n"))
                .filter(l -> l.contains(" sub=7 ")).count();
    }

    static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
