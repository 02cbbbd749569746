package io.respin.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.respin.RedisServerException;
import io.respin.client.async.Subscription;
import io.respin.engine.resp.Reply;
import io.respin.testkit.RedisServer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The typed methods added for the commands the first coverage report listed as missing: deprecated aliases
 * (SUBSTR, BRPOPLPUSH, GEORADIUS*), BITFIELD, SORT_RO, OBJECT FREQ/REFCOUNT, GEOSEARCHSTORE, shard pub/sub
 * introspection, FUNCTION DUMP/RESTORE/STATS, CLIENT, ACL, MEMORY, LATENCY, COMMAND and server administration.
 * Each against a real server, on RESP2 and RESP3 (maps come as flat arrays on RESP2 and must decode the same).
 */
class MoreCommandsTest {

    @ParameterizedTest(name = "RESP{0}")
    @ValueSource(ints = {2, 3})
    void stringsListsKeysAndGeo(int resp) {
        var r = Redis.client(resp).sync();
        String k = "more:" + resp + ":";
        r.del(k + "s", k + "bits", k + "l", k + "l2", k + "sort", k + "geo", k + "near");
        r.set(k + "s", "Hello World");
        assertEquals("World", r.substr(k + "s", 6, -1));

        assertEquals(Arrays.asList(0L, 200L, 44L),
                r.bitfield(k + "bits", "SET", "u8", "0", "200", "GET", "u8", "0", "INCRBY", "u8", "0", "100"),
                "INCRBY wraps by default");
        assertEquals(Arrays.asList((Long) null), r.bitfield(k + "bits", "OVERFLOW", "FAIL", "INCRBY", "u8", "0", "250"),
                "an overflow under FAIL is null");
        assertEquals(List.of(44L, 0L), r.bitfieldRo(k + "bits", "GET", "u8", "0", "GET", "u4", "8"));
        var readOnly = assertThrows(RedisServerException.class, () -> r.bitfieldRo(k + "bits", "SET", "u8", "0", "1"));
        assertEquals("ERR", readOnly.prefix(), readOnly.getMessage());

        r.rpush(k + "l", "a", "b");
        assertEquals("b", r.brpoplpush(k + "l", k + "l2", Duration.ofSeconds(1)));
        assertEquals(List.of("b"), r.lrange(k + "l2", 0, -1));

        r.rpush(k + "sort", "3", "1", "2");
        assertEquals(List.of("1", "2", "3"), r.sortRo(k + "sort", false));
        assertEquals(List.of("1", "2", "3"), r.sortRo(k + "sort", true));
        assertEquals(1L, r.objectRefcount(k + "sort"));
        assertNull(r.objectRefcount(k + "missing"));
        var noLfu = assertThrows(RedisServerException.class, () -> r.objectFreq(k + "sort"));
        assertTrue(noLfu.getMessage().contains("LFU"), noLfu.getMessage());

        r.geoadd(k + "geo", 13.361389, 38.115556, "Palermo");
        r.geoadd(k + "geo", 15.087269, 37.502669, "Catania");
        assertEquals(List.of("Catania", "Palermo"), r.georadius(k + "geo", 15, 37, 200, "km"));
        assertEquals(List.of("Catania"), r.georadiusRo(k + "geo", 15, 37, 100, "km"));
        assertEquals(List.of("Palermo", "Catania"), r.georadiusbymember(k + "geo", "Palermo", 200, "km"));
        assertEquals(List.of("Palermo"), r.georadiusbymemberRo(k + "geo", "Palermo", 100, "km"));
        assertEquals(2L, r.geosearchstore(k + "near", k + "geo", 15, 37, 200, "km", false));
        assertEquals(List.of("Catania", "Palermo"), r.geosearch(k + "near", 15, 37, 200, "km"));
        assertEquals(1L, r.geosearchstore(k + "near", k + "geo", 15, 37, 100, "km", true));
        double dist = r.zscore(k + "near", "Catania");
        assertTrue(dist > 50 && dist < 60, "STOREDIST stores the distance in km: " + dist);
        r.del(k + "s", k + "bits", k + "l", k + "l2", k + "sort", k + "geo", k + "near");
    }

    @ParameterizedTest(name = "RESP{0}")
    @ValueSource(ints = {2, 3})
    void clientAclCommandAndPubSubIntrospection(int resp) {
        RedisClient client = Redis.client(resp);
        var r = client.sync();
        assertEquals("OK", r.clientNoEvict(true));
        assertEquals("OK", r.clientNoEvict(false));
        Map<String, Reply> tracking = r.clientTrackinginfo();
        assertTrue(tracking.get("flags").toString().contains("off"), tracking.toString());
        assertEquals(-1L, r.clientGetredir());
        assertFalse(r.clientUnblock(Long.MAX_VALUE / 2, false), "no such client: nothing unblocked");

        String user = "parity" + resp;
        r.aclDeluser(user);
        assertEquals("OK", r.aclSetuser(user, "on", ">s3cret", "~cache:*", "+get"));
        assertTrue(r.aclUsers().contains(user));
        assertTrue(r.aclList().stream().anyMatch(l -> l.startsWith("user " + user + " on")), r.aclList().toString());
        Map<String, Reply> u = r.aclGetuser(user);
        assertTrue(u.get("flags").toString().contains("on"), u.toString());
        assertTrue(u.containsKey("commands"), u.toString());
        assertEquals("OK", r.aclDryrun(user, "get", "cache:1"));
        assertTrue(r.aclDryrun(user, "set", "cache:1", "v").contains("no permissions"));
        assertTrue(r.aclCat().contains("read"));
        assertTrue(r.aclCat("read").contains("get"));
        String pw = r.aclGenpass();
        assertTrue(pw.matches("[0-9a-f]{64}"), pw);
        assertEquals("OK", r.aclLogReset());
        var refused = assertThrows(io.respin.RedisConnectionException.class,
                () -> RedisClient.builder(Redis.server().uri()).credentials(user, "wrong").build().close());
        assertTrue(refused.getCause() instanceof RedisServerException, refused.toString());
        List<Map<String, Reply>> log = r.aclLog(10);
        assertEquals(1, log.size(), log.toString());
        assertEquals("auth", log.get(0).get("reason").asString());
        assertEquals(user, log.get(0).get("username").asString());
        assertEquals("OK", r.aclLogReset());
        assertEquals(1L, r.aclDeluser(user, "no-such-user" + resp));
        assertNull(r.aclGetuser(user));

        assertEquals(List.of("a"), r.commandGetkeys("set", "a", "b"));
        assertTrue(r.commandInfo("get").toString().contains("get"));
        assertTrue(r.commandDocs("get").containsKey("get"));

        String shard = "parity-shard" + resp;
        try (Subscription s = client.ssubscribe(m -> { }, shard)) {
            assertTrue(r.pubsubShardchannels("parity-shard*").contains(shard));
            assertEquals(Map.of(shard, 1L, "nobody" + resp, 0L), r.pubsubShardnumsub(shard, "nobody" + resp));
            assertEquals(List.of(shard), s.names());
        }
    }

    @ParameterizedTest(name = "RESP{0}")
    @ValueSource(ints = {2, 3})
    void unblockAClientWaitingInBrpoplpush(int resp) {
        RedisClient client = Redis.client(resp);
        String src = "unblock:" + resp;
        CompletableFuture<String> waiting = client.async().brpoplpush(src, src + ":dst", Duration.ofSeconds(30));
        long id = -1;
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (id < 0 && System.nanoTime() < deadline) { // the dedicated connection shows up once it has sent it
            for (String line : client.sync().clientList().split("\n")) {
                if (line.contains("cmd=brpoplpush") && line.matches(".* flags=\\w*b\\w* .*")) { // b: blocked
                    id = Long.parseLong(line.replaceAll("^id=(\\d+) .*", "$1").trim());
                }
            }
        }
        assertTrue(id > 0, "the blocked client is listed");
        assertTrue(client.sync().clientUnblock(id, false));
        assertNull(waiting.join(), "unblocked as if the timeout ran out");
    }

    @ParameterizedTest(name = "RESP{0}")
    @ValueSource(ints = {2, 3})
    void functionsMemoryLatencyAndAdministrationOnAServerOfTheirOwn(int resp) {
        try (RedisServer server = RedisServer.builder().config("latency-monitor-threshold", "1").start();
             RedisClient c = RedisClient.builder(server.uri()).protocol(resp).build()) {
            var r = c.sync();
            r.functionLoad("#!lua name=paritylib\nredis.register_function('parity_echo', function(k, a) return a[1] end)",
                    false);
            byte[] dump = r.functionDump();
            assertTrue(dump.length > 10);
            assertEquals("OK", r.functionFlush());
            assertEquals("OK", r.functionRestore(dump, "APPEND"));
            assertTrue(r.functionList().toString().contains("paritylib"));
            assertArrayEquals(dump, r.functionDump(), "the restored library dumps the same");
            Map<String, Reply> stats = r.functionStats();
            assertTrue(stats.containsKey("running_script") && stats.containsKey("engines"), stats.toString());

            r.set("m", "v");
            Map<String, Reply> mem = r.memoryStats();
            assertEquals(1L, Long.parseLong(mem.get("keys.count").asString()), mem.toString());
            assertFalse(r.memoryDoctor().isEmpty());
            assertFalse(r.memoryMallocStats().isEmpty());
            assertEquals("OK", r.memoryPurge());

            // a script that spins 3 ms on the server: above the 1 ms threshold, so LATENCY records a spike
            r.eval("local t = redis.call('TIME') local s = t[1] * 1000000 + t[2] "
                    + "repeat t = redis.call('TIME') until t[1] * 1000000 + t[2] - s >= 3000 return 1",
                    List.of(), List.of());
            Reply latest = r.latencyLatest();
            assertTrue(latest.toString().contains("command"), latest.toString());
            assertTrue(r.latencyHistory("command").toString().length() > 2);
            assertFalse(r.latencyDoctor().isEmpty());
            assertTrue(r.latencyHistogram("eval").toString().contains("eval"));
            assertTrue(r.latencyReset() >= 1);
            assertEquals(0L, r.latencyReset("command"), "already reset");

            r.set("db0", "x");
            assertEquals("OK", r.swapdb(0, 1));
            assertNull(r.get("db0"), "the data set moved to db 1");
            assertEquals("OK", r.swapdb(0, 1));
            assertEquals("x", r.get("db0"));
            assertEquals("OK", r.save());
            assertTrue(r.bgrewriteaof().contains("rewriting"));
            assertEquals("OK", r.replicaofNoOne());
            assertEquals(List.of(), r.moduleList());
            assertTrue(r.lolwut().contains("Redis ver"));

            assertEquals("OK", r.configSet("maxmemory-policy", "allkeys-lfu"));
            r.set("hot", "v");
            assertTrue(r.objectFreq("hot") >= 0);
        }
    }
}
