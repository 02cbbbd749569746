package io.respin.io;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * A connection's off-heap read buffer: a direct {@link ByteBuffer} for the socket, viewed as a
 * {@link MemorySegment} for the parser, which reads in place.
 * <pre>
 *   0 ......... start ................ end ............. capacity
 *   | consumed  | unparsed (a partial  | free: the next   |
 *   |           |  reply's head)       | read lands here  |
 * </pre>
 * After each parse, {@code start} moves past what was consumed. Only the unparsed tail is ever moved (to 0),
 * when the free part runs short; the buffer doubles when a single unparsed tail fills it (up to the configured
 * maximum) and shrinks back to its initial size after a long run of small replies (not after each large one:
 * allocating a direct buffer costs far more than keeping one).
 */
final class ReadBuffer {
    private final int initial;
    private final int max;
    private ByteBuffer buffer;
    private MemorySegment segment;
    private int start;
    private int end;
    /** Highest {@code end} since the buffer was last empty, and how many empty-again cycles in a row fit
     *  {@code initial}: the buffer shrinks only after {@link #QUIET_CYCLES} of them, so a steady stream of large
     *  values does not reallocate (direct buffers are expensive to allocate) on every round. */
    private int peak;
    private int quietCycles;
    static final int QUIET_CYCLES = 1024;

    ReadBuffer(int initial, int max) {
        this.initial = initial;
        this.max = max;
        allocate(initial);
    }

    private void allocate(int capacity) {
        ByteBuffer next = ByteBuffer.allocateDirect(capacity);
        if (end > start) {
            MemorySegment.copy(segment, start, MemorySegment.ofBuffer(next), 0, end - start); // limits play no part
        }
        end -= start;
        start = 0;
        buffer = next;
        segment = MemorySegment.ofBuffer(next);
    }

    /** The socket's view: position..limit is the free part. */
    ByteBuffer forRead() {
        buffer.limit(buffer.capacity()).position(end);
        return buffer;
    }

    /** Records bytes the socket wrote into {@link #forRead()}. */
    void filled(int n) {
        end += n;
    }

    MemorySegment segment() {
        return segment;
    }

    int start() {
        return start;
    }

    int unparsed() {
        return end - start;
    }

    /**
     * Marks {@code n} bytes consumed and makes room for the next read.
     *
     * @return false when the unparsed tail fills a buffer of the maximum size (the reply is too large)
     */
    boolean consumed(long n) {
        start += (int) n;
        peak = Math.max(peak, end);
        if (start == end) {
            start = 0;
            end = 0;
            maybeShrink();
            return true;
        }
        int free = buffer.capacity() - end;
        if (free >= buffer.capacity() / 4) {
            return true;
        }
        if (start > 0) {
            compact();
            if (buffer.capacity() - end >= buffer.capacity() / 4) {
                return true;
            }
        }
        if (end < buffer.capacity()) {
            return true; // still room for some bytes
        }
        if (buffer.capacity() >= max) {
            return false;
        }
        allocate((int) Math.min(max, buffer.capacity() * 2L));
        return true;
    }

    private void compact() {
        int n = end - start;
        MemorySegment.copy(segment, start, segment, 0, n);
        start = 0;
        end = n;
    }

    int capacity() {
        return buffer.capacity();
    }

    /** Empty again: give memory back once large contents have stopped coming for a while. */
    private void maybeShrink() {
        if (buffer.capacity() > initial) {
            quietCycles = peak <= initial ? quietCycles + 1 : 0;
            if (quietCycles >= QUIET_CYCLES) {
                allocate(initial);
                quietCycles = 0;
            }
        }
        peak = 0;
    }

    void clear() {
        start = 0;
        end = 0;
        if (buffer.capacity() > initial) {
            allocate(initial);
        }
    }
}
