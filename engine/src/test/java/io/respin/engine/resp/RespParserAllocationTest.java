package io.respin.engine.resp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The hot path allocates nothing: 100,000 replies of the common shapes (status, integer, bulk, array of bulks),
 * parsed after warm-up, whole and split into small steps (every token crossing a call boundary), through each
 * entry point, measured with {@link com.sun.management.ThreadMXBean#getCurrentThreadAllocatedBytes()}.
 */
class RespParserAllocationTest {

    private static final String PATTERN = "+OK\r\n:12345\r\n$5\r\nhello\r\n*3\r\n$3\r\nfoo\r\n$3\r\nbar\r\n$3\r\nbaz\r\n";
    private static final int REPLIES = 100_000;
    private static final int WARM_UP = 10;
    private static final long RUNS = WARM_UP + 1;
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private static byte[] input;

    /** Counts tokens without allocating, as a typed reply decoder would. */
    static final class Counting extends RespHandler.Adapter {
        long replies;
        long sum;

        @Override public void onString(RespType type, MemorySegment data, long offset, long length) {
            sum += length + data.get(ValueLayout.JAVA_BYTE, offset);
        }

        @Override public void onInteger(long value) {
            sum += value;
        }

        @Override public void onDouble(double value) {
            sum += (long) value;
        }

        @Override public void onAggregateStart(RespType type, long count) {
            sum += count;
        }

        @Override public void onReplyEnd() {
            replies++;
        }
    }

    @BeforeAll
    static void build() {
        input = Feed.bytes(PATTERN.repeat(REPLIES / 4));
    }

    private static long allocatedBy(Runnable r) {
        THREADS.getCurrentThreadAllocatedBytes(); // first call may set up its own state
        long before = THREADS.getCurrentThreadAllocatedBytes();
        r.run();
        return THREADS.getCurrentThreadAllocatedBytes() - before;
    }

    private static void warmUpAndAssertZero(String what, Runnable run) {
        for (int i = 0; i < WARM_UP; i++) {
            run.run();
        }
        assertEquals(0, allocatedBy(run), what + ": bytes allocated while parsing " + REPLIES + " replies");
    }

    private static void whole(RespParser p, Counting h, MemorySegment seg) {
        long used = p.parse(seg, 0, seg.byteSize(), h);
        if (used != seg.byteSize()) {
            throw new AssertionError("parsed " + used + ": " + p.error());
        }
    }

    @Test
    void wholeNativeSegmentAllocatesNothing() {
        RespParser p = new RespParser();
        Counting h = new Counting();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment seg = arena.allocate(input.length);
            MemorySegment.copy(input, 0, seg, ValueLayout.JAVA_BYTE, 0, input.length);
            warmUpAndAssertZero("native segment", () -> whole(p, h, seg));
        }
        assertEquals(RUNS * REPLIES, h.replies);
    }

    @Test
    void smallStepsWithPartialTokensAllocateNothing() {
        RespParser p = new RespParser();
        Counting h = new Counting();
        MemorySegment seg = MemorySegment.ofArray(input);
        warmUpAndAssertZero("7-byte steps", () -> {
            long consumed = 0;
            for (long available = 0; available < input.length; ) {
                available = Math.min(input.length, available + 7);
                consumed += p.parse(seg, consumed, available - consumed, h);
            }
        });
        assertEquals(RUNS * REPLIES, h.replies);
    }

    @Test
    void byteBufferAndArrayEntryPointsAllocateNothing() {
        RespParser p = new RespParser();
        Counting h = new Counting();
        ByteBuffer direct = ByteBuffer.allocateDirect(input.length).put(input).flip();
        warmUpAndAssertZero("direct ByteBuffer", () -> {
            direct.position(0);
            p.parse(direct, h);
        });
        ByteBuffer heap = ByteBuffer.wrap(input);
        warmUpAndAssertZero("heap ByteBuffer", () -> {
            heap.position(0);
            p.parse(heap, h);
        });
        warmUpAndAssertZero("byte[]", () -> p.parse(input, 0, input.length, h));
        assertEquals(3 * RUNS * REPLIES, h.replies);
    }

    @Test
    void piecesAndRESP3ScalarsIncluding17DigitDoublesAllocateNothing() {
        byte[] resp3 = Feed.bytes(("$20\r\n01234567890123456789\r\n,3.14\r\n,-1.5e10\r\n,3.1400000000000001\r\n,1.2345678901234567e-300\r\n#t\r\n_\r\n%1\r\n+k\r\n(12345\r\n"
                + "|1\r\n+a\r\n:1\r\n>2\r\n+x\r\n=8\r\ntxt:abcd\r\n").repeat(REPLIES / 8));
        RespParser p = new RespParser().chunkThreshold(8);
        Counting h = new Counting();
        MemorySegment seg = MemorySegment.ofArray(resp3);
        warmUpAndAssertZero("RESP3 and bulk pieces", () -> {
            long used = p.parse(seg, 0, seg.byteSize(), h);
            assertEquals(seg.byteSize(), used);
        });
    }
}
