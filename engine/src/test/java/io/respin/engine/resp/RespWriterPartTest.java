package io.respin.engine.resp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * A command written in parts ({@link RespWriter#wrapPart}) through a small buffer is byte for byte the command
 * written whole: whatever the part sizes, wherever the cuts fall (inside a header, a CRLF, a multi-byte char).
 */
class RespWriterPartTest {

    @Test
    void partsOfAnySizeConcatenateToTheWholeCommand() {
        Random random = new Random(42);
        for (int round = 0; round < 300; round++) {
            Consumer<RespWriter> command = randomCommand(random);
            byte[] whole = whole(command);
            int part = 1 + random.nextInt(random.nextBoolean() ? 16 : 4096);
            assertArrayEquals(whole, inParts(command, part, false), "round " + round + ", parts of " + part);
        }
    }

    @Test
    void aPartAskedOutOfOrderIsStillRight() {
        Random random = new Random(7);
        for (int round = 0; round < 100; round++) {
            Consumer<RespWriter> command = randomCommand(random);
            byte[] whole = whole(command);
            int part = 1 + random.nextInt(2048);
            assertArrayEquals(whole, inParts(command, part, true), "round " + round);
        }
    }

    @Test
    void aLongUtf8ValueStreamsInOnePassOverIt() {
        String value = "ü€😀a".repeat(200_000); // 2, 3, 4 and 1 bytes: every kind of cut
        Consumer<RespWriter> command = w -> w.array(3).arg("SET").arg("k").arg(value);
        assertArrayEquals(whole(command), inParts(command, 65_536, false));
    }

    private static byte[] whole(Consumer<RespWriter> command) {
        try (Arena arena = Arena.ofConfined()) {
            RespWriter w = new RespWriter();
            w.wrapPart(MemorySegment.NULL, 0, 0, 0); // measure: nothing written
            command.accept(w);
            long length = w.partLength();
            MemorySegment out = arena.allocate(length);
            w.wrap(out, 0, length);
            command.accept(w);
            assertEquals(length, w.position(), "the part mode measures what wrap writes");
            return out.toArray(ValueLayout.JAVA_BYTE);
        }
    }

    private static byte[] inParts(Consumer<RespWriter> command, int partSize, boolean reverse) {
        try (Arena arena = Arena.ofConfined()) {
            RespWriter w = new RespWriter();
            w.wrapPart(MemorySegment.NULL, 0, 0, 0);
            command.accept(w);
            long length = w.partLength();
            byte[] result = new byte[(int) length];
            MemorySegment buffer = arena.allocate(partSize + 8);
            int parts = (int) ((length + partSize - 1) / partSize);
            for (int k = 0; k < parts; k++) {
                int p = reverse ? parts - 1 - k : k;
                long skip = (long) p * partSize;
                buffer.fill((byte) 0x55);
                w.wrapPart(buffer, 8, 8 + partSize, skip);
                command.accept(w);
                assertEquals(length, w.partLength());
                long n = w.position() - 8;
                assertEquals(Math.min(partSize, length - skip), n, "part " + p + " is full, or the last");
                MemorySegment.copy(buffer, ValueLayout.JAVA_BYTE, 8, result, (int) skip, (int) n);
                assertEquals((byte) 0x55, buffer.get(ValueLayout.JAVA_BYTE, 7), "nothing before the offset");
                if (n < partSize) {
                    assertEquals((byte) 0x55, buffer.get(ValueLayout.JAVA_BYTE, 8 + n), "nothing after the part");
                }
            }
            return result;
        }
    }

    private static Consumer<RespWriter> randomCommand(Random random) {
        int n = 1 + random.nextInt(12);
        Object[] args = new Object[n];
        for (int i = 0; i < n; i++) {
            args[i] = switch (random.nextInt(6)) {
                case 0 -> bytes(random, random.nextInt(3000));
                case 1 -> text(random, random.nextInt(3000));
                case 2 -> random.nextLong() >> random.nextInt(64);
                case 3 -> random.nextDouble() * 1e6 - 5e5;
                case 4 -> MemorySegment.ofArray(bytes(random, random.nextInt(500)));
                default -> "ascii-" + random.nextInt(1_000_000);
            };
        }
        return w -> {
            w.array(n);
            for (Object a : args) {
                switch (a) {
                    case byte[] b -> w.arg(b);
                    case String s -> w.arg(s);
                    case Long l -> w.arg((long) l);
                    case Double d -> w.arg((double) d);
                    case MemorySegment m -> w.arg(m);
                    default -> throw new AssertionError(a);
                }
            }
        };
    }

    private static byte[] bytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static String text(Random random, int n) {
        StringBuilder sb = new StringBuilder(n);
        String[] pieces = {"a", "ß", "€", "😀", "\uD800", "z", "\r\n"};
        while (sb.length() < n) {
            sb.append(pieces[random.nextInt(pieces.length)]);
        }
        return sb.toString();
    }

}
