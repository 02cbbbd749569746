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
        List<Path> plots = Plots.write(dir, results, "2026-01-01 12:00 | 2 cores, test cpu | commit abc1234 | each "
                + "row: 0.20 s warm-up, then 0.40 s measured; 38 s in all");
        assertEquals(List.of(dir.resolve("latency-roundtrip.png"), dir.resolve("throughput.png")), plots);
        for (Path p : plots) {
            byte[] head = Arrays.copyOf(Files.readAllBytes(p), 4);
            assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, head, p + " is a PNG");
        }
    }

    @Test
    void theLegendSaysWhatEachColumnMeansAndWhyARowIsMissing() {
        List<RunResult> results = List.of(result("roundtrip", "lettuce-async", 10_000, 50_000),
                result("roundtrip", "respin-async", 30_000, 30_000));
        String table = ResultTable.render(results, List.of(
                new ResultTable.Missing("seed", "redis-benchmark", "redis-benchmark has no equivalent"),
                new ResultTable.Missing("open-loop-1000", "redis-benchmark", "redis-benchmark has no equivalent"),
                new ResultTable.Missing("threads-16", "jedis-pipelined", "one thread")),
                "each row: 0.20 s warm-up, then 0.40 s measured");
        String header = table.lines().findFirst().orElseThrow();
        for (String column : List.of("ops/s", "MB/s", "p50 us", "p99 us", "p99.9 us", "p99.99 us", "max us", "B/op",
                "CPU us/op", "errors", "respin x")) {
            assertTrue(header.contains(column), column + " in " + header);
        }
        for (String explained : List.of("ops/s", "MB/s", "p50 us .. max us", "B/op", "CPU us/op", "errors", "respin x",
                "-")) {
            assertTrue(table.lines().anyMatch(l -> l.startsWith("  " + explained + " ")), explained + " explained");
        }
        assertTrue(table.contains("legend: one row per workload x client; each row: 0.20 s warm-up"), table);
        assertTrue(table.contains("higher is better") && table.contains("lower is better"), table);
        assertTrue(lineOf(table, "  redis-benchmark").contains("seed, open-loop-1000: redis-benchmark has no equivalent"),
                table);
        assertTrue(lineOf(table, "  jedis-pipelined").contains("threads-16: one thread"), table);
        assertTrue(!ResultTable.render(List.of(result("roundtrip", "lettuce-async", 1, 1))).contains("  respin x"),
                "no ratio to explain without respin");
    }

    @Test
    void aPlotIsHeadedByItsCaption() {
        java.awt.image.BufferedImage chart = new java.awt.image.BufferedImage(300, 200,
                java.awt.image.BufferedImage.TYPE_INT_RGB);
        java.awt.image.BufferedImage headed = Plots.captioned(chart, "2026-01-01 12:00 | 2 cores, test cpu | commit "
                + "abc1234 | each row: 0.20 s warm-up, then 0.40 s measured; 38 s in all (long: shrunk to fit)");
        assertEquals(300, headed.getWidth());
        assertTrue(headed.getHeight() > 200, "a strip above the chart");
        boolean ink = false;
        for (int x = 0; x < 300 && !ink; x++) {
            for (int y = 0; y < headed.getHeight() - 200 && !ink; y++) {
                ink = (headed.getRGB(x, y) & 0xffffff) != 0xffffff;
            }
        }
        assertTrue(ink, "the caption is drawn in the strip");
    }

    private static String lineOf(String table, String client) {
        return table.lines().filter(l -> l.contains(client)).findFirst().orElseThrow();
    }
}
