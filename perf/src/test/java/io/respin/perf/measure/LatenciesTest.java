package io.respin.perf.measure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LatenciesTest {

    @Test
    void percentilesOfAUniformStreamAreWhereTheyMustBe() {
        Latencies l = new Latencies();
        for (int us = 1; us <= 10_000; us++) {
            l.record(us * 1000L); // 1 µs .. 10 ms, each once
        }
        LatencySummary s = LatencySummary.of(l.histogram());
        assertEquals(10_000, l.count());
        // 3 significant digits: each figure within 0.1% of the exact order statistic
        assertEquals(5_000, s.p50(), 5);
        assertEquals(9_000, s.p90(), 9);
        assertEquals(9_900, s.p99(), 10);
        assertEquals(9_990, s.p999(), 10);
        assertEquals(10_000, s.max(), 10);
    }

    @Test
    void aFewSlowValuesMoveOnlyTheTail() {
        Latencies l = new Latencies();
        for (int i = 0; i < 9_990; i++) {
            l.record(100_000); // 100 µs
        }
        for (int i = 0; i < 10; i++) {
            l.record(50_000_000); // 50 ms: 0.1% of the stream
        }
        LatencySummary s = LatencySummary.of(l.histogram());
        assertEquals(100, s.p50(), 0.1);
        assertEquals(100, s.p99(), 0.1);
        assertEquals(50_000, s.p9999(), 50);
        assertEquals(50_000, s.max(), 50);
    }

    @Test
    void outOfRangeValuesAreClampedNotLost() {
        Latencies l = new Latencies();
        l.record(-5);
        l.record(Latencies.HIGHEST * 10);
        assertEquals(2, l.count());
        assertEquals(0, l.histogram().getMinValue());
        assertTrue(l.histogram().getMaxValue() >= Latencies.HIGHEST * 0.999);
    }

    @Test
    void anEmptyHistogramHasNoFigures() {
        assertTrue(Double.isNaN(LatencySummary.of(new Latencies().histogram()).p50()));
        assertTrue(Double.isNaN(LatencySummary.of(null).max()));
    }
}
