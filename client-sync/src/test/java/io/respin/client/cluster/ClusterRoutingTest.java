package io.respin.client.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.respin.RedisConnectionException;
import io.respin.RedisServerException;
import io.respin.client.RedisClient;
import io.respin.engine.cluster.Slots;
import io.respin.engine.command.ZAddArgs;
import io.respin.engine.resp.Reply;
import io.respin.testkit.RedisCluster;
import io.respin.testkit.RedisServer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A cluster client on a real 3 primaries + 3 replicas cluster: every family's commands reach the node that owns
 * their key (checked by asking that node directly, bypassing the client), hash tags keep keys together, keyless
 * commands run, and bootstrap says clearly what is wrong with the seeds.
 */
class ClusterRoutingTest {
    private static RedisCluster cluster;
    private static RedisClient client;

    @BeforeAll
    static void start() {
        cluster = RedisCluster.builder().primaries(3).replicasPerPrimary(1).start();
        client = RedisClient.create("redis-cluster://" + String.join(",", cluster.seeds()));
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @BeforeEach
    void flush() {
        cluster.flushAll();
    }

    /** Keys spread over every primary: 300 keys hit all three with near certainty (CRC16 is uniform). */
    private static List<String> keys(String prefix, int n) {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            keys.add(prefix + i);
        }
        return keys;
    }

    /**
     * Many typed async commands outstanding from one thread, each with its own key and value: every one keeps its
     * own arguments and its own reply (a cluster call holds its command through redirects, so the command must not
     * be built in a scratch that the thread's next command reuses).
     */
    @Test
    void manyOutstandingAsyncCommandsFromOneThreadKeepTheirOwnArgumentsAndReplies() throws Exception {
        int n = 2_000;
        List<CompletableFuture<String>> sets = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            sets.add(client.async().set("out:" + i, "v" + i));
        }
        for (CompletableFuture<String> f : sets) {
            assertEquals("OK", f.get(30, TimeUnit.SECONDS));
        }
        List<CompletableFuture<String>> gets = new ArrayList<>();
        List<CompletableFuture<Long>> lens = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            gets.add(client.async().get("out:" + i));
            lens.add(client.async().strlen("out:" + i));
        }
        for (int i = 0; i < n; i++) {
            assertEquals("v" + i, gets.get(i).get(30, TimeUnit.SECONDS), "GET out:" + i);
            assertEquals(("v" + i).length(), lens.get(i).get(30, TimeUnit.SECONDS), "STRLEN out:" + i);
            // and it was stored on the key's owner under its own name
            assertEquals("v" + i, String.valueOf(cluster.primaryForKey("out:" + i).command("GET", "out:" + i)), "out:" + i);
        }
    }

    /** MOVED replies the nodes have sent so far (their own count, INFO errorstats). */
    static long movedSoFar(RedisCluster cluster) {
        return errorsSoFar(cluster, "MOVED");
    }

    /** Error replies with this prefix that the live nodes have sent so far (INFO errorstats). */
    static long errorsSoFar(RedisCluster cluster, String prefix) {
        long n = 0;
        for (RedisServer node : cluster.nodes()) {
            if (node.isAlive()) {
                for (String line : node.info("errorstats").split("\r?\n")) {
                    if (line.startsWith("errorstat_" + prefix + ":count=")) {
                        n += Long.parseLong(line.substring(("errorstat_" + prefix + ":count=").length()).split(",")[0]);
                    }
                }
            }
        }
        return n;
    }

    private static Object onOwner(String key, String... command) {
        return cluster.primaryForKey(key).command(command);
    }

    @Test
    void stringsGoToTheOwnerOfTheirKeySyncAndAsync() {
        var sync = client.sync();
        var async = client.async();
        Set<Integer> owners = new HashSet<>();
        long moved = movedSoFar(cluster);
        for (String k : keys("s:", 300)) {
            owners.add(cluster.primaryForKey(k).port());
            sync.set(k, "v-" + k);
            assertEquals("v-" + k, onOwner(k, "GET", k), k);
            assertEquals(1L, async.incr(k + ":n").join());
            assertEquals("1", onOwner(k + ":n", "GET", k + ":n"));
            assertEquals("v-" + k, async.get(k).join());
        }
        assertEquals(3, owners.size(), "the keys should cover every primary");
        assertEquals(moved, movedSoFar(cluster), "every command went straight to its owner, none was redirected");
    }

    @Test
    void everyFamilyRoutes() {
        var r = client.sync();
        long moved = movedSoFar(cluster);
        for (String k : keys("f:", 60)) {
            r.hset(k + ":h", Map.of("a", "1"));
            assertEquals("1", onOwner(k + ":h", "HGET", k + ":h", "a"));
            r.rpush(k + ":l", "x", "y");
            assertEquals(2L, onOwner(k + ":l", "LLEN", k + ":l"));
            r.sadd(k + ":s", "m");
            assertEquals(1L, onOwner(k + ":s", "SCARD", k + ":s"));
            r.zadd(k + ":z", new ZAddArgs(), Map.of("a", 1.0));
            assertEquals(1L, onOwner(k + ":z", "ZCARD", k + ":z"));
            r.execute("XADD", k + ":x", "*", "f", "v");
            assertEquals(1L, onOwner(k + ":x", "XLEN", k + ":x"));
            r.expire(k + ":h", java.time.Duration.ofSeconds(100));
            assertTrue((Long) onOwner(k + ":h", "TTL", k + ":h") > 0);
            assertEquals(List.of("x", "y"), r.lrange(k + ":l", 0, -1));
            assertEquals(Map.of("a", "1"), r.hgetall(k + ":h"));
            Reply e = r.execute("EVAL", "return redis.call('HGET', KEYS[1], 'a')", "1", k + ":h");
            assertEquals("1", e.asString());
        }
        assertEquals(moved, movedSoFar(cluster), "every command went straight to its owner, none was redirected");
    }

    @Test
    void hashTagsKeepKeysInOneSlotSoMultiKeyCommandsRun() {
        var r = client.sync();
        for (int i = 0; i < 30; i++) {
            String a = "{user:" + i + "}:a";
            String b = "{user:" + i + "}:b";
            assertEquals(Slots.slot(a), Slots.slot(b));
            r.mset(Map.of(a, "1", b, "2"));
            assertEquals(java.util.Arrays.asList("1", "2"), r.mget(a, b));
            assertEquals("2", onOwner(b, "GET", b));
            r.rpush(a + ":l", "x");
            assertEquals("x", r.lmove(a + ":l", b + ":l", io.respin.engine.command.ListEnd.LEFT,
                    io.respin.engine.command.ListEnd.LEFT));
            assertEquals(1L, onOwner(b, "LLEN", b + ":l"));
        }
    }

    @Test
    void keylessCommandsRunOnSomeNode() {
        var r = client.sync();
        assertEquals("PONG", r.ping());
        assertTrue(r.info("server").containsKey("redis_version"));
        assertEquals("PONG", client.async().ping().join());
    }

    @Test
    void aCommandWithKeysInSeveralSlotsIsRefusedNamingTheSlots() {
        String a = "a";
        String b = "b";
        var e = assertThrows(RedisServerException.class, () -> client.sync().execute("SINTER", a, b));
        assertEquals("CROSSSLOT", e.prefix());
        assertTrue(e.getMessage().contains("[" + Math.min(Slots.slot(a), Slots.slot(b)) + ", "
                + Math.max(Slots.slot(a), Slots.slot(b)) + "]"), e.getMessage());
        var f = assertThrows(CompletionException.class, () -> client.async().execute("SINTER", a, b).join());
        assertEquals("CROSSSLOT", ((RedisServerException) f.getCause()).prefix());
    }

    @Test
    void manyAsyncCommandsFromManyThreadsAllLand() throws Exception {
        List<CompletableFuture<Long>> futures = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            futures.add(client.async().incr("c:" + (i % 100)));
        }
        try {
            CompletableFuture.allOf(futures.toArray(new CompletableFuture<?>[0])).get(30, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            long done = futures.stream().filter(CompletableFuture::isDone).count();
            StringBuilder st = new StringBuilder();
            long sum = 0;
            for (int i = 0; i < 100; i++) {
                Object v = onOwner("c:" + i, "GET", "c:" + i);
                sum += v == null ? 0 : Long.parseLong(v.toString());
            }
            futures.stream().filter(CompletableFuture::isCompletedExceptionally).limit(3)
                    .forEach(x -> st.append('\n').append(x.exceptionNow()));
            fail(done + " of " + futures.size() + " INCRs ended within 30 s; the servers ran " + sum + st);
        }
        for (int i = 0; i < 100; i++) {
            assertEquals("50", onOwner("c:" + i, "GET", "c:" + i));
        }
    }

    /** Calls of {@code command} the node has run (INFO commandstats). */
    private static long calls(RedisServer node, String command) {
        for (String line : node.info("commandstats").split("\\r?\\n")) {
            if (line.startsWith("cmdstat_" + command + ":calls=")) {
                return Long.parseLong(line.substring(("cmdstat_" + command + ":calls=").length()).split(",")[0]);
            }
        }
        return 0;
    }

    @Test
    void readsGoToReplicasWhenAskedAndWritesStayOnPrimaries() throws InterruptedException {
        try (RedisClient r = RedisClient.builder("redis-cluster://" + String.join(",", cluster.seeds()))
                .clusterReadFrom(io.respin.client.async.ReadFrom.REPLICA_PREFERRED).build()) {
            String k = "replica-read";
            r.sync().set(k, "v");
            RedisServer primary = cluster.primaryForKey(k);
            RedisServer replica = cluster.nodes().stream().filter(n -> n.info("replication")
                    .contains("master_port:" + primary.port())).findFirst().orElseThrow();
            long deadline = System.nanoTime() + 10_000_000_000L;
            long before = calls(replica, "get");
            while (calls(replica, "get") == before) { // the replica's connection opens in the background
                assertTrue(System.nanoTime() < deadline, "no read reached the replica: " + replica.info("commandstats")
                        + replica.info("errorstats"));
                r.sync().get(k);
                Thread.sleep(10);
            }
            long primaryGets = calls(primary, "get");
            long replicaGets = calls(replica, "get");
            long primarySets = calls(primary, "set");
            for (int i = 0; i < 100; i++) {
                assertEquals("v", r.sync().get(k));
                assertEquals("v", r.async().get(k).join());
            }
            r.sync().set(k, "w");
            assertEquals(primaryGets, calls(primary, "get"), "no read went to the primary");
            assertEquals(replicaGets + 200, calls(replica, "get"), "every read went to the replica");
            assertEquals(primarySets + 1, calls(primary, "set"), "the write went to the primary");
        }
    }

    @Test
    void cancellingABlockingCommandStopsItOnItsNodeAndPopsNothing() throws Exception {
        String q = "cancel:q";
        RedisServer owner = cluster.primaryForKey(q);
        var pop = client.async().blpop(java.time.Duration.ZERO, q);
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!((String) owner.command("CLIENT", "LIST")).contains("cmd=blpop")) { // it is blocked on the owner
            assertTrue(System.nanoTime() < deadline, "BLPOP never reached the key's owner");
            Thread.sleep(10);
        }
        assertTrue(pop.cancel(true));
        while (((String) owner.command("CLIENT", "LIST")).contains("cmd=blpop")) { // its connection is closed
            assertTrue(System.nanoTime() < deadline, "the cancelled BLPOP still blocks on the server");
            Thread.sleep(10);
        }
        owner.command("RPUSH", q, "v");
        assertEquals(1L, owner.command("LLEN", q), "the element was not popped by the cancelled BLPOP");
        assertEquals(List.of("v"), client.async().blpop(java.time.Duration.ofSeconds(2), q).join().values());
    }

    @Test
    void aDeadSeedBeforeALiveOneIsSkipped() {
        int dead = RedisServer.freePort();
        try (RedisClient c = RedisClient.create("redis-cluster://127.0.0.1:" + dead + "," + cluster.seeds().get(2))) {
            c.sync().set("seeded", "yes");
            assertEquals("yes", onOwner("seeded", "GET", "seeded"));
        }
    }

    @Test
    void theBuilderTakesSeedNodes() {
        try (RedisClient c = RedisClient.builder("redis://127.0.0.1:1").clusterSeeds(cluster.seeds().get(4)).build()) {
            c.sync().set("built", "yes");
            assertEquals("yes", onOwner("built", "GET", "built"));
        }
    }

    @Test
    void aSeedThatIsNotAClusterNodeIsAClearError() {
        try (RedisServer standalone = RedisServer.builder().start()) {
            var e = assertThrows(RedisConnectionException.class,
                    () -> RedisClient.create("redis-cluster://" + standalone.hostAndPort()));
            assertTrue(e.getMessage().contains("cluster support disabled"), e.getMessage());
            assertTrue(e.getMessage().contains("redis:// URI"), e.getMessage());
            assertTrue(e.getMessage().contains(standalone.hostAndPort()), e.getMessage());
        }
    }

    @Test
    void noReachableSeedIsAClearError() {
        int dead = RedisServer.freePort();
        var e = assertThrows(RedisConnectionException.class,
                () -> RedisClient.create("redis-cluster://127.0.0.1:" + dead));
        assertTrue(e.getMessage().contains("127.0.0.1:" + dead), e.getMessage());
        assertTrue(e.getMessage().contains("redis-cluster:// URI"), e.getMessage());
    }
}
