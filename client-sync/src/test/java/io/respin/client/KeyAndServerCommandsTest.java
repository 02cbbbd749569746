package io.respin.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.respin.RedisServerException;
import io.respin.client.sync.RedisCommands;
import io.respin.engine.command.ExpireCondition;
import io.respin.engine.command.ScanArgs;
import io.respin.engine.command.ScanPage;
import io.respin.engine.resp.Reply;
import io.respin.engine.resp.RespType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Key and server/connection commands, and {@code execute}, on RESP2 and RESP3. */
class KeyAndServerCommandsTest {

    private static RedisCommands<String, String> redis(int resp) {
        return Redis.client(resp).sync();
    }

    @ParameterizedTest(name = "RESP{0}")
    @ValueSource(ints = {2, 3})
    void keys(int resp) {
        var r = redis(resp);
        String k = "key:" + resp;
        r.del(k, k + "2", k + "3");
        r.set(k, "v");
        assertEquals(1L, r.exists(k, k + "2"));
        assertEquals(2L, r.exists(k, k));
        assertEquals("string", r.type(k));
        assertEquals("none", r.type(k + "2"));
        assertEquals(-1L, r.ttl(k));
        assertEquals(-2L, r.ttl(k + "2"));
        assertTrue(r.expire(k, Duration.ofSeconds(100)));
        assertFalse(r.expire(k, Duration.ofSeconds(100), ExpireCondition.NX), "NX: it already has one");
        assertTrue(r.expire(k, Duration.ofSeconds(200), ExpireCondition.GT));
        assertFalse(r.expire(k + "2", Duration.ofSeconds(1)), "no such key");
        assertTrue(r.pexpire(k, Duration.ofMillis(300_000)));
        assertTrue(r.pexpire(k, Duration.ofMillis(100_000), ExpireCondition.LT));
        assertTrue(r.pttl(k) <= 100_000);
        Instant at = Instant.now().plusSeconds(1000);
        assertTrue(r.expireat(k, at));
        assertEquals(at.getEpochSecond(), r.expiretime(k));
        assertTrue(r.pexpireat(k, at));
        assertTrue(r.persist(k));
        assertEquals(-1L, r.expiretime(k));
        assertEquals("OK", r.rename(k, k + "2"));
        assertFalse(r.renamenx(k + "2", k + "2"));
        var e = assertThrows(RedisServerException.class, () -> r.rename(k + "3", k));
        assertTrue(e.getMessage().contains("no such key"), e.getMessage());
        assertTrue(r.copy(k + "2", k + "3", false));
        assertFalse(r.copy(k + "2", k + "3", false));
        assertTrue(r.copy(k + "2", k + "3", true));
        assertEquals(2L, r.touch(k + "2", k + "3"));
        assertEquals(Set.of(k + "2", k + "3"), new HashSet<>(r.keys(k + "*")));
        ScanPage<String> page = r.scan("0", new ScanArgs().match(k + "*").count(1000).type("string"));
        assertTrue(page.items().contains(k + "2"), page.toString());
        assertEquals(1L, r.unlink(k + "3"));
        assertEquals(1L, r.del(k + "2", k + "3"));
        assertTrue(r.memoryUsage(k) == null);
    }

    @ParameterizedTest(name = "RESP{0}")
    @ValueSource(ints = {2, 3})
    void server(int resp) {
        var r = redis(resp);
        assertEquals("PONG", r.ping());
        assertEquals("hi there", r.echo("hi there"));
        Map<String, String> info = r.info();
        assertTrue(info.get("redis_version").startsWith("7."), info.get("redis_version"));
        assertEquals(Integer.toString(Redis.server().port()), r.info("server").get("tcp_port"));
        assertEquals(Map.of("maxmemory-policy", "noeviction"), r.configGet("maxmemory-policy"));
        assertEquals("OK", r.configSet("maxmemory-policy", "allkeys-lru"));
        assertEquals("allkeys-lru", r.configGet("maxmemory-*").get("maxmemory-policy"));
        r.configSet("maxmemory-policy", "noeviction");
        var e = assertThrows(RedisServerException.class, () -> r.configSet("no-such-parameter", "1"));
        assertEquals("ERR", e.prefix());
        Instant t = r.time();
        assertTrue(Math.abs(t.getEpochSecond() - Instant.now().getEpochSecond()) < 60, t.toString());
        assertTrue(r.dbsize() >= 0);
        assertTrue(r.clientId() > 0);
        assertTrue(r.clientList().contains("id="));
        assertTrue(r.lastsave() > 0);
        assertEquals(0L, r.waitReplicas(0, 10));
    }

    @ParameterizedTest(name = "RESP{0}")
    @ValueSource(ints = {2, 3})
    void flushdbOnItsOwnDatabaseAndClientName(int resp) {
        try (RedisClient c = RedisClient.builder(Redis.server().uri()).protocol(resp).database(3)
                .clientName("respin-test-" + resp).build()) {
            var r = c.sync();
            r.set("a", "1");
            assertEquals(1L, r.dbsize());
            assertEquals("OK", r.flushdb());
            assertEquals(0L, r.dbsize());
            assertEquals("respin-test-" + resp, r.clientGetname());
            assertEquals("OK", r.clientSetname("renamed"));
        }
    }

    @ParameterizedTest(name = "RESP{0}")
    @ValueSource(ints = {2, 3})
    void executeReachesEveryCommand(int resp) {
        var r = redis(resp);
        r.execute("SET", "exec:" + resp, "1");
        Reply v = r.execute("GET", "exec:" + resp);
        assertEquals("1", v.asString());
        Reply bytes = r.execute("GET".getBytes(StandardCharsets.UTF_8), ("exec:" + resp).getBytes(StandardCharsets.UTF_8));
        assertEquals(v, bytes);
        Reply hello = r.execute("OBJECT", "ENCODING", "exec:" + resp);
        assertEquals("int", hello.asString());
        Reply arr = r.execute("LRANGE", "exec:none", "0", "-1");
        assertEquals(RespType.ARRAY, arr.type());
        var e = assertThrows(RedisServerException.class, () -> r.execute("NOSUCHCOMMAND"));
        assertTrue(e.getMessage().contains("unknown command"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> r.execute(new String[0]));
        r.del("exec:" + resp);
        assertNull(r.get("exec:" + resp));
        // a blocking command through execute goes to a dedicated connection: the RPUSH on the shared one is not
        // stuck behind it (if it were, neither would ever complete)
        var blpop = Redis.client(resp).async().execute("BLPOP", "exec:q" + resp, "0");
        r.rpush("exec:q" + resp, "job");
        assertEquals("exec:q" + resp, ((Reply.Aggregate) blpop.join()).get(0).asString());
        assertEquals("job", ((Reply.Aggregate) blpop.join()).get(1).asString());
        assertEquals(List.of(), r.keys("exec:" + resp));
    }
}
