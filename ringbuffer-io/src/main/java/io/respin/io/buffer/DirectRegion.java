package io.respin.io.buffer;

import io.respin.RedisConnectionException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * What the read and the write buffer share: a direct {@link ByteBuffer} (for the socket) viewed as a
 * {@link MemorySegment} (for the engine), with the live bytes between {@code start} and {@code end}.
 * <pre>
 *   0 ........ start ................ end ............. capacity
 *   | done     | live                 | free            |
 * </pre>
 * It grows by reallocating (the live bytes move to 0) and gives memory back only after {@link #QUIET_CYCLES}
 * empty-again cycles in a row whose contents fit the initial size: a steady stream of large values must not
 * reallocate direct memory, which is expensive, on every round. Duty-confined, like the link that owns it; the
 * engine reads the segment only during a receive/encode the duty holder makes.
 */
public abstract class DirectRegion {
    static final int QUIET_CYCLES = 1024;

    final int initial;
    final int max;
    ByteBuffer buffer;
    MemorySegment segment;
    int start;
    int end;
    /** Highest {@code end} since the region was last empty. */
    private int peak;
    /** Empty-again cycles in a row whose peak fit {@code initial}. */
    private int quietCycles;

    DirectRegion(int initial, int max) {
        this.initial = initial;
        this.max = max;
        allocate(initial);
    }

    /** Replaces the buffer with one of {@code capacity} bytes, moving the live bytes to its start. */
    final void allocate(int capacity) {
        ByteBuffer next;
        try {
            next = ByteBuffer.allocateDirect(capacity);
        } catch (OutOfMemoryError e) {
            // direct memory is exhausted (-XX:MaxDirectMemorySize): this connection fails, the IO thread goes on
            throw new RedisConnectionException("respin could not allocate a direct buffer of " + capacity + " bytes for "
                    + "a connection's " + (this instanceof ReadBuffer ? "read" : "write") + " buffer (" + e.getMessage()
                    + "); the JVM's direct memory is exhausted: raise -XX:MaxDirectMemorySize, or lower the largest "
                    + "buffer with RedisClientBuilder.readBuffer/writeBuffer(initial, max) (IoSettings.Builder when "
                    + "embedding the IO layer)", true, e);
        }
        if (end > start) {
            // not ByteBuffer.put(index, src, ...): that checks against the source's limit, which the socket view
            // (forRead/forWrite) may have lowered
            MemorySegment.copy(segment, start, MemorySegment.ofBuffer(next), 0, end - start);
        }
        end -= start;
        start = 0;
        buffer = next;
        segment = MemorySegment.ofBuffer(next);
    }

    /** Moves the live bytes to 0 in place. */
    final void compact() {
        int n = end - start;
        MemorySegment.copy(segment, start, segment, 0, n);
        start = 0;
        end = n;
    }

    /**
     * Records that {@code start} moved; when nothing live is left the region starts again at 0 and may shrink.
     *
     * @return true when the region is now empty
     */
    final boolean startMoved() {
        peak = Math.max(peak, end);
        if (start != end) {
            return false;
        }
        start = 0;
        end = 0;
        if (buffer.capacity() > initial) {
            quietCycles = peak <= initial ? quietCycles + 1 : 0;
            if (quietCycles >= QUIET_CYCLES) {
                allocate(initial);
                quietCycles = 0;
            }
        }
        peak = 0;
        return true;
    }

    public final MemorySegment segment() {
        return segment;
    }

    public final int capacity() {
        return buffer.capacity();
    }
}
