package io.respin.engine.agrona;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.respin.engine.resp.RespWriter;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.util.List;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.ExpandableDirectByteBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/** The writer over every kind of Agrona buffer writes exactly the bytes it writes into a plain segment. */
class AgronaRespWriterTest {

    private final AgronaResp agrona = new AgronaResp();
    private final RespWriter w = new RespWriter();

    private static void command(RespWriter c) {
        c.array(4).arg("SET").arg("clé😀").arg(new byte[]{0, '\r', '\n'}).arg(-42L);
    }

    private static byte[] expected() {
        MemorySegment s = MemorySegment.ofArray(new byte[256]);
        RespWriter c = new RespWriter().wrap(s, 0, 256);
        command(c);
        return s.asSlice(0, c.written()).toArray(ValueLayout.JAVA_BYTE);
    }

    private static byte[] read(DirectBuffer b, int offset, int length) {
        byte[] out = new byte[length];
        b.getBytes(offset, out);
        return out;
    }

    @Test
    void everyBufferKindReceivesTheSameBytesThroughAgronasOwnAccessors() {
        byte[] expected = expected();
        List<MutableDirectBuffer> buffers = List.of(
                new ExpandableArrayBuffer(256),
                new ExpandableDirectByteBuffer(256),
                new UnsafeBuffer(new byte[300], 17, 256),
                new UnsafeBuffer(ByteBuffer.allocateDirect(300).position(9).slice(), 5, 256),
                new UnsafeBuffer(ByteBuffer.allocate(300).slice(3, 280), 11, 256));
        for (MutableDirectBuffer b : buffers) {
            agrona.wrap(w, b, 7, b.capacity());
            command(w);
            assertFalse(w.overflowed(), b.toString());
            assertEquals(7 + expected.length, w.position());
            assertArrayEquals(expected, read(b, 7, expected.length), b.toString());
            assertEquals(0, b.getByte(6), "byte before the offset untouched in " + b);
        }
    }

    @Test
    void anExpandableBufferGrowsToWhatTheWriterAsksFor() {
        byte[] expected = expected();
        ExpandableArrayBuffer b = new ExpandableArrayBuffer(8);
        agrona.wrap(w, b, 3, b.capacity());
        command(w);
        assertTrue(w.overflowed());
        assertTrue(AgronaResp.ensureCapacity(b, 3, w.required()));
        assertTrue(b.capacity() >= 3 + expected.length);
        agrona.wrap(w, b, 3, b.capacity());
        command(w);
        assertFalse(w.overflowed());
        assertArrayEquals(expected, read(b, 3, expected.length));

        UnsafeBuffer fixed = new UnsafeBuffer(new byte[8]);
        assertFalse(AgronaResp.ensureCapacity(fixed, 0, 100), "a fixed buffer cannot grow");
    }

    @Test
    void theViewIsCachedAndFollowsTheBufferWhenItGrows() {
        ExpandableDirectByteBuffer b = new ExpandableDirectByteBuffer(16);
        MemorySegment first = agrona.view(b);
        assertSame(first, agrona.view(b));
        assertEquals(16, first.byteSize());
        assertTrue(first.isNative());
        b.putByte(1000, (byte) 1); // grows: a new ByteBuffer
        MemorySegment grown = agrona.view(b);
        assertNotSame(first, grown);
        assertEquals(b.capacity(), grown.byteSize());
        assertEquals(1, grown.get(ValueLayout.JAVA_BYTE, 1000));
    }

    @Test
    void rawAddressBuffersAreRefusedWithAReason() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment memory = arena.allocate(64);
            UnsafeBuffer raw = new UnsafeBuffer(memory.address(), 64);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> agrona.view(raw));
            assertTrue(e.getMessage().contains("raw memory address"), e.getMessage());
        }
    }

    @Test
    void readOnlyByteBuffersCannotBeWrittenInto() {
        UnsafeBuffer b = new UnsafeBuffer(ByteBuffer.allocateDirect(64).asReadOnlyBuffer());
        assertThrows(IllegalArgumentException.class, () -> agrona.wrap(w, b, 0, 64));
    }
}
