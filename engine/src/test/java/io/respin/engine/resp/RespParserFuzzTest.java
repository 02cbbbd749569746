package io.respin.engine.resp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A million random and mutated inputs: the parser must only ever consume, wait for more, or report a protocol
 * error inside the input — never throw, never hand a handler an inconsistent token sequence, and never depend on
 * how the input was split. (A longer campaign: raise {@code respin.fuzz.inputs}, vary {@code respin.fuzz.seed}.)
 */
class RespParserFuzzTest {

    private static final int INPUTS = Integer.getInteger("respin.fuzz.inputs", 1_000_000);
    private static final long SEED = Long.getLong("respin.fuzz.seed", 42);
    private static final byte[] ALPHABET = Feed.bytes("+-:$*_,#!=(%~|>.;?\r\n\r\n\r\n0123456789-1eEinfatx ");

    /** Checks the token grammar the parser promises to handlers, with the parser's depth(). */
    static final class Checker implements RespHandler {
        private final RespParser parser;
        private final long[] left = new long[200];
        private final RespType[] types = new RespType[200];
        private int open;
        private boolean inString;
        private long end;

        Checker(RespParser parser) {
            this.parser = parser;
        }

        void reset(long inputEnd) {
            open = 0;
            inString = false;
            end = inputEnd;
        }

        private void check(boolean ok, String what) {
            if (!ok) {
                throw new AssertionError(what + " (open " + open + ", depth " + parser.depth() + ")");
            }
        }

        private void value() {
            check(!inString, "value inside a string");
            check(parser.depth() == open, "depth");
        }

        @Override public void onString(RespType type, MemorySegment data, long offset, long length) {
            value();
            check(offset >= 0 && length >= 0 && offset + length <= end, "slice inside the input");
        }

        @Override public void onStringStart(RespType type, long totalLength) {
            value();
            inString = true;
        }

        @Override public void onStringChunk(MemorySegment data, long offset, long length) {
            check(inString, "chunk outside a string");
            check(length > 0 && offset + length <= end, "chunk inside the input");
        }

        @Override public void onStringEnd() {
            check(inString, "string end outside a string");
            inString = false;
        }

        @Override public void onInteger(long value) {
            value();
        }

        @Override public void onDouble(double value) {
            value();
        }

        @Override public void onBoolean(boolean value) {
            value();
        }

        @Override public void onNull() {
            value();
        }

        @Override public void onAggregateStart(RespType type, long count) {
            value();
            check(type.isAggregate() && count >= -1, "aggregate type");
            types[open++] = type;
        }

        @Override public void onAggregateEnd(RespType type) {
            check(open > 0 && types[--open] == type, "aggregate end matches its start");
            check(parser.depth() == open, "depth at end");
        }

        @Override public void onReplyEnd() {
            check(open == 0 && !inString && parser.depth() == 0, "reply end at top level");
        }
    }

    @Test
    void randomAndMutatedInputsOnlyEverParseWaitOrFail() {
        SplittableRandom rnd = new SplittableRandom(SEED);
        List<byte[]> seeds = seeds();
        RespParser parser = new RespParser(RespLimits.DEFAULT.withMaxDepth(16).withMaxBulk(1 << 16));
        Checker checker = new Checker(parser);
        int[] outcomes = new int[3];
        byte[] buf = new byte[256];
        for (int i = 0; i < INPUTS; i++) {
            int n = rnd.nextInt(4) == 0 ? random(rnd, buf) : mutate(rnd, seeds.get(rnd.nextInt(seeds.size())), buf);
            parser.reset();
            checker.reset(n);
            long used;
            try {
                used = parser.parse(buf, 0, n, checker);
            } catch (RuntimeException | AssertionError e) {
                throw new AssertionError("input " + i + ": " + show(buf, n), e);
            }
            if (used == RespParser.FAILED) {
                long at = parser.error().offset();
                if (at < 0 || at >= n) {
                    throw new AssertionError("error offset " + at + " outside the input: " + show(buf, n));
                }
                outcomes[2]++;
            } else if (used < 0 || used > n) {
                throw new AssertionError("consumed " + used + " of " + n + ": " + show(buf, n));
            } else {
                outcomes[used == n && parser.atReplyBoundary() ? 0 : 1]++;
            }
            if (i % 128 == 0) {
                byte[] in = Arrays.copyOf(buf, n);
                int cut = 1 + rnd.nextInt(Math.max(1, n));
                assertEquals(Feed.whole(in, parser.limits(), Long.MAX_VALUE).withoutPosition(),
                        Feed.split(in, cut, parser.limits(), rnd.nextBoolean() ? 0 : Long.MAX_VALUE).withoutPosition(),
                        () -> "split at " + cut + ": " + show(in, in.length));
            }
        }
        // the generator must reach all three outcomes often, or the test proves little
        for (int o : outcomes) {
            org.junit.jupiter.api.Assertions.assertTrue(o > INPUTS / 50, Arrays.toString(outcomes));
        }
    }

    private static int random(SplittableRandom rnd, byte[] buf) {
        int n = 1 + rnd.nextInt(32);
        for (int i = 0; i < n; i++) {
            buf[i] = rnd.nextInt(8) == 0 ? (byte) rnd.nextInt(256) : ALPHABET[rnd.nextInt(ALPHABET.length)];
        }
        return n;
    }

    private static int mutate(SplittableRandom rnd, byte[] seed, byte[] buf) {
        int n = Math.min(seed.length, buf.length - 8);
        System.arraycopy(seed, 0, buf, 0, n);
        for (int k = 1 + rnd.nextInt(3); k > 0 && n > 0; k--) {
            int at = rnd.nextInt(n);
            switch (rnd.nextInt(5)) {
                case 0 -> buf[at] = (byte) rnd.nextInt(256);
                case 1 -> buf[at] = ALPHABET[rnd.nextInt(ALPHABET.length)];
                case 2 -> {
                    System.arraycopy(buf, at, buf, at + 1, n - at);
                    buf[at] = ALPHABET[rnd.nextInt(ALPHABET.length)];
                    n++;
                }
                case 3 -> {
                    System.arraycopy(buf, at + 1, buf, at, n - at - 1);
                    n--;
                }
                default -> n = at + 1; // truncate
            }
        }
        return Math.max(n, 1);
    }

    private static List<byte[]> seeds() {
        List<byte[]> seeds = new ArrayList<>();
        for (Corpus.Fixture f : Corpus.valid()) {
            seeds.add(f.bytes());
        }
        RandomReplies random = new RandomReplies(99);
        for (int i = 0; i < 200; i++) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            random.write(random.next(2), out);
            if (out.size() < 200) {
                seeds.add(out.toByteArray());
            }
        }
        return seeds;
    }

    private static String show(byte[] b, int n) {
        StringBuilder s = new StringBuilder();
        CanonicalForm.quoted(s, b, 0, n);
        return s.toString();
    }
}
