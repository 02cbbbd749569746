package io.respin.perf.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.respin.perf.client.AsyncBenchClient;
import io.respin.perf.client.BenchClient;
import io.respin.perf.client.SyncBenchClient;
import io.respin.perf.measure.Latencies;
import io.respin.perf.measure.LatencySummary;
import io.respin.perf.measure.RunResult;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Coordinated omission, against a synthetic latency stream in simulated time: 1,000 GETs/s for 10 s, each served
 * in 100 µs, except one that stalls the (single-caller) client for 1 s. A closed-loop measurement sees one slow
 * command in 10,000; the truth is that every command due during that second waited, i.e. ~11% of all commands.
 */
class OpenLoopTest {
    private static final long SERVICE = TimeUnit.MICROSECONDS.toNanos(100);
    private static final long STALL = TimeUnit.SECONDS.toNanos(1);
    private static final long STALLED_OP = 3_000;

    @ParameterizedTest
    @ValueSource(strings = {"sync", "async"})
    void aStallShowsInCorrectedPercentilesAndNotInUncorrectedOnes(String shape) {
        RunResult r = run(shape, STALL);
        LatencySummary corrected = r.latency();
        LatencySummary uncorrected = LatencySummary.of(r.uncorrected());

        assertEquals(10_000, r.operations());
        assertEquals(0, r.errors(), r.note());
        // uncorrected: 9,999 commands at 100 µs and one at 1 s; the median and p99 do not move
        assertEquals(100, uncorrected.p50(), 1);
        assertEquals(100, uncorrected.p99(), 1);
        assertEquals(1_000_000, uncorrected.max(), 1_000);
        // corrected: command 3000+j waited 1.0001 s - 0.9 ms * j (the backlog drains at 0.9 ms per command), so
        // 1,110 commands (11%) took over 1 ms; p50 stays, p95 and p99 show the stall
        assertEquals(100, corrected.p50(), 1);
        assertEquals(100, r.histogram().getValueAtPercentile(88) / 1000.0, 1);
        assertEquals(550_000, r.histogram().getValueAtPercentile(95) / 1000.0, 5_000);
        assertEquals(910_000, corrected.p99(), 5_000);
        assertEquals(1_000_000, corrected.max(), 2_000);
        long waited = r.histogram().getCountBetweenValues(TimeUnit.MILLISECONDS.toNanos(1), Latencies.HIGHEST);
        assertTrue(waited >= 1_105 && waited <= 1_115, "commands that waited > 1 ms: " + waited);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sync", "async"})
    void withoutAStallBothViewsAgree(String shape) {
        RunResult r = run(shape, 0);
        assertEquals(100, r.latency().max(), 1);
        assertEquals(100, LatencySummary.of(r.uncorrected()).max(), 1);
    }

    private static RunResult run(String shape, long stall) {
        SimulatedTime time = new SimulatedTime();
        RunContext ctx = new RunContext("redis://127.0.0.1:1", null, new KeySpace(10, 3), 0,
                TimeUnit.SECONDS.toNanos(10), 0, 1, time, c -> 0);
        BenchClient client = shape.equals("sync") ? new SlowSync(time, stall) : new SlowAsync(time, stall);
        RunResult r = OpenLoop.run("open-loop-1000", client, Operation.get(ctx.keys()), 1_000, ctx);
        assertNotNull(r);
        return r;
    }

    /** A clock that only moves when told: sleeping jumps to the deadline, a command advances it by its latency. */
    static final class SimulatedTime implements Clock {
        private final AtomicLong now = new AtomicLong(1_000_000_000L);

        @Override
        public long nanoTime() {
            return now.get();
        }

        @Override
        public void sleepUntil(long deadline) {
            now.accumulateAndGet(deadline, Math::max);
        }

        void advance(long nanos) {
            now.addAndGet(nanos);
        }
    }

    /** Serves every GET in 100 µs of simulated time, except one that takes {@code stall} more. */
    private static final class SlowSync implements SyncBenchClient {
        private final SimulatedTime time;
        private final long stall;
        private long calls;

        SlowSync(SimulatedTime time, long stall) {
            this.time = time;
            this.stall = stall;
        }

        @Override
        public byte[] get(byte[] key) {
            time.advance(SERVICE + (calls++ == STALLED_OP ? stall : 0));
            return new byte[3];
        }

        @Override
        public void set(byte[] key, byte[] value) {
        }

        @Override
        public void setex(byte[] key, long seconds, byte[] value) {
        }

        @Override
        public String name() {
            return "simulated-sync";
        }

        @Override
        public void close() {
        }
    }

    /** The same as an async client whose stage completes before it is returned (the callback runs inline). */
    private static final class SlowAsync implements AsyncBenchClient {
        private final SlowSync sync;

        SlowAsync(SimulatedTime time, long stall) {
            this.sync = new SlowSync(time, stall);
        }

        @Override
        public CompletionStage<byte[]> get(byte[] key) {
            return CompletableFuture.completedFuture(sync.get(key));
        }

        @Override
        public CompletionStage<?> set(byte[] key, byte[] value) {
            return CompletableFuture.completedFuture("OK");
        }

        @Override
        public CompletionStage<?> setex(byte[] key, long seconds, byte[] value) {
            return CompletableFuture.completedFuture("OK");
        }

        @Override
        public String name() {
            return "simulated-async";
        }

        @Override
        public void close() {
        }
    }
}
