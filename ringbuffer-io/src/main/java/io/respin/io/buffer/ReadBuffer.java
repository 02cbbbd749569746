package io.respin.io.buffer;

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
public final class ReadBuffer extends DirectRegion {

    public ReadBuffer(int initial, int max) {
        super(initial, max);
    }

    /** The socket's view: position..limit is the free part. */
    public ByteBuffer forRead() {
        buffer.limit(buffer.capacity()).position(end);
        return buffer;
    }

    /** Records bytes the socket wrote into {@link #forRead()}. */
    public void filled(int n) {
        end += n;
    }

    public int start() {
        return start;
    }

    public int unparsed() {
        return end - start;
    }

    /**
     * Marks {@code n} bytes consumed and makes room for the next read.
     *
     * @return false when the unparsed tail fills a buffer of the maximum size (the reply is too large)
     */
    public boolean consumed(long n) {
        start += (int) n;
        if (startMoved()) {
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

    public void clear() {
        start = 0;
        end = 0;
        if (buffer.capacity() > initial) {
            allocate(initial);
        }
    }
}
