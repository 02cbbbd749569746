package io.respin.perf.report;

import io.respin.perf.measure.LatencySummary;
import io.respin.perf.measure.RunResult;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.AbstractHistogram;

/**
 * Writes the machine-readable results into the run's folder:
 *
 * <pre>
 *   results.csv                         one row per workload × client, every figure of the table
 *   results.json                        the same plus the run's settings and the machine
 *   hgrm/&lt;workload&gt;__&lt;client&gt;.hgrm   HdrHistogram percentile distribution, in microseconds
 *   hgrm/&lt;workload&gt;__&lt;client&gt;.uncorrected.hgrm   open loop only: latency from the actual send
 * </pre>
 *
 * <pre>{@code
 * ResultFiles.write(dir, results, Map.of("command", "java -jar respin-perf.jar"));
 * }</pre>
 */
public final class ResultFiles {
    private static final String[] COLUMNS = {"workload", "client", "operations", "errors", "elapsed_ns", "ops_per_s",
        "mb_per_s", "p50_us", "p90_us", "p99_us", "p99_9_us", "p99_99_us", "max_us", "bytes_allocated_per_op",
        "cpu_us_per_op", "note"};

    private ResultFiles() {
    }

    public static void write(Path dir, List<RunResult> results, Map<String, String> run) throws IOException {
        Files.createDirectories(dir.resolve("hgrm"));
        StringBuilder csv = new StringBuilder(String.join(",", COLUMNS)).append('\n');
        for (RunResult r : results) {
            List<String> cells = new ArrayList<>();
            for (Object v : row(r)) {
                cells.add(v instanceof String s ? '"' + s.replace("\"", "\"\"") + '"' : number(v));
            }
            csv.append(String.join(",", cells)).append('\n');
            hgrm(dir.resolve("hgrm").resolve(fileName(r) + ".hgrm"), r.histogram());
            hgrm(dir.resolve("hgrm").resolve(fileName(r) + ".uncorrected.hgrm"), r.uncorrected());
        }
        Files.writeString(dir.resolve("results.csv"), csv, StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("results.json"), json(results, run), StandardCharsets.UTF_8);
    }

    static String fileName(RunResult r) {
        return (r.workload() + "__" + r.client()).replaceAll("[^A-Za-z0-9_.-]", "_");
    }

    private static Object[] row(RunResult r) {
        LatencySummary l = r.latency();
        return new Object[] {r.workload(), r.client(), r.operations(), r.errors(), r.elapsedNanos(),
            r.opsPerSecond(), r.megabytesPerSecond(), l.p50(), l.p90(), l.p99(), l.p999(), l.p9999(), l.max(),
            r.bytesAllocatedPerOp(), r.cpuMicrosPerOp(), r.note() == null ? "" : r.note()};
    }

    private static void hgrm(Path file, AbstractHistogram histogram) throws IOException {
        if (histogram == null || histogram.getTotalCount() == 0) {
            return;
        }
        try (PrintStream out = new PrintStream(Files.newOutputStream(file), false, StandardCharsets.UTF_8)) {
            histogram.outputPercentileDistribution(out, 1000.0); // ns recorded, µs written
        }
    }

    private static String json(List<RunResult> results, Map<String, String> run) {
        StringBuilder sb = new StringBuilder("{\n  \"run\": {");
        String sep = "";
        for (Map.Entry<String, String> e : run.entrySet()) {
            sb.append(sep).append("\n    ").append(quote(e.getKey())).append(": ").append(quote(e.getValue()));
            sep = ",";
        }
        sb.append("\n  },\n  \"results\": [");
        sep = "";
        for (RunResult r : results) {
            sb.append(sep).append("\n    {");
            Object[] row = row(r);
            for (int i = 0; i < COLUMNS.length; i++) {
                Object v = row[i];
                sb.append(i == 0 ? "" : ", ").append(quote(COLUMNS[i])).append(": ")
                        .append(v instanceof String s ? quote(s) : jsonNumber(v));
            }
            sb.append('}');
            sep = ",";
        }
        return sb.append("\n  ]\n}\n").toString();
    }

    private static String number(Object v) {
        if (v instanceof Double d) {
            return d.isNaN() ? "" : String.format(Locale.ROOT, "%.3f", d);
        }
        return String.valueOf(v);
    }

    private static String jsonNumber(Object v) {
        if (v instanceof Double d && (d.isNaN() || d.isInfinite())) {
            return "null";
        }
        return number(v);
    }

    static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
