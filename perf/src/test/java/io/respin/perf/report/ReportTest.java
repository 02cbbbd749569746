package io.respin.perf.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.respin.perf.measure.Cost;
import io.respin.perf.measure.Latencies;
import io.respin.perf.measure.RunResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {

    private static RunResult result(String workload, String client, long ops, long latencyNanos) {
        Latencies l = new Latencies();
        for (int i = 0; i < 1000; i++) {
            l.record(latencyNanos + i);
        }
        return RunResult.measured(workload, client, ops, 0, new Cost(ops * 100, ops * 1000, 1_000_000_000L),
                l.histogram(), null, 0, null);
    }

    @Test
    void percentileAxisIsLabelledAtWholeNines() {
        assertEquals("0%", Plots.percentileLabel(0));
        assertEquals("90%", Plots.percentileLabel(1));
        assertEquals("99%", Plots.percentileLabel(2));
        assertEquals("99.99%", Plots.percentileLabel(4));
        assertEquals(" ", Plots.percentileLabel(2.5));
    }

    @Test
    void tableShowsRespinsRatioToEachPeerOfTheSameShape() {
        List<RunResult> results = List.of(
                result("roundtrip", "lettuce-async", 10_000, 50_000),
                result("roundtrip", "jedis-pooled", 20_000, 40_000),
                result("roundtrip", "respin-async", 30_000, 30_000),
                result("roundtrip", "respin-sync", 40_000, 30_000));
        String table = ResultTable.render(results);
        assertTrue(table.contains("respin x"), table);
        assertTrue(lineOf(table, "lettuce-async").contains("3.00x async"), table);
        assertTrue(lineOf(table, "jedis-pooled").contains("2.00x sync"), table);
        assertTrue(lineOf(table, "lettuce-async").contains("10,000"), table);
    }

    @Test
    void inAnOpenLoopTheRatioIsOfP99Latency() {
        List<RunResult> results = List.of(
                result("open-loop-1000", "lettuce-async", 1_000, 90_000),
                result("open-loop-1000", "respin-async", 1_000, 30_000));
        // p99 of 90.0-91.0 µs over p99 of 30.0-31.0 µs
        String line = lineOf(ResultTable.render(results), "lettuce-async");
        assertTrue(line.matches(".* 2\\.9\\dx async p99.*"), line);
    }

    @Test
    void withoutRespinThereIsNoRatioColumn() {
        String table = ResultTable.render(List.of(result("roundtrip", "lettuce-async", 10_000, 50_000)));
        assertTrue(!table.contains("respin x"), table);
    }

    @Test
    void filesAndPlotsAreWritten(@TempDir Path dir) throws Exception {
        List<RunResult> results = List.of(result("roundtrip", "lettuce-async", 10_000, 50_000),
                result("roundtrip", "jedis-pooled", 20_000, 40_000));
        ResultFiles.write(dir, results, Map.of("cpu", "test \"cpu\""));
        List<String> csv = Files.readAllLines(dir.resolve("results.csv"));
        assertEquals(3, csv.size());
        assertTrue(csv.get(1).startsWith("\"roundtrip\",\"lettuce-async\",10000,0,1000000000,10000.000"), csv.get(1));
        assertTrue(Files.readString(dir.resolve("results.json")).contains("\"cpu\": \"test \\\"cpu\\\"\""));
        assertTrue(Files.readString(dir.resolve("hgrm/roundtrip__jedis-pooled.hgrm")).contains("Percentile"));
        List<Path> plots = Plots.write(dir, results);
        assertEquals(List.of(dir.resolve("latency-roundtrip.png"), dir.resolve("throughput.png")), plots);
        for (Path p : plots) {
            byte[] head = Arrays.copyOf(Files.readAllBytes(p), 4);
            assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, head, p + " is a PNG");
        }
    }

    private static String lineOf(String table, String client) {
        return table.lines().filter(l -> l.contains(client)).findFirst().orElseThrow();
    }
}
