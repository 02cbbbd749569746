package io.respin.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.respin.RedisServerException;
import io.respin.client.sync.RedisCommands;
import io.respin.engine.command.Codec;
import io.respin.engine.command.GetExArgs;
import io.respin.engine.command.SetArgs;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** String commands with their options and error cases, on RESP2 and RESP3 (same typed results). */
class StringCommandsTest {

    private static RedisCommands<String, String> redis(int resp) {
        return Redis.client(resp).sync();
    }

    @ParameterizedTest(name = "RESP{0}")
    @ValueSource(ints = {2, 3})
    void getSetAndOptions(int resp) {
        var r = redis(resp);
        String k = "str:" + resp;
        r.del(k);
        assertNull(r.get(k));
        assertEquals("OK", r.set(k, "v1"));
        assertEquals("v1", r.get(k));
        assertFalse(r.set(k, "v2", new SetArgs().nx()), "NX on an existing key does nothing");
        assertEquals("v1", r.get(k));
        assertTrue(r.set(k, "v2", new SetArgs().xx().ex(Duration.ofSeconds(100))));
        long ttl = r.ttl(k);
        assertTrue(ttl > 0 && ttl <= 100, "EX set a ttl: " + ttl);
        assertTrue(r.set(k, "v3", new SetArgs().keepTtl()));
        assertTrue(r.ttl(k) > 0, "KEEPTTL kept it");
        assertTrue(r.set(k, "v4", new SetArgs().px(Duration.ofMillis(100_000))));
        assertTrue(r.pttl(k) > 1000);
        assertTrue(r.set(k, "v5", new SetArgs().exAt(Instant.now().plusSeconds(500))));
        assertTrue(r.ttl(k) > 100);
        assertEquals("v5", r.setGet(k, "v6", new SetArgs()));
        assertNull(r.setGet(k + ":none", "x", new SetArgs()));
        assertFalse(r.set(k + ":absent", "x", new SetArgs().xx()));
        r.del(k, k + ":none");
    }

    @ParameterizedTest(name = "RESP{0}")
    @ValueSource(ints = {2, 3})
    void setexMultiAndCounters(int resp) {
        var r = redis(resp);
        String k = "cnt:" + resp;
        r.del(k, k + "a", k + "b", k + "c");
        assertEquals("OK", r.setex(k, Duration.ofSeconds(50), "x"));
        assertTrue(r.ttl(k) > 0);
        assertEquals("OK", r.psetex(k, Duration.ofMillis(50_000), "y"));
        Map<String, String> m = new LinkedHashMap<>();
        m.put(k + "a", "1");
        m.put(k + "b", "2");
        assertEquals("OK", r.mset(m));
        assertEquals(Arrays.asList("1", "2", null), r.mget(k + "a", k + "b", k + "c"));
        assertFalse(r.msetnx(Map.of(k + "a", "9", k + "c", "9")));
        assertEquals(2L, r.incr(k + "a"));
        assertEquals(12L, r.incrby(k + "a", 10));
        assertEquals(11L, r.decr(k + "a"));
        assertEquals(1L, r.decrby(k + "a", 10));
        assertEquals(3.5, r.incrbyfloat(k + "b", 1.5));
        assertTrue(r.setnx(k + "c", "new"));
        assertFalse(r.setnx(k + "c", "again"));
        var e = assertThrows(RedisServerException.class, () -> r.incr(k + "c"));
        assertEquals("ERR", e.prefix());
        assertTrue(e.getMessage().contains("not an integer"), e.getMessage());
        r.del(k, k + "a", k + "b", k + "c");
    }

    @ParameterizedTest(name = "RESP{0}")
    @ValueSource(ints = {2, 3})
    void rangesAppendGetdelGetex(int resp) {
        var r = redis(resp);
        String k = "rng:" + resp;
        r.del(k);
        assertEquals(5L, r.append(k, "Hello"));
        assertEquals(11L, r.append(k, " World"));
        assertEquals(11L, r.strlen(k));
        assertEquals("World", r.getrange(k, 6, -1));
        assertEquals(11L, r.setrange(k, 6, "Redis"));
        assertEquals("Hello Redis", r.get(k));
        assertEquals("Hello Redis", r.getex(k, new GetExArgs().ex(Duration.ofSeconds(60))));
        assertTrue(r.ttl(k) > 0);
        assertEquals("Hello Redis", r.getex(k, new GetExArgs().persist()));
        assertEquals(-1L, r.ttl(k));
        assertEquals("Hello Redis", r.getset(k, "x"));
        assertEquals("x", r.getdel(k));
        assertNull(r.getdel(k));
        assertEquals(0L, r.exists(k));
    }

    @ParameterizedTest(name = "RESP{0}")
    @ValueSource(ints = {2, 3})
    void zeroCopyReadsIntoSegmentsAndBuffers(int resp) {
        var r = redis(resp);
        String k = "zc:" + resp;
        r.set(k, "payload-bytes");
        try (Arena arena = Arena.ofShared()) {
            MemorySegment dst = arena.allocate(64);
            long n = r.getInto(k, dst);
            assertEquals(13, n);
            assertEquals("payload-bytes", new String(dst.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE),
                    StandardCharsets.UTF_8));
            assertEquals(-1L, r.getInto(k + ":missing", dst));
            MemorySegment tiny = arena.allocate(4);
            assertThrows(io.respin.RedisException.class, () -> r.getInto(k, tiny));
            // the connection is fine after a value that did not fit
            assertEquals("payload-bytes", r.get(k));
        }
        try (Arena confined = Arena.ofConfined()) {
            // the reply may be read on the IO thread, which may not write into a confined segment: refused up front
            MemorySegment mine = confined.allocate(64);
            var e = assertThrows(IllegalArgumentException.class, () -> r.getInto(k, mine));
            assertTrue(e.getMessage().contains("shared, global or auto arena"), e.getMessage());
            assertEquals("payload-bytes", r.get(k));
        }
        ByteBuffer bb = ByteBuffer.allocateDirect(32);
        assertEquals(13L, r.getInto(k, bb));
        assertEquals('p', bb.get(0));
        r.del(k);
    }

    @ParameterizedTest(name = "RESP{0}")
    @ValueSource(ints = {2, 3})
    void byteArrayCodecAndBitsAndHll(int resp) {
        RedisCommands<byte[], byte[]> b = Redis.client(resp).sync(Codec.bytes());
        byte[] key = ("bin:" + resp).getBytes(StandardCharsets.UTF_8);
        byte[] value = {0, 1, 2, (byte) 0xff, '\r', '\n'};
        b.set(key, value);
        assertArrayEquals(value, b.get(key));
        var r = redis(resp);
        String k = "bits:" + resp;
        r.del(k, k + "h", k + "h2", k + "hm");
        assertEquals(0L, r.setbit(k, 7, true));
        assertEquals(1L, r.getbit(k, 7));
        assertEquals(1L, r.bitcount(k));
        assertEquals(1L, r.bitcount(k, 0, 0));
        assertEquals(7L, r.bitpos(k, true));
        assertEquals(1L, r.pfadd(k + "h", "a", "b", "c"));
        r.pfadd(k + "h2", "c", "d");
        assertEquals(3L, r.pfcount(k + "h"));
        assertEquals("OK", r.pfmerge(k + "hm", k + "h", k + "h2"));
        assertEquals(4L, r.pfcount(k + "hm"));
        b.del(key);
        r.del(k, k + "h", k + "h2", k + "hm");
        assertEquals(List.of(), r.keys(k + "*"));
    }
}
