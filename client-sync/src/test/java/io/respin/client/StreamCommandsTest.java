package io.respin.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.respin.RedisServerException;
import io.respin.client.sync.RedisCommands;
import io.respin.engine.command.ScanPage;
import io.respin.engine.command.StreamEntry;
import io.respin.engine.command.XAddArgs;
import io.respin.engine.command.XReadArgs;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Streams and consumer groups on RESP2 and RESP3. */
class StreamCommandsTest {

    private static RedisCommands<String, String> redis(int resp) {
        return Redis.client(resp).sync();
    }

    @ParameterizedTest(name = "RESP{0}")
    @ValueSource(ints = {2, 3})
    void addRangeReadTrim(int resp) {
        var r = redis(resp);
        String k = "x:" + resp;
        r.del(k);
        Map<String, String> f = new LinkedHashMap<>();
        f.put("type", "click");
        f.put("at", "1");
        String id1 = r.xadd(k, new XAddArgs().id("1-1"), f);
        assertEquals("1-1", id1);
        String id2 = r.xadd(k, new XAddArgs(), Map.of("type", "view"));
        assertTrue(id2.contains("-"));
        assertNull(r.xadd(k + ":none", new XAddArgs().noMkStream(), Map.of("a", "b")));
        var e = assertThrows(RedisServerException.class, () -> r.xadd(k, new XAddArgs().id("0-1"), f));
        assertTrue(e.getMessage().contains("equal or smaller"), e.getMessage());
        List<StreamEntry<String, String>> all = r.xrange(k, "-", "+");
        assertEquals(2, all.size());
        assertEquals(new StreamEntry<>("1-1", f), all.get(0));
        assertEquals(List.of("type", "at"), List.copyOf(all.get(0).fields().keySet()));
        assertEquals(1, r.xrange(k, "-", "+", 1).size());
        assertEquals(id2, r.xrevrange(k, "+", "-", 1).get(0).id());
        assertEquals(2L, r.xlen(k));
        Map<String, List<StreamEntry<String, String>>> read = r.xread(new XReadArgs().count(10), Map.of(k, "0"));
        assertEquals(List.of(k), List.copyOf(read.keySet()));
        assertEquals(all, read.get(k));
        assertNull(r.xread(new XReadArgs().block(Duration.ofMillis(50)), Map.of(k, "$")), "BLOCK timed out");
        r.xadd(k, new XAddArgs().maxLen(2, false), Map.of("n", "3"));
        assertEquals(2L, r.xlen(k));
        assertEquals(1L, r.xtrim(k, 1, false));
        assertEquals(1L, r.xdel(k, r.xrange(k, "-", "+").get(0).id()));
        assertNotNull(r.xinfoStream(k));
        r.del(k);
    }

    @ParameterizedTest(name = "RESP{0}")
    @ValueSource(ints = {2, 3})
    void consumerGroups(int resp) {
        var r = redis(resp);
        String k = "xg:" + resp;
        r.del(k);
        assertEquals("OK", r.xgroupCreate(k, "g", "$", true));
        var e = assertThrows(RedisServerException.class, () -> r.xgroupCreate(k, "g", "$", false));
        assertEquals("BUSYGROUP", e.prefix());
        String a = r.xadd(k, new XAddArgs(), Map.of("job", "a"));
        String b = r.xadd(k, new XAddArgs(), Map.of("job", "b"));
        var got = r.xreadgroup("g", "c1", new XReadArgs().count(10), Map.of(k, ">"));
        assertEquals(List.of(a, b), got.get(k).stream().map(StreamEntry::id).toList());
        assertTrue(r.xpending(k, "g").asString().contains("c1"));
        assertEquals(1L, r.xack(k, "g", a));
        List<StreamEntry<String, String>> claimed = r.xclaim(k, "g", "c2", Duration.ZERO, b);
        assertEquals(List.of(new StreamEntry<>(b, Map.of("job", "b"))), claimed);
        ScanPage<StreamEntry<String, String>> auto = r.xautoclaim(k, "g", "c3", Duration.ZERO, "0-0", 10);
        assertEquals("0-0", auto.cursor());
        assertEquals(List.of(b), auto.items().stream().map(StreamEntry::id).toList());
        assertTrue(r.xinfoGroups(k).asString().contains("g"));
        assertNull(r.xreadgroup("g", "c1", new XReadArgs().block(Duration.ofMillis(50)), Map.of(k, ">")));
        assertTrue(r.xgroupCreateconsumer(k, "g", "c9"));
        var consumers = r.xinfoConsumers(k, "g");
        assertTrue(consumers.stream().anyMatch(c -> c.get("name").asString().equals("c9")), consumers.toString());
        assertEquals(0L, r.xgroupDelconsumer(k, "g", "c9"));
        assertEquals("OK", r.xgroupSetid(k, "g", "0"));
        assertEquals(2, r.xreadgroup("g", "c1", new XReadArgs(), Map.of(k, ">")).get(k).size(), "SETID 0 re-delivers");
        assertEquals(1L, r.xgroupDestroy(k, "g"));
        r.del(k);
    }
}
