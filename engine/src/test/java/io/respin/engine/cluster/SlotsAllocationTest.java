package io.respin.engine.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.respin.engine.resp.AllocationWindows;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Computing a slot allocates nothing, for byte[], segment and text keys (multi-byte text and hash tags included):
 * the thread's allocation counter around 100,000 rounds of six keys does not move.
 */
class SlotsAllocationTest {

    private final byte[] bytes = "user:{1000}:profile".getBytes(StandardCharsets.UTF_8);
    private final String text = "clé:€:😀:{tag}";
    private final StringBuilder builder = new StringBuilder("builder:\u00e9");
    private long sink;

    private long round(MemorySegment segment, long i) {
        return Slots.slot(bytes) + Slots.slot(bytes, 1, bytes.length - 2) + Slots.slot(segment, i & 7, 20)
                + Slots.slot(text) + Slots.slot(builder) + Slots.slot("plain-ascii-key");
    }

    @Test
    void slotsAllocateNothingAfterWarmUp() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment segment = arena.allocate(64);
            segment.copyFrom(MemorySegment.ofArray(bytes));
            for (int i = 0; i < 100_000; i++) {
                sink += round(segment, i);
            }
            // a per-call allocation would show as >= 2.4 MB in every window of 100,000 rounds
            List<Long> windows = AllocationWindows.measure(() -> {
                for (int i = 0; i < 100_000; i++) {
                    sink += round(segment, i);
                }
            });
            assertTrue(sink > 0);
            assertEquals(0L, windows.getLast(), "bytes allocated per window of 600,000 slot computations: " + windows);
        }
    }
}
