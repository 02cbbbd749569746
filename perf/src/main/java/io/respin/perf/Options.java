package io.respin.perf;

import io.respin.perf.client.ClientCatalog;
import io.respin.perf.workload.Workloads;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The command line. With no arguments: a quick suite (under a minute) of every client against a redis-server the
 * harness starts itself.
 *
 * <pre>{@code
 * Options o = Options.parse("--full", "--clients", "lettuce-async,jedis-pooled", "--duration", "5s");
 * }</pre>
 *
 * @param uri         an existing server, or null to start one
 * @param workloads   workload names (see {@link Workloads})
 * @param clients     client names (see {@link ClientCatalog})
 * @param durationNanos measured window per client and workload; 0 = fit the quick suite into its time budget
 * @param warmupNanos warm-up before each window; 0 = half the window
 * @param jitWarmupNanos warm-up of each JVM client, once, before the first workload
 * @param rates       open-loop rates, ops/s
 * @param seedTasks   N of the seed workload
 * @param threads     caller threads a sync client gets in the open loop
 * @param full        the full suite (longer windows, every workload)
 * @param out         results folder, or null for {@code perf-results/<timestamp>}
 * @param help        print usage and exit
 */
public record Options(String uri, List<String> workloads, List<String> clients, long durationNanos,
                      long warmupNanos, long jitWarmupNanos, List<Double> rates, int seedTasks, int threads,
                      boolean full, Path out, boolean help) {

    /** Seconds the quick suite aims at for warm-ups and runs (JVM start, server start and plots come on top). */
    public static final double QUICK_BUDGET_SECONDS = 36;

    static final String USAGE = """
            usage: java -jar perf/target/respin-perf.jar [options]

            Runs the same workloads on every client against one redis-server and writes a table, HdrHistogram
            percentile files, results.csv/json and PNG plots to a results folder.

              --uri redis://host:port   use this server (default: start a redis-server on a free port)
              --workloads a,b,...       seed, roundtrip, closed-k<K>, threads-<T>, open-loop-<rate>,
                                        open-loop-<P>pct, large-<size>[k|m]   (default: the quick suite:
                                        %s)
              --clients a,b,...         %s
                                        (default: all but %s, which is respin-sync with a counting IoListener:
                                        run it next to respin-sync to see what the event hook costs)
              --duration 2s             measured window per client and workload (default quick: fit %.0f s total;
                                        full: 5s); accepts 500ms, 2s, 1.5
              --warmup 1s               warm-up before each window (default: half the window)
              --jit-warmup 1s           traffic each JVM client gets once, before the first workload, so the
                                        JIT has compiled its hot paths (default 1s; --latency: 3s)
              --rate 20000[,50000]      open-loop rates in ops/s (default: 10000 quick, 20000 full)
              --seed-tasks N            tasks in the seed workload (default: 1000 quick, 100000 full)
              --threads T               caller threads a sync client gets in the open loop (default 16)
              --full                    the full suite: %s
              --latency                 the latency suite (fixed rates 5000,10000,20000 unless --rate; 2s
                                        windows unless --duration): %s
              --out DIR                 results folder (default: perf-results/<timestamp>)
              --help

            Exit status: 0, or 3 when a client returned a wrong value or failed (listed under the table).
            """.formatted(String.join(",", Workloads.QUICK), String.join(",", ClientCatalog.names()),
            ClientCatalog.RESPIN_SYNC_LISTENER,
            QUICK_BUDGET_SECONDS, String.join(",", Workloads.FULL), String.join(",", Workloads.LATENCY));

    /** Parses the arguments; unknown or malformed ones throw {@link IllegalArgumentException} saying which. */
    public static Options parse(String... args) {
        String uri = null;
        List<String> workloads = null;
        List<String> clients = null;
        long duration = 0;
        long warmup = 0;
        long jitWarmup = 0; // 0: not given (the option takes positive durations only)
        List<Double> rates = null;
        Integer seedTasks = null;
        int threads = 16;
        boolean full = false;
        boolean latency = false;
        Path out = null;
        boolean help = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--uri" -> uri = value(args, ++i, a);
                case "--workloads" -> workloads = list(value(args, ++i, a));
                case "--clients" -> clients = list(value(args, ++i, a));
                case "--duration" -> duration = duration(value(args, ++i, a), a);
                case "--warmup" -> warmup = duration(value(args, ++i, a), a);
                case "--jit-warmup" -> jitWarmup = duration(value(args, ++i, a), a);
                case "--rate" -> rates = list(value(args, ++i, a)).stream().map(r -> positiveDouble(r, a)).toList();
                case "--seed-tasks" -> seedTasks = (int) positiveDouble(value(args, ++i, a), a).doubleValue();
                case "--threads" -> threads = (int) positiveDouble(value(args, ++i, a), a).doubleValue();
                case "--full" -> full = true;
                case "--latency" -> latency = true;
                case "--out" -> out = Path.of(value(args, ++i, a));
                case "--help", "-h" -> help = true;
                default -> throw new IllegalArgumentException("unknown option '" + a + "' (see --help)");
            }
        }
        if (uri != null && !uri.startsWith("redis://")) {
            throw new IllegalArgumentException("--uri must look like redis://host:port, got '" + uri + "'");
        }
        if (full && latency) {
            throw new IllegalArgumentException("--full and --latency are two suites: give one");
        }
        if (workloads == null) {
            workloads = full ? Workloads.FULL : latency ? Workloads.LATENCY : Workloads.QUICK;
        }
        if (clients == null) {
            clients = ClientCatalog.defaults();
        }
        for (String c : clients) {
            if (!ClientCatalog.names().contains(c)) {
                throw new IllegalArgumentException("unknown client '" + c + "'; known: "
                        + String.join(", ", ClientCatalog.names()));
            }
        }
        if (rates == null) {
            rates = latency ? List.of(5_000.0, 10_000.0, 20_000.0) : List.of(full ? 20_000.0 : 10_000.0);
        }
        if (duration == 0 && latency) {
            duration = 2_000_000_000L;
        }
        if (jitWarmup == 0) {
            // the latency suite's tails are its point: 3 s get the paced paths compiled before the first window
            jitWarmup = latency ? 3_000_000_000L : 1_000_000_000L;
        }
        if (duration == 0 && full) {
            duration = 5_000_000_000L;
        }
        // validates the names now rather than after a minute of benchmarks
        Workloads.parse(workloads, rates);
        return new Options(uri, List.copyOf(workloads), List.copyOf(clients), duration, warmup, jitWarmup,
                List.copyOf(rates),
                seedTasks != null ? seedTasks : full ? 100_000 : 1_000, threads, full, out, help);
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length || args[i].startsWith("--")) {
            throw new IllegalArgumentException(option + " needs a value (see --help)");
        }
        return args[i];
    }

    private static List<String> list(String csv) {
        List<String> items = new ArrayList<>();
        for (String s : csv.split(",")) {
            if (!s.isBlank()) {
                items.add(s.trim());
            }
        }
        if (items.isEmpty()) {
            throw new IllegalArgumentException("empty list '" + csv + "'");
        }
        return items;
    }

    /** {@code 500ms}, {@code 2s}, {@code 1.5} (seconds). */
    static long duration(String text, String option) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        double scale = 1e9;
        if (t.endsWith("ms")) {
            scale = 1e6;
            t = t.substring(0, t.length() - 2);
        } else if (t.endsWith("s")) {
            t = t.substring(0, t.length() - 1);
        }
        double v = positiveDouble(t, option);
        return Math.round(v * scale);
    }

    private static Double positiveDouble(String text, String option) {
        try {
            double v = Double.parseDouble(text);
            if (v > 0 && Double.isFinite(v)) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(option + " needs a positive number, got '" + text + "'");
    }
}
