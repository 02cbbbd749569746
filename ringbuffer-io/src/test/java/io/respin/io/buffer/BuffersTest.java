package io.respin.io.buffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.respin.io.loop.Backoff;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** The buffer rules: only the unparsed tail moves, growth up to the maximum, shrink back once empty. */
class BuffersTest {

    private static void fill(ReadBuffer b, int n, byte value) {
        ByteBuffer bb = b.forRead();
        for (int i = 0; i < n; i++) {
            bb.put(value);
        }
        b.filled(n);
    }

    @Test
    void consumedBytesAreDroppedAndTheTailMovesToTheFront() {
        ReadBuffer b = new ReadBuffer(16, 64);
        fill(b, 14, (byte) 'a');
        assertTrue(b.consumed(10)); // 4 left, 2 free < 16/4: compact
        assertEquals(0, b.start());
        assertEquals(4, b.unparsed());
        assertEquals(16, b.capacity());
        assertEquals('a', b.segment().get(ValueLayout.JAVA_BYTE, 0));
    }

    @Test
    void aTailThatFillsTheBufferMakesItGrowUpToTheMaximumThenShrinkBackWhenEmpty() {
        ReadBuffer b = new ReadBuffer(16, 64);
        fill(b, 16, (byte) 'x');
        assertTrue(b.consumed(0));
        assertEquals(32, b.capacity());
        fill(b, 16, (byte) 'y');
        assertTrue(b.consumed(0));
        assertEquals(64, b.capacity());
        assertEquals('x', b.segment().get(ValueLayout.JAVA_BYTE, 0));
        assertEquals('y', b.segment().get(ValueLayout.JAVA_BYTE, 31));
        fill(b, 32, (byte) 'z');
        assertFalse(b.consumed(0), "a reply larger than the maximum is refused");
        assertTrue(b.consumed(64));
        assertEquals(64, b.capacity(), "no reallocation right after a large reply: another may follow");
        for (int i = 0; i < ReadBuffer.QUIET_CYCLES - 1; i++) {
            fill(b, 10, (byte) 's');
            assertTrue(b.consumed(10));
        }
        assertEquals(64, b.capacity());
        fill(b, 10, (byte) 's');
        assertTrue(b.consumed(10));
        assertEquals(16, b.capacity(), "shrinks back once small replies have been the rule for a while");
    }

    @Test
    void writeBufferCompactsThenGrowsAndShrinksBackAfterTheFlush() {
        WriteBuffer w = new WriteBuffer(16, 64);
        w.advance(12);
        ByteBuffer bb = w.forWrite();
        assertEquals(12, bb.remaining());
        w.written(8); // partial write: 4 left
        assertTrue(w.makeRoom(10)); // compaction is enough
        assertEquals(16, w.capacity());
        assertEquals(4, w.end());
        assertTrue(w.makeRoom(40));
        assertEquals(64, w.capacity());
        assertFalse(w.makeRoom(100));
        assertTrue(w.tooLarge(65));
        w.written(4);
        assertTrue(w.isEmpty());
        assertEquals(64, w.capacity(), "kept while large commands may still come");
        for (int i = 0; i < WriteBuffer.QUIET_CYCLES; i++) {
            w.advance(8);
            w.forWrite();
            w.written(8);
        }
        assertEquals(16, w.capacity(), "shrinks back after a long run of small batches");
    }

    @Test
    void growingAfterAZeroByteWriteKeepsEveryUnwrittenByte() {
        WriteBuffer w = new WriteBuffer(16, 64);
        for (int i = 0; i < 16; i++) {
            w.segment().set(java.lang.foreign.ValueLayout.JAVA_BYTE, i, (byte) i);
        }
        w.advance(12);
        w.forWrite(); // the socket's view: its limit is 12 now; the socket takes nothing
        w.advance(16); // more encoded past the view's limit
        assertTrue(w.makeRoom(40)); // grows without compacting: must copy 0..16, beyond the old view's limit
        ByteBuffer bb = w.forWrite();
        assertEquals(16, bb.remaining());
        for (int i = 0; i < 16; i++) {
            assertEquals(i, bb.get());
        }
    }

    @Test
    void backoffDoublesFromTheMinimumToTheCapWithJitterAndResets() {
        Backoff b = new Backoff(2_000_000, 1_000_000_000, 0.2);
        long first = b.next();
        assertTrue(first >= 1_600_000 && first <= 2_400_000, "first " + first);
        long last = 0;
        for (int i = 0; i < 20; i++) {
            last = b.next();
        }
        assertTrue(last >= 800_000_000 && last <= 1_200_000_000, "capped " + last);
        b.reset();
        assertTrue(b.next() <= 2_400_000);
        Backoff exact = new Backoff(5, 40, 0);
        assertEquals(5, exact.next());
        assertEquals(10, exact.next());
        assertEquals(20, exact.next());
        assertEquals(40, exact.next());
        assertEquals(40, exact.next());
    }
}
