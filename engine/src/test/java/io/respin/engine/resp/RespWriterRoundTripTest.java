package io.respin.engine.resp;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Property: random commands encoded by the writer parse back (through respin's own parser, in random chunks) as
 * arrays of bulk strings holding exactly the argument bytes — what the server sees.
 */
class RespWriterRoundTripTest {

    @Test
    void randomCommandsParseBackToTheirArguments() {
        Random r = new Random(2024);
        RespWriter w = new RespWriter();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(1 << 20);
            for (int round = 0; round < 300; round++) {
                List<Reply> expected = new ArrayList<>();
                w.wrap(out, 0, out.byteSize());
                int commands = 1 + r.nextInt(5);
                for (int c = 0; c < commands; c++) {
                    int n = 1 + r.nextInt(12);
                    w.array(n);
                    List<Reply> args = new ArrayList<>();
                    for (int i = 0; i < n; i++) {
                        args.add(new Reply.Text(RespType.BULK_STRING, randomArg(r, w)));
                    }
                    expected.add(new Reply.Aggregate(RespType.ARRAY, args));
                }
                assertEquals(expected, parseInChunks(out, w.position(), r), "round " + round);
            }
        }
    }

    /** Writes one random argument of a random kind and returns the bytes it must arrive as. */
    private static byte[] randomArg(Random r, RespWriter w) {
        switch (r.nextInt(5)) {
            case 0 -> {
                byte[] b = new byte[r.nextInt(r.nextBoolean() ? 8 : 3000)];
                r.nextBytes(b);
                w.arg(b);
                return b;
            }
            case 1 -> {
                char[] cs = new char[r.nextInt(20)];
                for (int i = 0; i < cs.length; i++) {
                    cs[i] = (char) (r.nextBoolean() ? 'a' + r.nextInt(26) : r.nextInt(0x10000));
                }
                String s = new String(cs);
                w.arg(s);
                return s.getBytes(UTF_8);
            }
            case 2 -> {
                long v = r.nextLong() >> r.nextInt(64);
                w.arg(v);
                return Long.toString(v).getBytes(UTF_8);
            }
            case 3 -> {
                double v = r.nextBoolean() ? r.nextGaussian() * 1e6 : Double.longBitsToDouble(r.nextLong());
                w.arg(v);
                String text = Double.isNaN(v) ? "nan" : Double.isInfinite(v) ? (v > 0 ? "inf" : "-inf") : Double.toString(v);
                return text.getBytes(UTF_8);
            }
            default -> {
                byte[] b = new byte[r.nextInt(64)];
                r.nextBytes(b);
                int off = b.length == 0 ? 0 : r.nextInt(b.length);
                w.arg(MemorySegment.ofArray(b), off, b.length - off);
                return java.util.Arrays.copyOfRange(b, off, b.length);
            }
        }
    }

    private static List<Reply> parseInChunks(MemorySegment data, long size, Random r) {
        RespParser parser = new RespParser();
        ReplyAssembler assembler = new ReplyAssembler();
        long start = 0;
        long end = 0;
        while (end < size) {
            end = Math.min(size, end + 1 + r.nextInt(700));
            long used = parser.parse(data, start, end - start, assembler);
            assertNull(parser.error());
            start += used;
        }
        assertEquals(size, start, "every byte consumed");
        List<Reply> out = new ArrayList<>();
        for (Reply x; (x = assembler.poll()) != null; ) {
            out.add(x);
        }
        return out;
    }
}
