package io.respin.perf.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.respin.perf.measure.RunResult;
import org.junit.jupiter.api.Test;

class RedisBenchmarkTest {
    private static final String HEADER =
            "\"test\",\"rps\",\"avg_latency_ms\",\"min_latency_ms\",\"p50_latency_ms\",\"p95_latency_ms\","
                    + "\"p99_latency_ms\",\"max_latency_ms\"\n";

    @Test
    void oneTestGivesItsRateAndPercentiles() {
        RunResult r = RedisBenchmark.parse("closed-k16",
                HEADER + "\"GET\",\"250000.00\",\"0.058\",\"0.024\",\"0.071\",\"0.095\",\"0.119\",\"0.239\"\n",
                100_000, 0, "-t get");
        assertEquals(100_000, r.operations());
        assertEquals(250_000, r.opsPerSecond(), 1);
        assertEquals(71, r.latency().p50(), 0.001);
        assertEquals(119, r.latency().p99(), 0.001);
        assertEquals(239, r.latency().max(), 0.001);
        assertTrue(Double.isNaN(r.latency().p999()), "redis-benchmark reports no p99.9");
        assertTrue(Double.isNaN(r.bytesAllocatedPerOp()));
    }

    @Test
    void setAndGetCombineIntoOneRateAndTheWorsePercentiles() {
        RunResult r = RedisBenchmark.parse("large-64k", HEADER
                        + "\"SET\",\"1000.00\",\"0.130\",\"0.072\",\"0.119\",\"0.255\",\"0.399\",\"0.399\"\n"
                        + "\"GET\",\"4000.00\",\"0.115\",\"0.096\",\"0.111\",\"0.135\",\"0.287\",\"0.500\"\n",
                1_000, 65_536, "-t set,get");
        // 1,000 SETs in 1 s + 1,000 GETs in 0.25 s
        assertEquals(2_000, r.operations());
        assertEquals(1_600, r.opsPerSecond(), 0.5);
        assertEquals(119, r.latency().p50(), 0.001);
        assertEquals(399, r.latency().p99(), 0.001);
        assertEquals(500, r.latency().max(), 0.001);
        assertEquals(1_600 * 65_536 / 1e6, r.megabytesPerSecond(), 0.01);
    }

    @Test
    void noResultLinesIsAnError() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> RedisBenchmark.parse("x", "Could not connect to Redis at 127.0.0.1:1", 1, 0, ""));
        assertTrue(e.getMessage().contains("Could not connect"), e.getMessage());
    }
}
