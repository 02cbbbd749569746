package io.respin.engine.resp;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class RespWriterTest {

    private final RespWriter w = new RespWriter();

    /** Encodes with plenty of room and returns the bytes. */
    private byte[] encode(Consumer<RespWriter> command) {
        MemorySegment out = MemorySegment.ofArray(new byte[1 << 16]);
        w.wrap(out, 0, out.byteSize());
        command.accept(w);
        assertFalse(w.overflowed());
        assertTrue(w.complete());
        assertEquals(w.required(), w.written());
        return out.asSlice(0, w.position()).toArray(ValueLayout.JAVA_BYTE);
    }

    private static String text(byte[] b) {
        return new String(b, UTF_8);
    }

    /** The RESP bytes of a command whose arguments are given as raw byte strings. */
    private static byte[] resp(byte[]... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes(("*" + args.length + "\r\n").getBytes(UTF_8));
        for (byte[] a : args) {
            o.writeBytes(("$" + a.length + "\r\n").getBytes(UTF_8));
            o.writeBytes(a);
            o.writeBytes("\r\n".getBytes(UTF_8));
        }
        return o.toByteArray();
    }

    @Test
    void everyArgumentTypeHasExactBytes() {
        assertEquals("*1\r\n$4\r\nPING\r\n", text(encode(c -> c.array(1).arg("PING"))));
        assertEquals("*2\r\n$3\r\nGET\r\n$3\r\nkey\r\n",
                text(encode(c -> c.array(2).arg("GET").arg("key".getBytes(UTF_8)))));
        assertEquals("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$2\r\n42\r\n",
                text(encode(c -> c.array(3).arg(new StringBuilder("SET")).arg(MemorySegment.ofArray(new byte[]{'k'})).arg(42))));
        assertEquals("*2\r\n$4\r\nECHO\r\n$3\r\nell\r\n",
                text(encode(c -> c.array(2).arg("ECHO").arg("hello".getBytes(UTF_8), 1, 3))));
        assertEquals("*2\r\n$4\r\nECHO\r\n$2\r\nll\r\n",
                text(encode(c -> c.array(2).arg("ECHO").arg(MemorySegment.ofArray("hello".getBytes(UTF_8)), 2, 2))));
        assertEquals("*2\r\n$4\r\nECHO\r\n$0\r\n\r\n", text(encode(c -> c.array(2).arg("ECHO").arg(""))));
        assertEquals("*2\r\n$4\r\nECHO\r\n$0\r\n\r\n", text(encode(c -> c.array(2).arg("ECHO").arg(new byte[0]))));
        assertEquals("*2\r\n$4\r\nINCR\r\n$3\r\n1.5\r\n", text(encode(c -> c.array(2).arg("INCR").arg(1.5))));
    }

    @Test
    void everyShortLengthAndArgumentCountHasExactBytes() {
        for (int len = 0; len <= 120; len++) {
            byte[] payload = new byte[len];
            java.util.Arrays.fill(payload, (byte) 'x');
            assertArrayEquals(resp(payload), encode(c -> c.array(1).arg(payload)), "payload of " + len);
            // the tightest fit: the limit right after the command; nothing may be written past it
            byte[] full = resp(payload);
            MemorySegment out = MemorySegment.ofArray(new byte[full.length + 8]);
            out.fill((byte) 0x5A);
            w.wrap(out, 0, full.length).array(1).arg(payload);
            assertFalse(w.overflowed());
            for (int i = full.length; i < full.length + 8; i++) {
                assertEquals((byte) 0x5A, out.get(ValueLayout.JAVA_BYTE, i), "byte past the limit, payload " + len);
            }
        }
        for (int n = 1; n <= 120; n++) {
            int count = n;
            byte[] b = encode(c -> {
                c.array(count);
                for (int i = 0; i < count; i++) {
                    c.arg(new byte[0]);
                }
            });
            assertTrue(text(b).startsWith("*" + n + "\r\n$0\r\n\r\n"), "array of " + n);
            assertEquals(RespWriter.sizeOfArray(n) + n * RespWriter.sizeOfBulk(0), b.length);
        }
    }

    @Test
    void binaryPayloadsPassUnchanged() {
        byte[] all = new byte[256];
        for (int i = 0; i < 256; i++) {
            all[i] = (byte) i;
        }
        assertArrayEquals(resp("SET".getBytes(UTF_8), all, "\r\n".getBytes(UTF_8)),
                encode(c -> c.array(3).arg("SET").arg(all).arg(MemorySegment.ofArray("\r\n".getBytes(UTF_8)))));
    }

    @Test
    void elevenArgumentArrayHasTwoDigitCount() {
        byte[] b = encode(c -> {
            c.array(11).arg("MSET");
            for (int i = 0; i < 10; i++) {
                c.arg("k" + i);
            }
        });
        assertTrue(text(b).startsWith("*11\r\n$4\r\nMSET\r\n$2\r\nk0\r\n"), text(b));
        assertEquals(RespWriter.sizeOfArray(11) + RespWriter.sizeOfBulk(4) + 10 * RespWriter.sizeOfBulk(2), b.length);
    }

    @Test
    void longsIncludingExtremesAndDigitBoundaries() {
        long[] values = {0, 1, -1, 9, 10, -9, -10, 99, 100, 999_999_999, 1_000_000_000, -1_000_000_000,
                Integer.MAX_VALUE, Integer.MIN_VALUE, 999_999_999_999_999_999L, 1_000_000_000_000_000_000L,
                Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE + 1};
        for (long v : values) {
            assertArrayEquals(resp("X".getBytes(UTF_8), Long.toString(v).getBytes(UTF_8)),
                    encode(c -> c.array(2).arg("X").arg(v)), "value " + v);
            assertEquals(Long.toString(v).length(), RespWriter.decimalLength(v), "length of " + v);
        }
        Random r = new Random(42);
        for (int i = 0; i < 10_000; i++) {
            long v = r.nextLong() >> r.nextInt(64);
            assertArrayEquals(resp("X".getBytes(UTF_8), Long.toString(v).getBytes(UTF_8)),
                    encode(c -> c.array(2).arg("X").arg(v)), "value " + v);
        }
    }

    @Test
    void doublesRoundTripInAFormRedisParses() {
        assertDouble("0.0", 0.0);
        assertDouble("-0.0", -0.0);
        assertDouble("1.0", 1.0);
        assertDouble("0.1", 0.1);
        assertDouble("-2.5", -2.5);
        assertDouble("1.0E10", 1e10);
        assertDouble("1.0E-5", 1e-5);
        assertDouble("4.9E-324", Double.MIN_VALUE);
        assertDouble("1.7976931348623157E308", Double.MAX_VALUE);
        assertDouble("inf", Double.POSITIVE_INFINITY);
        assertDouble("-inf", Double.NEGATIVE_INFINITY);
        assertDouble("nan", Double.NaN);
        Random r = new Random(7);
        for (int i = 0; i < 10_000; i++) {
            double v = Double.longBitsToDouble(r.nextLong());
            if (Double.isNaN(v)) {
                continue;
            }
            byte[] b = encode(c -> c.array(1).arg(v));
            String payload = text(b).split("\r\n")[2];
            assertEquals(v, Double.parseDouble(payload), payload);
            assertEquals(Double.toString(v), payload);
        }
    }

    private void assertDouble(String expected, double v) {
        assertArrayEquals(resp("X".getBytes(UTF_8), expected.getBytes(UTF_8)), encode(c -> c.array(2).arg("X").arg(v)),
                "double " + v);
    }

    @Test
    void utf8MatchesStringGetBytesIncludingBrokenSurrogates() {
        List<String> cases = List.of("", "a", "é", "\u0080", "\u07FF", "\u0800", "€", "\uFFFF", "\uFFFD",
                "😀", "a😀b", "\uD83D", "\uDE00", "x\uD83D", "\uD83Dx", "\uDE00\uD83D", "\uD83D\uD83D\uDE00",
                "\uD83D\uDE00\uDE00", "日本語のキー", "mixé€😀\uD800end", "\u0000\u0001");
        for (String s : cases) {
            assertUtf8(s);
        }
        // around the writer's 64-char ASCII fast path
        for (String s : List.of("k".repeat(63), "k".repeat(64), "k".repeat(65), "k".repeat(63) + "é", "k".repeat(64) + "é",
                "é" + "k".repeat(70), "k".repeat(1000))) {
            assertUtf8(s);
        }
        Random r = new Random(1);
        char[] pool = {'a', 'Z', '\u00E9', '\u07FF', '\u0800', '\u20AC', '\uD800', '\uDBFF', '\uDC00', '\uDFFF', '\uFFFF', 0};
        for (int i = 0; i < 10_000; i++) {
            char[] cs = new char[r.nextInt(12)];
            for (int j = 0; j < cs.length; j++) {
                cs[j] = r.nextBoolean() ? pool[r.nextInt(pool.length)] : (char) r.nextInt(0x10000);
            }
            assertUtf8(new String(cs));
        }
    }

    private void assertUtf8(String s) {
        byte[] expected = s.getBytes(UTF_8);
        assertEquals(expected.length, RespWriter.utf8Length(s), () -> "length of " + escape(s));
        assertArrayEquals(resp(expected), encode(c -> c.array(1).arg(s)), () -> "String " + escape(s));
        assertArrayEquals(resp(expected), encode(c -> c.array(1).arg(new StringBuilder(s))), () -> "builder " + escape(s));
    }

    private static String escape(String s) {
        StringBuilder b = new StringBuilder();
        s.chars().forEach(c -> b.append(String.format("\\u%04X", c)));
        return b.toString();
    }

    /** A command with every argument kind, whose bytes are known. */
    private static void mixed(RespWriter c) {
        c.array(7).arg("ZADD").arg("ключ😀".getBytes(UTF_8)).arg(-1.25).arg(Long.MIN_VALUE)
                .arg(MemorySegment.ofArray(new byte[]{0, '\r', '\n', (byte) 0xFF})).arg("päyload\uD800").arg(12345L);
    }

    @Test
    void overflowAtEveryLimitCountsTheFullSizeAndWritesNothingPastTheLimit() {
        byte[] full = encode(RespWriterTest::mixed);
        int offset = 13;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(offset + full.length + 16);
            for (int room = 0; room <= full.length; room++) {
                out.fill((byte) 0x5A);
                w.wrap(out, offset, offset + room);
                mixed(w);
                assertEquals(full.length, w.required(), "required with room " + room);
                assertEquals(room < full.length, w.overflowed(), "overflowed with room " + room);
                assertTrue(w.complete());
                assertTrue(w.written() <= room, "written within limit");
                assertEquals(offset + w.written(), w.position());
                for (long i = 0; i < out.byteSize(); i++) {
                    if (i < offset || i >= offset + room) {
                        assertEquals((byte) 0x5A, out.get(ValueLayout.JAVA_BYTE, i), "byte " + i + " touched, room " + room);
                    }
                }
                // what was written is a prefix of the full encoding, cut at an argument boundary
                byte[] prefix = out.asSlice(offset, w.written()).toArray(ValueLayout.JAVA_BYTE);
                assertArrayEquals(java.util.Arrays.copyOf(full, prefix.length), prefix);
                // retry with what it asked for: identical bytes
                w.wrap(out, offset, offset + w.required());
                mixed(w);
                assertFalse(w.overflowed());
                assertArrayEquals(full, out.asSlice(offset, w.written()).toArray(ValueLayout.JAVA_BYTE));
            }
        }
    }

    @Test
    void nonZeroOffsetInANativeSegment() {
        byte[] full = encode(RespWriterTest::mixed);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment big = arena.allocate(4096);
            w.wrap(big, 1001, big.byteSize());
            mixed(w);
            assertFalse(w.overflowed());
            assertEquals(1001 + full.length, w.position());
            assertArrayEquals(full, big.asSlice(1001, full.length).toArray(ValueLayout.JAVA_BYTE));
            assertEquals(0, big.get(ValueLayout.JAVA_BYTE, 1000));
        }
    }

    @Test
    void byteArraysAndByteBuffersAreWrappedDirectly() {
        byte[] full = encode(RespWriterTest::mixed);
        byte[] array = new byte[full.length + 10];
        w.wrap(array, 4, array.length);
        mixed(w);
        assertEquals(4 + full.length, w.position());
        assertArrayEquals(full, java.util.Arrays.copyOfRange(array, 4, 4 + full.length));

        for (java.nio.ByteBuffer buffer : List.of(java.nio.ByteBuffer.allocate(full.length + 20),
                java.nio.ByteBuffer.allocateDirect(full.length + 20))) {
            buffer.position(3).limit(3 + full.length);
            w.wrap(buffer);
            mixed(w);
            assertFalse(w.overflowed());
            buffer.position((int) w.position());
            assertEquals(3 + full.length, buffer.position());
            byte[] back = new byte[full.length];
            buffer.get(3, back);
            assertArrayEquals(full, back, buffer.toString());
            buffer.position(3).limit(3 + full.length - 1); // one byte short: counted, not written
            w.wrap(buffer);
            mixed(w);
            assertTrue(w.overflowed());
            assertEquals(full.length, w.required());
        }
        assertThrows(IllegalArgumentException.class, () -> w.wrap(java.nio.ByteBuffer.allocate(8).asReadOnlyBuffer()));
    }

    @Test
    void pipelineOfCommandsAfterOneWrap() {
        byte[] two = encode(c -> {
            c.array(2).arg("GET").arg("a");
            c.array(3).arg("SET").arg("b").arg(1);
        });
        assertEquals("*2\r\n$3\r\nGET\r\n$1\r\na\r\n*3\r\n$3\r\nSET\r\n$1\r\nb\r\n$1\r\n1\r\n", text(two));
    }

    @Test
    void wrapForgetsAnOverflowAndAnUnfinishedCommand() {
        MemorySegment out = MemorySegment.ofArray(new byte[64]);
        w.wrap(out, 0, 4).array(2).arg("GET");
        assertTrue(w.overflowed());
        assertFalse(w.complete());
        w.wrap(out, 0, 64).array(1).arg("PING");
        assertFalse(w.overflowed());
        assertEquals(14, w.required());
        assertEquals(14, w.position());
    }

    @Test
    void miscountedCommandsAreRefused() {
        MemorySegment out = MemorySegment.ofArray(new byte[64]);
        assertThrows(IllegalStateException.class, () -> w.wrap(out, 0, 64).arg("GET"));
        assertThrows(IllegalStateException.class, () -> w.wrap(out, 0, 64).array(1).arg("PING").arg("x"));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> w.wrap(out, 0, 64).array(2).arg("GET").array(1));
        assertTrue(e.getMessage().contains("missing 1 argument"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> w.wrap(out, 0, 64).array(0));
    }

    @Test
    void badRangesAndReadOnlySegmentsAreRefused() {
        MemorySegment out = MemorySegment.ofArray(new byte[8]);
        assertThrows(IllegalArgumentException.class, () -> w.wrap(out, -1, 8));
        assertThrows(IllegalArgumentException.class, () -> w.wrap(out, 5, 4));
        assertThrows(IllegalArgumentException.class, () -> w.wrap(out, 0, 9));
        assertThrows(IllegalArgumentException.class, () -> w.wrap(out.asReadOnly(), 0, 8));
        w.wrap(MemorySegment.ofArray(new byte[64]), 0, 64).array(2).arg("X");
        assertThrows(IndexOutOfBoundsException.class, () -> w.arg(new byte[3], 2, 2));
    }

    @Test
    void sizeHelpersAgreeWithTheEncoding() {
        for (int n : new int[]{1, 9, 10, 99, 100, 12345}) {
            assertEquals(("*" + n + "\r\n").length(), RespWriter.sizeOfArray(n));
        }
        for (long len : new long[]{0, 9, 10, 1 << 20}) {
            assertEquals(("$" + len + "\r\n\r\n").length() + len, RespWriter.sizeOfBulk(len));
        }
    }
}
