package io.respin.perf.report;

import io.respin.perf.client.ClientCatalog;
import io.respin.perf.measure.LatencySummary;
import io.respin.perf.measure.RunResult;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The stdout table: one row per workload × client, with throughput, latency percentiles (µs), bytes allocated and
 * CPU per operation (whole JVM), and — when respin adapters ran — respin's advantage over each peer: its throughput
 * as a multiple of the peer's, or, in open loops (where everyone runs at the offered rate), the peer's p99 divided by
 * respin's. Above 1 respin is better. A respin async client is compared with async and {@code redis-benchmark}
 * peers, respin's pipeline with Jedis', a respin sync client with sync ones. Under the table a legend says what each
 * column means, in which unit and which way is better, and why the rows that did not run are missing.
 *
 * <pre>{@code
 * System.out.print(ResultTable.render(results, suite.missing(), "each row: 0.20 s warm-up, then 0.40 s measured"));
 * }</pre>
 */
public final class ResultTable {
    private static final String HEADER_FORMAT =
            "%-16s %-20s %12s %8s %9s %9s %9s %9s %10s %9s %9s %7s%s%n";
    private static final String ROW_FORMAT =
            "%-16s %-20s %12s %8s %9s %9s %9s %9s %10s %9s %9s %7s%s%n";

    /** A workload × client pair that has no row, and why (said under the table). */
    public record Missing(String workload, String client, String reason) {
    }

    private ResultTable() {
    }

    /** The table and its legend, with no rows missing and no run length to tell. */
    public static String render(List<RunResult> results) {
        return render(results, List.of(), null);
    }

    /**
     * The table, the errors' first messages, then the legend: {@code runLength} (e.g. "each row: 0.20 s warm-up,
     * then 0.40 s measured"; null to leave it out) heads it, and {@code missing} lists the pairs that have no row.
     */
    public static String render(List<RunResult> results, List<Missing> missing, String runLength) {
        boolean respin = results.stream().anyMatch(r -> ClientCatalog.isRespin(r.client()));
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, HEADER_FORMAT, "workload", "client", "ops/s", "MB/s", "p50 us",
                "p99 us", "p99.9 us", "p99.99 us", "max us", "B/op", "CPU us/op", "errors", respin ? "   respin x" : ""));
        String last = null;
        for (RunResult r : results) {
            if (last != null && !last.equals(r.workload())) {
                sb.append('\n');
            }
            last = r.workload();
            LatencySummary l = r.latency();
            String ratio = respin ? ratio(r, results) : "";
            sb.append(String.format(Locale.ROOT, ROW_FORMAT, r.workload(), r.client(), count(r.opsPerSecond()),
                    fixed(r.megabytesPerSecond(), 1), fixed(l.p50(), 1), fixed(l.p99(), 1), fixed(l.p999(), 1),
                    fixed(l.p9999(), 1), fixed(l.max(), 0), fixed(r.bytesAllocatedPerOp(), 0),
                    fixed(r.cpuMicrosPerOp(), 2), Long.toString(r.errors()), ratio));
        }
        List<RunResult> noted = results.stream().filter(r -> r.errors() > 0).toList();
        for (RunResult r : noted) {
            sb.append(String.format(Locale.ROOT, "! %s on %s: %d errors; first: %s%n", r.client(), r.workload(),
                    r.errors(), r.note()));
        }
        sb.append(Legend.of(respin, missing, runLength));
        return sb.toString();
    }

    /** The respin client a peer is compared with. */
    static String counterpart(String peer) {
        if (peer.endsWith("-pipelined")) {
            return "respin-pipelined";
        }
        boolean blocking = peer.endsWith("-sync") || peer.endsWith("-pooled");
        return blocking ? "respin-sync" : "respin-async";
    }

    private static String ratio(RunResult r, List<RunResult> results) {
        if (ClientCatalog.isRespin(r.client())) {
            return "";
        }
        String respin = counterpart(r.client());
        Optional<RunResult> mine = results.stream()
                .filter(x -> x.workload().equals(r.workload()) && x.client().equals(respin))
                .findFirst();
        if (mine.isEmpty() || r.opsPerSecond() <= 0) {
            return "";
        }
        String versus = respin.substring("respin-".length());
        if (r.workload().startsWith("open-loop")) {
            // both run at the offered rate: what differs is latency; > 1 means respin's p99 is that many times lower
            double ratio = r.latency().p99() / mine.get().latency().p99();
            return Double.isNaN(ratio) ? "" : String.format(Locale.ROOT, "   %5.2fx %s p99", ratio, versus);
        }
        return String.format(Locale.ROOT, "   %5.2fx %s", mine.get().opsPerSecond() / r.opsPerSecond(), versus);
    }

    static String count(double v) {
        return v <= 0 || Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%,.0f", v);
    }

    static String fixed(double v, int decimals) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
}
