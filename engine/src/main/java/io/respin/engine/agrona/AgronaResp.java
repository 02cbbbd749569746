package io.respin.engine.agrona;

import io.respin.engine.resp.RespHandler;
import io.respin.engine.resp.RespParser;
import io.respin.engine.resp.RespWriter;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Runs respin's {@link RespParser} and {@link RespWriter} over Agrona buffers, for applications whose IO already
 * lives in {@link DirectBuffer}s (Aeron, Agrona ring buffers). Optional: the engine does not need Agrona, and this
 * class only calls {@code DirectBuffer}'s accessors — it never touches {@code UnsafeBuffer} or Agrona's Unsafe paths.
 *
 * <pre>{@code
 * AgronaResp agrona = new AgronaResp();
 * long used = agrona.parse(parser, buffer, offset, length, handler);   // DirectBuffer in
 * agrona.wrap(writer, outBuffer, pos, outBuffer.capacity())            // MutableDirectBuffer out
 *       .array(2).arg("GET").arg(key);
 * }</pre>
 *
 * <p>How a buffer becomes a segment. Buffer index {@code i} is segment offset {@code i}:
 * <pre>
 *   byteArray() != null   MemorySegment.ofArray(array)  sliced at [wrapAdjustment, wrapAdjustment + capacity)
 *   byteBuffer() != null  MemorySegment.ofBuffer(buffer, all of it) sliced the same way (direct or read-only)
 *   neither (raw address) refused: viewing a bare address needs a restricted FFM method (native access)
 * </pre>
 * The segment of the last buffer seen is cached, so parsing or encoding over the same buffer allocates nothing;
 * the cache follows an expandable buffer when it grows (a new array or ByteBuffer).
 *
 * <p>Note: Agrona 2.x's own buffer classes ({@code ExpandableArrayBuffer}, {@code ExpandableDirectByteBuffer},
 * {@code UnsafeBuffer}) need {@code --add-exports java.base/jdk.internal.misc=ALL-UNNAMED} on JDK 25 to be
 * created at all; that is Agrona's requirement, which its users already meet, not respin's.
 *
 * <p>Not thread-safe (it caches one view): one per thread, like the parser and the writer.
 */
@SuppressWarnings("exports") // Agrona stays optional (requires static): whoever calls this class has it already
public final class AgronaResp {

    private byte[] cachedArray;
    private ByteBuffer cachedBuffer;
    private int cachedAdjustment = -1;
    private int cachedCapacity = -1;
    private MemorySegment cachedSegment;

    /** Parses {@code buffer[offset, offset + length)}: {@link RespParser#parse} over the buffer's memory. */
    public long parse(RespParser parser, DirectBuffer buffer, int offset, int length, RespHandler handler) {
        return parser.parse(view(buffer), offset, length, handler);
    }

    /** Wraps {@code writer} to encode into {@code buffer[offset, limit)}. */
    public RespWriter wrap(RespWriter writer, MutableDirectBuffer buffer, int offset, int limit) {
        return writer.wrap(view(buffer), offset, limit);
    }

    /**
     * Makes an expandable buffer (e.g. {@code ExpandableArrayBuffer}) hold at least {@code offset + required}
     * bytes, after a {@link RespWriter#overflowed() overflowed} encode; returns false when it cannot grow.
     */
    public static boolean ensureCapacity(MutableDirectBuffer buffer, int offset, long required) {
        long needed = offset + required;
        if (needed <= buffer.capacity()) {
            return true;
        }
        if (!buffer.isExpandable() || needed > Integer.MAX_VALUE) {
            return false;
        }
        buffer.checkLimit((int) needed); // an expandable buffer grows instead of failing the check
        return buffer.capacity() >= needed;
    }

    /** The buffer's memory, [0, capacity), as a segment (cached for the same buffer memory). */
    public MemorySegment view(DirectBuffer buffer) {
        byte[] array = buffer.byteArray();
        ByteBuffer bb = array == null ? buffer.byteBuffer() : null;
        int adjustment = buffer.wrapAdjustment();
        int capacity = buffer.capacity();
        if (cachedSegment == null || array != cachedArray || bb != cachedBuffer
                || adjustment != cachedAdjustment || capacity != cachedCapacity) {
            cachedSegment = segmentOf(buffer);
            cachedArray = array;
            cachedBuffer = bb;
            cachedAdjustment = adjustment;
            cachedCapacity = capacity;
        }
        return cachedSegment;
    }

    /**
     * The buffer's memory, [0, capacity), as a new segment.
     *
     * @throws IllegalArgumentException when the buffer wraps a raw address (neither an array nor a ByteBuffer)
     */
    public static MemorySegment segmentOf(DirectBuffer buffer) {
        long adjustment = buffer.wrapAdjustment();
        long capacity = buffer.capacity();
        byte[] array = buffer.byteArray();
        if (array != null) {
            return MemorySegment.ofArray(array).asSlice(adjustment, capacity);
        }
        ByteBuffer bb = buffer.byteBuffer();
        if (bb != null) {
            // Agrona counts the adjustment from index 0 of the ByteBuffer, whatever its position and limit
            return MemorySegment.ofBuffer(bb.duplicate().clear()).asSlice(adjustment, capacity);
        }
        throw new IllegalArgumentException("this " + buffer.getClass().getSimpleName() + " wraps a raw memory address,"
                + " which respin cannot view without a restricted FFM method; wrap the memory in a ByteBuffer"
                + " (or a MemorySegment) and use that, or copy the bytes into a byte[]-backed buffer");
    }
}
