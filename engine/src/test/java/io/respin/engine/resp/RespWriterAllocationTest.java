package io.respin.engine.resp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Encoding a command allocates nothing: measured with the thread's allocation counter around 150,000 commands. */
class RespWriterAllocationTest {

    private final RespWriter w = new RespWriter();
    private final byte[] key = "user:1000:profile".getBytes(StandardCharsets.UTF_8);
    private final byte[] value = new byte[100];
    private final String stringKey = "clé:€:😀";
    private final byte[] array = new byte[256];
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(256);
    private final MemorySegment segmentValue = MemorySegment.ofArray(new byte[64]);
    private long sink;

    /**
     * One round: GET, SET, a 10-argument array, a command mixing every argument type, GETs into a byte[] and a
     * ByteBuffer, and an overflowing GET. Returns bytes written.
     */
    private long round(MemorySegment out, long i) {
        long total = 0;
        w.wrap(out, 0, out.byteSize()).array(2).arg("GET").arg(key);
        total += w.written();
        w.wrap(out, 0, out.byteSize()).array(3).arg("SET").arg(key).arg(value);
        total += w.written();
        w.wrap(out, 0, out.byteSize()).array(10).arg("MSET");
        for (int a = 0; a < 9; a++) {
            w.arg(key);
        }
        total += w.written();
        w.wrap(out, 0, out.byteSize()).array(6).arg("ZADD").arg(stringKey).arg(i).arg(i * 0.25)
                .arg(segmentValue).arg(Long.MIN_VALUE + i);
        total += w.written();
        // wrapping the same byte[] and ByteBuffer again reuses their views
        w.wrap(array, 0, array.length).array(2).arg("GET").arg(key);
        total += w.written();
        w.wrap(buffer.clear()).array(2).arg("GET").arg(stringKey);
        total += w.written();
        // an overflowing encode must not allocate either
        w.wrap(out, 0, 8).array(2).arg("GET").arg(key);
        total += w.required();
        return total;
    }

    @Test
    void encodingAllocatesNothingAfterWarmUp() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(4096);
            for (int i = 0; i < 50_000; i++) {
                sink += round(out, i);
            }
            // A window is 25,000 rounds x 6 commands (+1 overflowing) = 150,000+ commands: a real per-command
            // allocation shows as >= 1.6 MB in every window
            List<Long> windows = AllocationWindows.measure(() -> {
                for (int i = 0; i < 25_000; i++) {
                    sink += round(out, i);
                }
            });
            assertFalse(sink == 0);
            assertEquals(0, windows.getLast(), "bytes allocated per window of 150,000 encoded commands: " + windows);
        }
    }
}
