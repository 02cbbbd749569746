package io.respin.engine.resp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The Java blocks of docs/engine.md (parser and writer), run (DocSnippetsTest keeps the doc's copies equal). */
class EngineDocTest {

    private static MemorySegment nativeCopy(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        MemorySegment s = Arena.ofAuto().allocate(bytes.length + 16);
        MemorySegment.copy(MemorySegment.ofArray(bytes), 0, s, 0, bytes.length);
        return s;
    }

    @Test
    void theParseLoopKeepsTheUnconsumedTail() {
        String wire = "+OK\r\n:5\r\n$5\r\nhel";
        MemorySegment segment = nativeCopy(wire);
        long start = 0;
        long end = wire.length();
        // snippet: parse-loop
        RespParser parser = new RespParser(RespLimits.DEFAULT);
        ReplyAssembler replies = new ReplyAssembler();          // or your own RespHandler: no objects at all
        long used = parser.parse(segment, start, end - start, replies);
        if (used == RespParser.FAILED) {
            throw parser.error();                               // RedisProtocolException: reason + stream offset
        }
        start += used;                                          // the unconsumed tail comes again, with more bytes
        for (Reply r = replies.poll(); r != null; r = replies.poll()) {
            System.out.println(r);
        }
        // end snippet
        assertEquals("+OK\r\n:5\r\n$5\r\n".length(), start, "the bulk's header is consumed, its partial payload left");
        assertEquals(5 + 2, parser.bytesNeeded(), "the payload and its CRLF, counted from the unconsumed tail");
    }

    // snippet: sum-integers
    final class SumIntegers extends RespHandler.Adapter {
        long sum;
        @Override public void onInteger(long value) { sum += value; }
        @Override public void onString(RespType type, MemorySegment data, long offset, long length) {
            // a slice of YOUR buffer, valid during this call only: copy it or decode it now
        }
    }
    // end snippet

    @Test
    void aHandlerSeesTokensAtEveryDepth() {
        String wire = ":1\r\n*2\r\n:2\r\n$1\r\nx\r\n%1\r\n+k\r\n:7\r\n";
        SumIntegers sum = new SumIntegers();
        long used = new RespParser().parse(nativeCopy(wire), 0, wire.length(), sum);
        assertEquals(wire.length(), used);
        assertEquals(10, sum.sum);
    }

    private static MemorySegment grow(MemorySegment old, long size) {
        MemorySegment bigger = Arena.ofAuto().allocate(size);
        MemorySegment.copy(old, 0, bigger, 0, old.byteSize());
        return bigger;
    }

    @Test
    void theWriterSaysWhatItNeedsAndTheRetryIsExact() {
        MemorySegment out = Arena.ofAuto().allocate(8);
        long pos = 3;
        byte[] keyBytes = "k".getBytes(StandardCharsets.US_ASCII);
        // snippet: respwriter
        RespWriter w = new RespWriter();                       // one per encoding thread, reused forever
        w.wrap(out, pos, out.byteSize())                       // write into out[pos, byteSize)
         .array(3).arg("SET").arg(keyBytes).arg(42L);          // *3\r\n$3\r\nSET\r\n$..\r\n...\r\n$2\r\n42\r\n
        if (w.overflowed()) {                                  // did not fit: nothing past the limit was touched
            out = grow(out, pos + w.required());               // required() = bytes the whole command needs
            // encode again: the result is byte for byte what an unconstrained encode writes
        } else {
            pos = w.position();                                // just after the command
        }
        // end snippet
        String expected = "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$2\r\n42\r\n";
        assertEquals(pos + expected.length(), out.byteSize(), "grown to exactly what the command needs");
        w.wrap(out, pos, out.byteSize()).array(3).arg("SET").arg(keyBytes).arg(42L);
        assertFalse(w.overflowed());
        assertEquals(out.byteSize(), w.position());
        byte[] written = out.asSlice(pos, expected.length()).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
        assertEquals(expected, new String(written, StandardCharsets.US_ASCII));
    }
}
