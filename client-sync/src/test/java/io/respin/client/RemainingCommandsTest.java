package io.respin.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.respin.RedisServerException;
import io.respin.engine.command.ScanArgs;
import io.respin.engine.command.Script;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The catalogue methods the family tests do not reach, so that every typed method runs against the server. */
class RemainingCommandsTest {

    @ParameterizedTest(name = "RESP{0}")
    @ValueSource(ints = {2, 3})
    void scanPagesScriptsAndAdmin(int resp) {
        var r = Redis.client(resp).sync();
        String k = "rest:" + resp;
        r.del(k + "h", k + "s", k + "z", k + "l");
        r.hset(k + "h", "f", "v");
        r.sadd(k + "s", "m");
        r.zadd(k + "z", 1, "m");
        assertEquals(List.of("f"), r.hscan(k + "h", "0", new ScanArgs()).items().stream().map(e -> e.getKey()).toList());
        assertEquals(List.of("m"), r.sscan(k + "s", "0", new ScanArgs()).items());
        assertEquals("m", r.zscan(k + "z", "0", new ScanArgs()).items().get(0).value());
        assertEquals(0L, r.rpushx(k + "l", "x"), "RPUSHX on a missing list does nothing");
        assertTrue(r.randomkey() != null);

        Script s = Script.of("return ARGV[1]");
        r.scriptLoad(s.lua());
        assertEquals("a", r.evalsha(s.sha1(), List.of(), List.of("a")).asString());
        assertEquals("b", r.evalshaRo(s.sha1(), List.of(), List.of("b")).asString());
        assertEquals("c", r.evalRo("return ARGV[1]", List.of(), List.of("c")).asString());
        var noScript = assertThrows(RedisServerException.class,
                () -> r.evalsha("0000000000000000000000000000000000000000", List.of(), List.of()));
        assertEquals("NOSCRIPT", noScript.prefix());
        assertEquals("NOTBUSY", assertThrows(RedisServerException.class, r::functionKill).prefix());
        assertEquals("OK", r.functionFlush());
        assertEquals("OK", r.configResetstat());
        assertEquals("OK", r.clientPause(1, true));
        assertEquals("OK", r.clientUnpause());
        assertTrue(r.commandNames().contains("get"));
        assertEquals(0L, r.clientKill("127.0.0.1:1"), "CLIENT KILL ADDR of no client kills none");
        r.del(k + "h", k + "s", k + "z", k + "l");
    }

    @ParameterizedTest(name = "RESP{0}")
    @ValueSource(ints = {2, 3})
    void flushallAndBgsaveOnAServerOfTheirOwn(int resp) {
        try (var server = io.respin.testkit.RedisServer.builder().start();
             RedisClient c = RedisClient.builder(server.uri()).protocol(resp).build()) {
            var r = c.sync();
            r.set("a", "1");
            assertEquals("OK", r.flushall());
            assertNull(r.get("a"));
            assertTrue(r.bgsave().startsWith("Background saving"), "BGSAVE answered");
            assertEquals(Set.of(), Set.copyOf(r.keys("*")));
        }
    }
}
