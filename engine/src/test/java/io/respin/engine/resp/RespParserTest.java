package io.respin.engine.resp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.respin.RedisProtocolException;
import java.io.ByteArrayOutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The parser's API beyond the corpus: token order, depth, positions, hints, sticky errors, entry points. */
class RespParserTest {

    private static MemorySegment seg(String s) {
        return MemorySegment.ofArray(Feed.bytes(s));
    }

    private static List<String> tokens(String input) {
        RespParser p = new RespParser();
        TokenLog log = new TokenLog(p);
        MemorySegment in = seg(input);
        assertEquals(in.byteSize(), p.parse(in, 0, in.byteSize(), log));
        return log.events;
    }

    @Test
    void tokensOfAMapWithAttributeCarryTheirDepth() {
        assertEquals(List.of(
                "0 start MAP 1",
                "1 start ATTRIBUTE 1",
                "2 SIMPLE_STRING ttl",
                "2 int 3",
                "1 end ATTRIBUTE",
                "1 SIMPLE_STRING k",
                "1 start ARRAY 2",
                "2 null",
                "2 BULK_STRING v",
                "1 end ARRAY",
                "0 end MAP",
                "0 reply"), tokens("%1\r\n|1\r\n+ttl\r\n:3\r\n+k\r\n*2\r\n_\r\n$1\r\nv\r\n"));
    }

    @Test
    void topLevelAttributeIsFollowedByItsValueAndOneReplyEnd() {
        assertEquals(List.of("0 start ATTRIBUTE 1", "1 SIMPLE_STRING a", "1 int 1", "0 end ATTRIBUTE",
                "0 int 7", "0 reply"), tokens("|1\r\n+a\r\n:1\r\n:7\r\n"));
    }

    @Test
    void streamedStringAndAggregateTokens() {
        assertEquals(List.of("0 start ARRAY -1", "1 start BULK_STRING -1", "1 chunk ab", "1 chunk c",
                "1 end string", "0 end ARRAY", "0 reply"), tokens("*?\r\n$?\r\n;2\r\nab\r\n;1\r\nc\r\n;0\r\n.\r\n"));
    }

    @Test
    void emptyAggregatesStartAndEnd() {
        assertEquals(List.of("0 start SET 0", "0 end SET", "0 reply"), tokens("~0\r\n"));
    }

    @Test
    void bulkAboveChunkThresholdArrivesInPiecesAsBytesArrive() {
        RespParser p = new RespParser().chunkThreshold(4);
        TokenLog log = new TokenLog(p);
        byte[] in = Feed.bytes("$10\r\n0123456789\r\n$4\r\nabcd\r\n");
        MemorySegment s = MemorySegment.ofArray(in);
        assertEquals(8, p.parse(s, 0, 8, log)); // header + "012"
        assertEquals(List.of("0 start BULK_STRING 10", "0 chunk 012"), log.events);
        assertEquals(in.length - 8, p.parse(s, 8, in.length - 8, log));
        assertEquals(List.of("0 start BULK_STRING 10", "0 chunk 012", "0 chunk 3456789", "0 end string", "0 reply",
                "0 BULK_STRING abcd", "0 reply"), log.events);
    }

    @Test
    void largeBulkPassesThroughABufferMuchSmallerThanIt() {
        byte[] payload = new byte[1 << 20];
        new java.util.Random(7).nextBytes(payload);
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        wire.writeBytes(Feed.bytes("$" + payload.length + "\r\n"));
        wire.writeBytes(payload);
        wire.writeBytes(Feed.bytes("\r\n"));
        byte[] in = wire.toByteArray();

        RespParser p = new RespParser().chunkThreshold(4096);
        ReplyAssembler a = new ReplyAssembler();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(4096);
            int fed = 0;
            long filled = 0;
            while (fed < in.length) {
                int n = (int) Math.min(in.length - fed, buf.byteSize() - filled);
                MemorySegment.copy(in, fed, buf, ValueLayout.JAVA_BYTE, filled, n);
                fed += n;
                filled += n;
                long used = p.parse(buf, 0, filled, a);
                assertTrue(used >= 0, () -> String.valueOf(p.error()));
                MemorySegment.copy(buf, used, buf, 0, filled - used);
                filled -= used;
            }
        }
        Reply r = a.poll();
        assertNotNull(r);
        assertArrayEquals(payload, ((Reply.Text) r).bytes());
        assertTrue(p.atReplyBoundary());
    }

    @Test
    void bytesNeededSaysHowMuchThePendingTokenNeeds() {
        RespParser p = new RespParser();
        assertEquals(5, p.parse(seg("$10\r\nab"), 0, 7, new RespHandler.Adapter()));
        assertEquals(12, p.bytesNeeded(), "10 payload bytes + CRLF");
        RespParser q = new RespParser();
        assertEquals(0, q.parse(seg("+OK"), 0, 3, new RespHandler.Adapter()));
        assertEquals(5, q.bytesNeeded(), "at least +OK\\r\\n");
        RespParser r = new RespParser();
        assertEquals(0, r.parse(seg(""), 0, 0, new RespHandler.Adapter()));
        assertEquals(1, r.bytesNeeded());
    }

    @Test
    void positionCountsTheWholeStreamAndErrorOffsetsToo() {
        RespParser p = new RespParser();
        RespHandler h = new RespHandler.Adapter();
        assertEquals(5, p.parse(seg("+OK\r\n"), 0, 5, h));
        assertEquals(4, p.parse(seg("xx:1\r\n"), 2, 4, h));
        assertEquals(9, p.position());
        assertEquals(RespParser.FAILED, p.parse(seg("X"), 0, 1, h));
        assertEquals(9, p.error().offset());
        assertTrue(p.error().getMessage().endsWith("at offset 9"), p.error().getMessage());
    }

    @Test
    void errorIsStickyUntilReset() {
        RespParser p = new RespParser();
        RespHandler h = new RespHandler.Adapter();
        assertEquals(RespParser.FAILED, p.parse(seg("?"), 0, 1, h));
        RedisProtocolException first = p.error();
        assertEquals(RespParser.FAILED, p.parse(seg("+OK\r\n"), 0, 5, h));
        assertSame(first, p.error());
        assertFalse(p.atReplyBoundary());
        p.reset();
        assertNull(p.error());
        assertEquals(0, p.position());
        assertEquals(5, p.parse(seg("+OK\r\n"), 0, 5, h));
        assertTrue(p.atReplyBoundary());
    }

    @Test
    void atReplyBoundaryOnlyBetweenReplies() {
        RespParser p = new RespParser();
        RespHandler h = new RespHandler.Adapter();
        assertTrue(p.atReplyBoundary());
        p.parse(seg("*2\r\n:1\r\n"), 0, 8, h);
        assertFalse(p.atReplyBoundary());
        p.parse(seg(":2\r\n|1\r\n+a\r\n:1\r\n"), 0, 16, h);
        assertFalse(p.atReplyBoundary(), "attribute waits for its value");
        p.parse(seg(":3\r\n"), 0, 4, h);
        assertTrue(p.atReplyBoundary());
    }

    @Test
    void everyLeadingByteIsAValueOrAnErrorAtItsOffset() {
        String markers = "+-:$*_,#!=(%~|>";
        for (int b = 0; b < 256; b++) {
            for (String before : new String[] {"", "+OK\r\n", "*1\r\n"}) {
                RespParser p = new RespParser();
                byte[] in = Feed.bytes(before + (char) b);
                long used = p.parse(MemorySegment.ofArray(in), 0, in.length, new RespHandler.Adapter());
                if (markers.indexOf(b) >= 0) {
                    assertEquals(before.length(), used, "marker " + b + " waits for its line");
                } else {
                    assertEquals(RespParser.FAILED, used, "byte " + b);
                    assertEquals(before.length(), p.error().offset(), "byte " + b);
                }
            }
        }
    }

    @Test
    void byteBufferEntryPointsAdvanceThePosition() {
        for (ByteBuffer bb : new ByteBuffer[] {ByteBuffer.allocate(64), ByteBuffer.allocateDirect(64)}) {
            bb.put(Feed.bytes("xx+OK\r\n:4"));
            bb.flip().position(2);
            RespParser p = new RespParser();
            ReplyAssembler a = new ReplyAssembler();
            assertEquals(5, p.parse(bb, a));
            assertEquals(7, bb.position());
            bb.limit(bb.limit() + 2).put(bb.limit() - 2, Feed.bytes("\r\n"));
            assertEquals(4, p.parse(bb, a));
            assertEquals(List.of("simple \"OK\"", "int 4"), Arrays.asList(
                    CanonicalForm.of(a.poll()), CanonicalForm.of(a.poll())));
        }
    }

    @Test
    void byteArrayEntryPoint() {
        byte[] in = Feed.bytes("zz$2\r\nhi\r\n");
        RespParser p = new RespParser();
        ReplyAssembler a = new ReplyAssembler();
        assertEquals(8, p.parse(in, 2, 8, a));
        assertEquals("hi", a.poll().asString());
        assertThrows(IndexOutOfBoundsException.class, () -> p.parse(in, 2, 100, a));
    }

    @Test
    void negativeChunkThresholdIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new RespParser().chunkThreshold(-1));
    }

    /** What {@link RespParser#valueBytes()} says at each reply end, feeding {@code input} {@code step} bytes at a time. */
    private static List<Long> valueSizes(String input, int step, long threshold) {
        RespParser p = new RespParser().chunkThreshold(threshold);
        List<Long> sizes = new java.util.ArrayList<>();
        RespHandler h = new RespHandler.Adapter() {
            @Override public void onReplyEnd() {
                sizes.add(p.valueBytes());
            }
        };
        byte[] all = Feed.bytes(input);
        MemorySegment in = MemorySegment.ofArray(all);
        long consumed = 0;
        for (long avail = Math.min(step, all.length); ; avail = Math.min(avail + step, all.length)) {
            consumed += p.parse(in, consumed, avail - consumed, h);
            if (avail == all.length) {
                break;
            }
        }
        assertEquals(all.length, consumed);
        return sizes;
    }

    @Test
    void valueBytesIsEachTopLevelValuesWireSizeHoweverItArrives() {
        String input = "+OK\r\n" + "$5\r\nhello\r\n" + "*2\r\n:1\r\n$2\r\nab\r\n" + "|1\r\n+a\r\n:1\r\n:7\r\n"
                + "*0\r\n" + "$-1\r\n" + "-ERR no\r\n" + "$?\r\n;2\r\nab\r\n;0\r\n";
        List<Long> expected = List.of(5L, 11L, 16L, 16L, 4L, 5L, 9L, 16L);
        for (int step : new int[] {Integer.MAX_VALUE, 1, 2, 3, 7}) {
            assertEquals(expected, valueSizes(input, step, Long.MAX_VALUE), "fed " + step + " bytes at a time");
            assertEquals(expected, valueSizes(input, step, 1), "strings in chunks, fed " + step + " at a time");
        }
    }
}
