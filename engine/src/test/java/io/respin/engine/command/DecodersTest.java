package io.respin.engine.command;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.respin.RedisProtocolException;
import io.respin.RedisServerException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Each decoder on canned RESP2 and RESP3 replies: the two protocols must give the same Java value. */
class DecodersTest {

    private static final Codec<String, String> UTF8 = Codec.utf8();

    @Test
    void statusAndOk() {
        assertEquals("OK", Resp.decode("+OK\n", Decoders.status()));
        assertEquals("PONG", Resp.decode("$4\nPONG\n", Decoders.status()));
        assertEquals(true, Resp.decode("+OK\n", Decoders.ok()));
        assertEquals(false, Resp.decode("$-1\n", Decoders.ok()));
        assertEquals(false, Resp.decode("_\n", Decoders.ok()));
    }

    @Test
    void integersBooleansDoubles() {
        assertEquals(42L, Resp.decode(":42\n", Decoders.integer()));
        assertEquals(-7L, Resp.decode("$2\n-7\n", Decoders.integer()));
        assertNull(Resp.decode("$-1\n", Decoders.integer()));
        assertNull(Resp.decode("_\n", Decoders.integer()));
        assertEquals(true, Resp.decode(":1\n", Decoders.bool()));
        assertEquals(false, Resp.decode(":0\n", Decoders.bool()));
        assertEquals(true, Resp.decode("#t\n", Decoders.bool()));
        // ZSCORE: RESP2 bulk string, RESP3 double
        assertEquals(1.5, Resp.decode("$3\n1.5\n", Decoders.dbl()));
        assertEquals(1.5, Resp.decode(",1.5\n", Decoders.dbl()));
        assertEquals(Double.POSITIVE_INFINITY, Resp.decode("$3\ninf\n", Decoders.dbl()));
        assertEquals(Double.NEGATIVE_INFINITY, Resp.decode(",-inf\n", Decoders.dbl()));
    }

    @Test
    void aMappingThatThrowsFailsOnlyItsCommand() {
        var e = assertThrows(RedisProtocolException.class, () -> Resp.decode(":7\n",
                Decoders.mapped(Decoders.integer(), v -> { throw new IllegalArgumentException("7 is not a slot map"); })));
        assertTrue(e.getMessage().contains("7 is not a slot map"), e.getMessage());
    }

    @Test
    void valuesThroughCodecs() {
        assertEquals("héllo", Resp.decode("$6\nhéllo\n", Decoders.value(UTF8)));
        assertArrayEquals("abc".getBytes(StandardCharsets.UTF_8), Resp.decode("$3\nabc\n", Decoders.value(Codec.bytes())));
        assertNull(Resp.decode("$-1\n", Decoders.value(UTF8)));
        // RESP3 verbatim: the "txt:" format prefix is not part of the text
        assertEquals("Some string", Resp.decode("=15\ntxt:Some string\n", Decoders.utf8()));
    }

    @Test
    void intoSegmentAndByteBufferCopyOnce() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment dst = arena.allocate(16);
            assertEquals(5L, Resp.decode("$5\nhello\n", Decoders.into(dst)));
            assertEquals("hello", new String(dst.asSlice(0, 5).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE),
                    StandardCharsets.UTF_8));
            assertEquals(-1L, Resp.decode("$-1\n", Decoders.into(dst)));
            MemorySegment small = arena.allocate(3);
            var e = assertThrows(io.respin.RedisException.class, () -> Resp.decode("$5\nhello\n", Decoders.into(small)));
            assertTrue(e.getMessage().contains("destination holds 3"), e.getMessage());
        }
        ByteBuffer bb = ByteBuffer.allocateDirect(8);
        assertEquals(3L, Resp.decode("$3\nabc\n", Decoders.into(bb)));
        assertEquals('c', bb.get(2));
    }

    @Test
    void aCommandDecodingIntoAConfinedSegmentIsRefusedByTransportsThatReadOnAnotherThread() {
        Commands<String, String> commands = Commands.utf8();
        try (Arena confined = Arena.ofConfined(); Arena shared = Arena.ofShared()) {
            var e = assertThrows(IllegalArgumentException.class,
                    () -> commands.strings().getInto("k", confined.allocate(8)).requireDecodableOnAnyThread());
            assertTrue(e.getMessage().startsWith("GET: ") && e.getMessage().contains("shared, global or auto arena"),
                    e.getMessage());
            commands.strings().getInto("k", shared.allocate(8)).requireDecodableOnAnyThread();
            commands.strings().getInto("k", Arena.global().allocate(8)).requireDecodableOnAnyThread();
            commands.strings().getInto("k", ByteBuffer.allocate(8)).requireDecodableOnAnyThread();
            commands.strings().get("k").requireDecodableOnAnyThread();
        }
    }

    @Test
    void listsAndSetsRespTwoAndThree() {
        Decoder<List<String>> list = Decoders.list(Decoders.utf8());
        assertEquals(List.of("a", "b"), Resp.decode("*2\n$1\na\n$1\nb\n", list));
        assertEquals(List.of(), Resp.decode("*0\n", list));
        assertNull(Resp.decode("*-1\n", list));
        // MGET with a missing key
        assertEquals(java.util.Arrays.asList("a", null), Resp.decode("*2\n$1\na\n$-1\n", list));
        Decoder<Set<String>> set = Decoders.set(Decoders.utf8());
        assertEquals(Set.of("x", "y"), Resp.decode("*2\n$1\nx\n$1\ny\n", set));
        assertEquals(Set.of("x", "y"), Resp.decode("~2\n$1\nx\n$1\ny\n", set));
    }

    @Test
    void mapsFromFlatArrayAndMapAreEqual() {
        String resp2 = "*4\n$1\na\n$1\n1\n$1\nb\n$1\n2\n";
        String resp3 = "%2\n$1\na\n$1\n1\n$1\nb\n$1\n2\n";
        Map<String, String> two = Resp.decode(resp2, Decoders.map(Decoders.utf8(), Decoders.utf8()));
        Map<String, String> three = Resp.decode(resp3, Decoders.map(Decoders.utf8(), Decoders.utf8()));
        assertEquals(Map.of("a", "1", "b", "2"), two);
        assertEquals(two, three);
        assertEquals(List.of("a", "b"), List.copyOf(three.keySet()), "server order is kept");
    }

    @Test
    void scoredMembersFromBothProtocolsAreEqual() {
        String resp2 = "*4\n$1\na\n$3\n1.5\n$1\nb\n$1\n2\n";
        String resp3 = "*2\n*2\n$1\na\n,1.5\n*2\n$1\nb\n,2\n";
        String resp3Bare = "*2\n$1\na\n,1.5\n"; // ZPOPMIN without COUNT on RESP3
        List<ScoredValue<String>> expected = List.of(new ScoredValue<>("a", 1.5), new ScoredValue<>("b", 2.0));
        assertEquals(expected, Resp.decode(resp2, Decoders.scored(Decoders.utf8())));
        assertEquals(expected, Resp.decode(resp3, Decoders.scored(Decoders.utf8())));
        assertEquals(List.of(new ScoredValue<>("a", 1.5)), Resp.decode(resp3Bare, Decoders.scored(Decoders.utf8())));
    }

    @Test
    void scanPage() {
        ScanPage<String> p = Resp.decode("*2\n$2\n17\n*2\n$2\nk1\n$2\nk2\n",
                Decoders.scanPage(Decoders.list(Decoders.utf8())));
        assertEquals("17", p.cursor());
        assertEquals(List.of("k1", "k2"), p.items());
        assertTrue(!p.isLast());
    }

    @Test
    void streamsFromBothProtocolsAreEqual() {
        String entries = "*1\n*2\n$3\n1-0\n*2\n$1\nf\n$1\nv\n";
        String resp2 = "*1\n*2\n$1\ns\n" + entries;
        String resp3 = "%1\n$1\ns\n" + entries;
        var d2 = Resp.decode(resp2, Decoders.map(Decoders.utf8(), Decoders.list(Decoders.streamEntry(UTF8))));
        var d3 = Resp.decode(resp3, Decoders.map(Decoders.utf8(), Decoders.list(Decoders.streamEntry(UTF8))));
        assertEquals(Map.of("s", List.of(new StreamEntry<>("1-0", Map.of("f", "v")))), d2);
        assertEquals(d2, d3);
    }

    @Test
    void infoAndTime() {
        String text = "# Server\r\nredis_version:7.0.15\r\nuptime_in_seconds:3\r\n\r\n# Clients\r\nconnected_clients:1\r\n";
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        Map<String, String> info = Resp.decode("$" + b.length + "\n" + text.replace("\r\n", "\n") + "\n", Decoders.info());
        assertEquals("7.0.15", info.get("redis_version"));
        assertEquals("1", info.get("connected_clients"));
        assertEquals(3, info.size());
        Map<String, String> verbatim = Resp.decode("=" + (b.length + 4) + "\ntxt:" + text.replace("\r\n", "\n") + "\n",
                Decoders.info());
        assertEquals(info, verbatim);
        assertEquals(Instant.ofEpochSecond(1700000000, 123000),
                Resp.decode("*2\n$10\n1700000000\n$3\n123\n", Decoders.time()));
    }

    @Test
    void attributesAreSkipped() {
        assertEquals(7L, Resp.decode("|1\n+ttl\n:3\n:7\n", Decoders.integer()));
        assertEquals(List.of(1L, 2L), Resp.decode("*2\n|1\n+a\n*1\n:9\n:1\n:2\n", Decoders.list(Decoders.integer())));
    }

    @Test
    void aMismatchFailsWithTheCommandNameAndSkipsTheRest() {
        var e = assertThrows(RedisProtocolException.class, () -> Resp.decode("*2\n:1\n:2\n", Decoders.integer()));
        assertTrue(e.getMessage().startsWith("TEST: expected an integer but the server sent an array"), e.getMessage());
        // the reader still saw the whole reply: the next one decodes normally
        ReplyReader<Long> r = new ReplyReader<>("X", Decoders.integer());
        Resp.feed("*1\n*1\n:1\n", r);
        assertThrows(RedisProtocolException.class, r::result);
    }

    @Test
    void anErrorInsideAnAggregateFailsWithTheServerWords() {
        var e = assertThrows(RedisServerException.class,
                () -> Resp.decode("*2\n:1\n-WRONGTYPE Operation against a key\n", Decoders.list(Decoders.integer())));
        assertEquals("WRONGTYPE", e.prefix());
    }

    @Test
    void stringsDeliveredInPiecesDecodeTheSame() {
        assertEquals("hello wörld", Resp.decodeInPieces("$12\nhello wörld\n", Decoders.utf8()));
        assertEquals(List.of("abcdefgh", "x"),
                Resp.decodeInPieces("*2\n$8\nabcdefgh\n$1\nx\n", Decoders.list(Decoders.utf8())));
        // RESP3 streamed string
        assertEquals("hello world", Resp.decodeInPieces("$?\n;5\nhello\n;6\n world\n;0\n", Decoders.utf8()));
        MemorySegment dst = MemorySegment.ofArray(new byte[32]);
        assertEquals(11L, Resp.decodeInPieces("$11\nhello world\n", Decoders.into(dst)));
        assertEquals("hello world", new String(dst.asSlice(0, 11).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE),
                StandardCharsets.UTF_8));
        MemorySegment small = MemorySegment.ofArray(new byte[5]);
        assertThrows(io.respin.RedisException.class, () -> Resp.decodeInPieces("$11\nhello world\n", Decoders.into(small)));
        assertEquals(Map.of("field", "a long value"),
                Resp.decodeInPieces("%1\n$5\nfield\n$12\na long value\n", Decoders.map(Decoders.utf8(), Decoders.utf8())));
    }

    @Test
    void decodersAreReusableAfterTake() {
        Decoder<List<String>> list = Decoders.list(Decoders.utf8());
        assertEquals(List.of("a"), Resp.decode("*1\n$1\na\n", list));
        assertEquals(List.of("b", "c"), Resp.decode("*2\n$1\nb\n$1\nc\n", list));
    }
}
