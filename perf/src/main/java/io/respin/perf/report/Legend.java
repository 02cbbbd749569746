package io.respin.perf.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The text under {@link ResultTable}: what each column means, its unit and which way is better, what {@code respin x}
 * compares, what a {@code -} stands for, and which workload × client pairs have no row and why. It is written for
 * someone who sees the table pasted somewhere without the README.
 *
 * <pre>{@code
 * String legend = Legend.of(true, List.of(new ResultTable.Missing("seed", "redis-benchmark", "no equivalent")), null);
 * }</pre>
 */
final class Legend {
    private static final String COLUMNS = """
              ops/s             operations completed per second; higher is better
              MB/s              payload megabytes (10^6 bytes) moved per second; higher is better
              p50 us .. max us  latency in microseconds at the 50th .. 99.99th percentile, and the largest seen; lower
                                is better. Open-loop rows count from when each command was due, so a stall counts
                                for every command it held up (coordinated omission corrected)
              B/op              bytes allocated per operation by the whole JVM (client, harness, JIT); lower is better
              CPU us/op         CPU time per operation of the whole JVM, in microseconds; lower is better
              errors            operations that failed or returned a wrong value (count); anything but 0 voids the row
            """;
    private static final String RATIO = """
              respin x          on a peer's row, how much better respin did: respin's ops/s divided by the peer's
                                ("async": against respin-async, for async peers and redis-benchmark; "pipelined":
                                against respin-pipelined, for jedis-pipelined; "sync": against respin-sync, for sync
                                and pooled peers). "p99" (open loops, where
                                every client runs at the same offered rate): the peer's p99 divided by respin's.
                                Above 1x respin is better, below 1x the peer is; blank on respin's own rows
            """;
    private static final String DASH = """
              -                 not measured: redis-benchmark reports only p50, p99 and max, and runs outside this
                                JVM (no B/op or CPU); MB/s is "-" for workloads without a sizeable payload
            """;

    private static final int WIDTH = 118;
    private static final int INDENT = 18;

    private Legend() {
    }

    static String of(boolean respin, List<ResultTable.Missing> missing, String runLength) {
        StringBuilder sb = new StringBuilder("\nlegend: one row per workload x client");
        sb.append(runLength == null ? "" : "; " + runLength).append('\n');
        sb.append(COLUMNS);
        if (respin) {
            sb.append(RATIO);
        }
        sb.append(DASH);
        if (!missing.isEmpty()) {
            sb.append("no row:\n");
            for (String line : grouped(missing)) {
                sb.append("  ").append(line).append('\n');
            }
        }
        return sb.toString();
    }

    /** "client: workload, workload: reason", one line per client and reason, in the order they were met. */
    private static List<String> grouped(List<ResultTable.Missing> missing) {
        Map<String, List<String>> workloads = new LinkedHashMap<>();
        for (ResultTable.Missing m : missing) {
            workloads.computeIfAbsent(m.client() + "\u0000" + m.reason(), k -> new ArrayList<>()).add(m.workload());
        }
        List<String> lines = new ArrayList<>();
        workloads.forEach((key, names) -> {
            String[] clientReason = key.split("\u0000", 2);
            lines.add(wrapped(String.format(java.util.Locale.ROOT, "%-17s %s: %s", clientReason[0],
                    String.join(", ", names), clientReason[1])));
        });
        return lines;
    }

    /** Breaks a line at spaces to {@link #WIDTH} columns, continuing under the text as the column lines do. */
    private static String wrapped(String line) {
        StringBuilder out = new StringBuilder();
        int width = WIDTH - 2; // after the two spaces of indent
        while (line.length() > width) {
            int cut = line.lastIndexOf(' ', width);
            if (cut <= INDENT) {
                break;
            }
            out.append(line, 0, cut).append('\n').append(" ".repeat(INDENT + 2));
            line = line.substring(cut + 1);
            width = WIDTH - INDENT - 2;
        }
        return out.append(line).toString();
    }
}
