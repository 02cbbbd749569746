package io.respin.perf.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.respin.perf.client.AsyncBenchClient;
import io.respin.perf.client.SyncBenchClient;
import io.respin.perf.measure.RunResult;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/**
 * What the harness itself adds to "bytes allocated per operation", measured with in-memory clients that allocate
 * nothing of their own: nothing for a blocking caller, and for an async client only what {@code whenComplete} must
 * create (the stage it returns). The figures in the table are the client's plus this.
 */
class HarnessOverheadTest {
    private static final KeySpace KEYS = new KeySpace(100, 3);
    private static final byte[] VALUE = KEYS.value();

    private static RunContext ctx() {
        return new RunContext("redis://127.0.0.1:1", null, KEYS, 100_000_000L, 200_000_000L, 0, 1, Clock.SYSTEM,
                c -> 0);
    }

    @Test
    void aBlockingCallerLoopAllocatesNothing() {
        RunResult r = Loops.closed("closed-k1", new InMemorySync(), Operation.get(KEYS), 1, ctx());
        assertEquals(0, r.errors(), r.note());
        assertTrue(r.operations() > 10_000, "ops " + r.operations());
        assertTrue(r.bytesAllocatedPerOp() < 1.0, "harness B/op " + r.bytesAllocatedPerOp());
    }

    @Test
    void anAsyncChainAllocatesOnlyTheStageWhenCompleteReturns() {
        RunResult r = Loops.closed("closed-k4", new InMemoryAsync(), Operation.get(KEYS), 4, ctx());
        assertEquals(0, r.errors(), r.note());
        assertTrue(r.operations() > 10_000, "ops " + r.operations());
        // one CompletableFuture (~24 B) per whenComplete, plus nothing per chain
        assertTrue(r.bytesAllocatedPerOp() < 64, "harness B/op " + r.bytesAllocatedPerOp());
    }

    /** Answers every GET with the same value, from memory, allocating nothing. */
    private static final class InMemorySync implements SyncBenchClient {
        @Override
        public byte[] get(byte[] key) {
            return VALUE;
        }

        @Override
        public void set(byte[] key, byte[] value) {
        }

        @Override
        public void setex(byte[] key, long seconds, byte[] value) {
        }

        @Override
        public String name() {
            return "in-memory-sync";
        }

        @Override
        public void close() {
        }
    }

    /** Answers every GET with one pre-completed future (so the client allocates nothing per call). */
    private static final class InMemoryAsync implements AsyncBenchClient {
        private final CompletableFuture<byte[]> done = CompletableFuture.completedFuture(VALUE);

        @Override
        public CompletionStage<byte[]> get(byte[] key) {
            return done;
        }

        @Override
        public CompletionStage<?> set(byte[] key, byte[] value) {
            return done;
        }

        @Override
        public CompletionStage<?> setex(byte[] key, long seconds, byte[] value) {
            return done;
        }

        @Override
        public String name() {
            return "in-memory-async";
        }

        @Override
        public void close() {
        }
    }
}
