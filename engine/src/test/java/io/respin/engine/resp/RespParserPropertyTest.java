package io.respin.engine.resp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Random reply trees, serialized in random legal forms, parsed in random chunks, give back equal trees. */
class RespParserPropertyTest {

    @Test
    void randomTreesSurviveRandomChunking() {
        for (long seed = 1; seed <= 300; seed++) {
            RandomReplies random = new RandomReplies(seed);
            List<Reply> expected = new ArrayList<>();
            ByteArrayOutputStream wire = new ByteArrayOutputStream();
            for (int i = 0; i < 20; i++) {
                Reply r = random.next(0);
                expected.add(r);
                random.write(r, wire);
            }
            byte[] in = wire.toByteArray();
            Random chunks = new Random(seed * 31);
            long threshold = new long[] {Long.MAX_VALUE, 0, 7, 64}[(int) (seed % 4)];
            long s = seed;
            List<Reply> actual = parse(in, chunks, threshold);
            List<String> want = canonical(expected);
            List<String> got = canonical(actual);
            for (int i = 0; i < Math.min(want.size(), got.size()); i++) {
                assertEquals(want.get(i), got.get(i), "seed " + s + ", reply " + i);
            }
            assertEquals(want.size(), got.size(), () -> "seed " + s);
            assertEquals(expected, actual, () -> "seed " + s);
        }
    }

    private static List<String> canonical(List<Reply> replies) {
        return replies.stream().map(CanonicalForm::of).toList();
    }

    /** Feeds random-sized chunks into a native buffer compacted after every call. */
    private static List<Reply> parse(byte[] in, Random chunks, long threshold) {
        RespParser parser = new RespParser().chunkThreshold(threshold);
        ReplyAssembler assembler = new ReplyAssembler();
        List<Reply> out = new ArrayList<>();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(in.length);
            long filled = 0;
            int fed = 0;
            while (fed < in.length) {
                int n = Math.min(in.length - fed, 1 + chunks.nextInt(chunks.nextBoolean() ? 8 : 200));
                MemorySegment.copy(in, fed, buf, ValueLayout.JAVA_BYTE, filled, n);
                fed += n;
                filled += n;
                long used = parser.parse(buf, 0, filled, assembler);
                if (used == RespParser.FAILED) {
                    throw parser.error();
                }
                MemorySegment.copy(buf, used, buf, 0, filled - used);
                filled -= used;
                for (Reply r = assembler.poll(); r != null; r = assembler.poll()) {
                    out.add(r);
                }
            }
            assertEquals(0, filled, "all consumed");
            assertEquals(true, parser.atReplyBoundary());
        }
        return out;
    }
}
