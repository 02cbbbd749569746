package io.respin.engine.resp;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;

/**
 * Test driver: feeds bytes to a {@link RespParser} the way transports do, and records what came out in the
 * canonical form, so that every way of feeding the same bytes can be compared with {@code equals}.
 */
final class Feed {

    /** The replies printed and how the input ended: "ok", "incomplete" or "error: message at offset N". */
    record Outcome(List<String> lines, String end, long position) {
        @Override public String toString() {
            return String.join("\n", lines) + "\n<" + end + ">";
        }

        Outcome withoutPosition() {
            return new Outcome(lines, end, 0);
        }
    }

    private Feed() {
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static RespParser parser(RespLimits limits, long threshold) {
        return new RespParser(limits).chunkThreshold(threshold);
    }

    /** The whole input in one call. */
    static Outcome whole(byte[] input, RespLimits limits, long threshold) {
        return shared(input, limits, threshold, () -> Integer.MAX_VALUE);
    }

    /** Input cut once at {@code cut}. */
    static Outcome split(byte[] input, int cut, RespLimits limits, long threshold) {
        int[] sizes = {cut, Integer.MAX_VALUE};
        int[] i = {0};
        return shared(input, limits, threshold, () -> sizes[Math.min(i[0]++, 1)]);
    }

    /**
     * One backing array; each call sees the unconsumed tail plus the next chunk (what Decode does).
     */
    static Outcome shared(byte[] input, RespLimits limits, long threshold, IntSupplier chunks) {
        RespParser parser = parser(limits, threshold);
        ReplyAssembler assembler = new ReplyAssembler();
        MemorySegment seg = MemorySegment.ofArray(input);
        List<String> lines = new ArrayList<>();
        long consumed = 0;
        long available = 0;
        do {
            available = Math.min(input.length, available + Math.max(1, chunks.getAsInt()));
            long used = parser.parse(seg, consumed, available - consumed, assembler);
            drain(assembler, lines);
            if (used == RespParser.FAILED) {
                return failed(parser, lines);
            }
            consumed += used;
        } while (available < input.length);
        return finish(parser, lines, consumed < input.length);
    }

    /**
     * A native buffer that is compacted after every call, the tail moved to a varying offset: the parser must not
     * depend on where its unconsumed bytes sit.
     */
    static Outcome compacting(byte[] input, RespLimits limits, long threshold, IntSupplier chunks) {
        RespParser parser = parser(limits, threshold);
        ReplyAssembler assembler = new ReplyAssembler();
        List<String> lines = new ArrayList<>();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(input.length + 16);
            long start = 0;
            long filled = 0;
            int fed = 0;
            int round = 0;
            while (fed < input.length) {
                int n = Math.min(input.length - fed, Math.max(1, chunks.getAsInt()));
                MemorySegment.copy(input, fed, buf, ValueLayout.JAVA_BYTE, filled, n);
                fed += n;
                filled += n;
                long used = parser.parse(buf, start, filled - start, assembler);
                drain(assembler, lines);
                if (used == RespParser.FAILED) {
                    return failed(parser, lines);
                }
                long tail = filled - start - used;
                long to = ++round % 7;
                MemorySegment.copy(buf, start + used, buf, to, tail);
                buf.asSlice(to + tail, buf.byteSize() - to - tail).fill((byte) '!'); // stale bytes must not matter
                start = to;
                filled = to + tail;
            }
            return finish(parser, lines, filled > start);
        }
    }

    /** The input at offset 13 of a larger native segment full of other bytes. */
    static Outcome atOffset(byte[] input, RespLimits limits, long threshold) {
        RespParser parser = parser(limits, threshold);
        ReplyAssembler assembler = new ReplyAssembler();
        List<String> lines = new ArrayList<>();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment seg = arena.allocate(input.length + 64);
            seg.fill((byte) '\n');
            MemorySegment.copy(input, 0, seg, ValueLayout.JAVA_BYTE, 13, input.length);
            long used = parser.parse(seg, 13, input.length, assembler);
            drain(assembler, lines);
            if (used == RespParser.FAILED) {
                return failed(parser, lines);
            }
            return finish(parser, lines, used < input.length);
        }
    }

    private static void drain(ReplyAssembler assembler, List<String> lines) {
        for (Reply r = assembler.poll(); r != null; r = assembler.poll()) {
            lines.add(CanonicalForm.of(r));
        }
    }

    private static Outcome failed(RespParser parser, List<String> lines) {
        return new Outcome(lines, "error: " + parser.error().getMessage(), parser.error().offset());
    }

    private static Outcome finish(RespParser parser, List<String> lines, boolean leftover) {
        boolean ok = !leftover && parser.atReplyBoundary();
        return new Outcome(lines, ok ? "ok" : "incomplete", parser.position());
    }
}
