package io.respin.io.buffer;

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
public final class WriteBuffer extends DirectRegion {

    public WriteBuffer(int initial, int max) {
        super(initial, max);
    }

    public int end() {
        return end;
    }

    public void advance(long newEnd) {
        end = (int) newEnd;
    }

    public boolean isEmpty() {
        return start == end;
    }

    /**
     * Makes room for {@code needed} more bytes after {@code end}: compacts, then grows.
     *
     * @return false when even a buffer of the maximum size has no room (the caller flushes first)
     */
    public boolean makeRoom(long needed) {
        if (buffer.capacity() - end >= needed) {
            return true;
        }
        if (start > 0) {
            compact();
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
    public boolean tooLarge(long needed) {
        return needed > max;
    }

    /** The socket's view: position..limit is what is left to write. */
    public ByteBuffer forWrite() {
        buffer.limit(end).position(start);
        return buffer;
    }

    /** Records bytes the socket took from {@link #forWrite()}. */
    public void written(int n) {
        start += n;
        startMoved();
    }

    public void clear() {
        start = 0;
        end = 0;
    }
}
