package io.respin.io;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * A connection's off-heap write buffer: commands are encoded straight into it and the socket writes from it.
 * <pre>
 *   0 ........ start ................ end ............. capacity
 *   | written  | encoded, not yet     | free: the next  |
 *   |          | written (partial)    | command goes here
 * </pre>
 * One pass of the IO thread encodes a whole batch and then flushes once; a partial write leaves
 * {@code start..end} for when the socket is writable again. The buffer grows (doubling, up to the maximum) for a
 * command larger than the free space and shrinks back to its initial size after a long run of small batches.
 */
final class WriteBuffer {
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

    WriteBuffer(int initial, int max) {
        this.initial = initial;
        this.max = max;
        allocate(initial);
    }

    private void allocate(int capacity) {
        ByteBuffer next = ByteBuffer.allocateDirect(capacity);
        if (end > start) {
            // not ByteBuffer.put(index, src, ...): that checks against src's limit, which forWrite() may have lowered
            MemorySegment.copy(segment, start, MemorySegment.ofBuffer(next), 0, end - start);
        }
        end -= start;
        start = 0;
        buffer = next;
        segment = MemorySegment.ofBuffer(next);
    }

    MemorySegment segment() {
        return segment;
    }

    int end() {
        return end;
    }

    int capacity() {
        return buffer.capacity();
    }

    void advance(long newEnd) {
        end = (int) newEnd;
    }

    boolean isEmpty() {
        return start == end;
    }

    /**
     * Makes room for {@code needed} more bytes after {@code end}: compacts, then grows.
     *
     * @return false when even a buffer of the maximum size has no room (the caller flushes first)
     */
    boolean makeRoom(long needed) {
        if (buffer.capacity() - end >= needed) {
            return true;
        }
        if (start > 0) {
            int n = end - start;
            MemorySegment.copy(segment, start, segment, 0, n);
            start = 0;
            end = n;
            if (buffer.capacity() - end >= needed) {
                return true;
            }
        }
        long want = (long) end + needed;
        if (want > max) {
            return false;
        }
        long cap = buffer.capacity();
        while (cap < want) {
            cap *= 2;
        }
        allocate((int) Math.min(max, cap));
        return true;
    }

    /** True when a single command of {@code needed} bytes could never fit. */
    boolean tooLarge(long needed) {
        return needed > max;
    }

    /** The socket's view: position..limit is what is left to write. */
    ByteBuffer forWrite() {
        buffer.limit(end).position(start);
        return buffer;
    }

    /** Records bytes the socket took from {@link #forWrite()}. */
    void written(int n) {
        start += n;
        peak = Math.max(peak, end);
        if (start == end) {
            start = 0;
            end = 0;
            maybeShrink();
        }
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
    }
}
