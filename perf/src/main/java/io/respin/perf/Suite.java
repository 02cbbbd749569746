package io.respin.perf;

import io.respin.perf.client.BenchClient;
import io.respin.perf.client.ClientCatalog;
import io.respin.perf.measure.LatencySummary;
import io.respin.perf.measure.RunResult;
import io.respin.perf.report.ResultTable;
import io.respin.perf.workload.AdminConnection;
import io.respin.perf.workload.Clock;
import io.respin.perf.workload.KeySpace;
import io.respin.perf.workload.RedisBenchmark;
import io.respin.perf.workload.RunContext;
import io.respin.perf.workload.Workload;
import io.respin.perf.workload.Workloads;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Runs every workload on every client against one server, workload by workload (so the clients of a workload run
 * back to back, on the same server state, in an order that rotates from one workload to the next), and collects
 * the results. A JVM client is open only while it is measured: it is opened just before its run and closed just
 * after, so no other client's threads (a busy-spinning IO thread, an event loop, a pool's evictor) share the
 * machine with the one being measured — on a small machine a spinning thread of one client would take a core from
 * the next, or keep the CPUs awake for it. Connection set-up happens before the warm-up window and is not
 * measured; compiled code persists across opens, so the up-front JIT warm-up still counts. {@code redis-benchmark}
 * runs last in each workload, sized from the JVM clients' throughput.
 *
 * <pre>{@code
 * List<RunResult> results = new Suite(options, "redis://127.0.0.1:6390", System.err).run();
 * }</pre>
 */
final class Suite {
    static final int KEY_SPACE = 10_000;
    static final int VALUE_SIZE = 32;
    private static final long MIN_MEASURE_NANOS = 200_000_000L;

    private final Options options;
    private final String uri;
    private final PrintStream progress;
    private final List<RunResult> results = new ArrayList<>();
    private final List<ResultTable.Missing> missing = new ArrayList<>();
    private long warmupNanos;
    private long measureNanos;

    Suite(Options options, String uri, PrintStream progress) {
        this.options = options;
        this.uri = uri;
        this.progress = progress;
    }

    List<RunResult> run() throws IOException {
        List<Workload> workloads = Workloads.parse(options.workloads(), options.rates());
        List<String> names = options.clients();
        List<String> openable = openable(names);
        try (AdminConnection admin = AdminConnection.open(uri)) {
            RunContext sizing = new RunContext(uri, admin, new KeySpace(KEY_SPACE, VALUE_SIZE), 0, 0,
                    options.seedTasks(), options.threads(), Clock.SYSTEM, this::peakOpsPerSecond);
            long runs = 0;
            for (Workload w : workloads) {
                for (String name : names) {
                    boolean rb = name.equals(ClientCatalog.REDIS_BENCHMARK);
                    runs += rb ? (w.redisBenchmarkArgs(sizing).isEmpty() ? 0 : 1) : openable.contains(name) ? 1 : 0;
                }
            }
            double runBudget = Options.QUICK_BUDGET_SECONDS * 1e9 - options.jitWarmupNanos() * openable.size();
            long measure = options.durationNanos() > 0 ? options.durationNanos()
                    : Math.max(MIN_MEASURE_NANOS, (long) (runBudget / Math.max(1, runs) * 2 / 3));
            long warmup = options.warmupNanos() > 0 ? options.warmupNanos() : measure / 2;
            warmupNanos = warmup;
            measureNanos = measure;
            RunContext ctx = new RunContext(uri, admin, sizing.keys(), warmup, measure, options.seedTasks(),
                    options.threads(), Clock.SYSTEM, this::peakOpsPerSecond);
            progress.printf(Locale.ROOT, "%d workloads x %d clients (%d runs), warm-up %.2f s + measure %.2f s each%n",
                    workloads.size(), names.size(), runs, warmup / 1e9, measure / 1e9);
            for (String name : openable) {
                progress.printf(Locale.ROOT, "warming up %s (%.1f s)%n", name, options.jitWarmupNanos() / 1e9);
                try (BenchClient c = open(name)) {
                    Workloads.warmUp(c, ctx, options.jitWarmupNanos());
                }
            }
            long done = 0;
            for (int wi = 0; wi < workloads.size(); wi++) {
                Workload w = workloads.get(wi);
                // once per workload: no workload changes the values its clients read
                w.prepare(ctx);
                for (String name : rotated(names, wi)) {
                    if (!name.equals(ClientCatalog.REDIS_BENCHMARK) && !openable.contains(name)) {
                        missing.add(new ResultTable.Missing(w.name(), name, "could not be opened (see the start of "
                                + "the run)"));
                        continue;
                    }
                    long left = (long) ((runs - done) * (warmup + measure) / 1e9);
                    boolean rbRun = name.equals(ClientCatalog.REDIS_BENCHMARK);
                    if (rbRun && w.redisBenchmarkArgs(ctx).isEmpty()) {
                        missing.add(new ResultTable.Missing(w.name(), name, "redis-benchmark has no equivalent "
                                + "(it runs one command type at a time, in closed loops: no mixed tasks, no fixed rate)"));
                        continue;
                    }
                    done++;
                    progress.printf(Locale.ROOT, "[%2d/%d] %-16s %-18s ~%d s left%n", done, runs, w.name(), name,
                            left);
                    RunResult r = runOne(w, name, ctx);
                    if (r != null) {
                        results.add(r);
                        progress.printf(Locale.ROOT, "        %,.0f ops/s, p50 %.1f us, p99 %.1f us%s%n",
                                r.opsPerSecond(), r.latency().p50(), r.latency().p99(),
                                r.errors() > 0 ? ", " + r.errors() + " ERRORS: " + r.note() : "");
                    } else {
                        progress.println("        n/a for this client");
                        missing.add(new ResultTable.Missing(w.name(), name, notApplicable(name, w.name())));
                    }
                }
            }
        }
        List<String> workloadOrder = workloads.stream().map(Workload::name).toList();
        results.sort(Comparator.comparingInt((RunResult r) -> workloadOrder.indexOf(r.workload()))
                .thenComparingInt(r -> names.indexOf(r.client())));
        return results;
    }

    /** The pairs that have no row, and why, in the order the run met them. */
    List<ResultTable.Missing> missing() {
        return List.copyOf(missing);
    }

    /** "each row: 0.20 s warm-up, then 0.40 s measured", once {@link #run()} has sized the windows. */
    String runLength() {
        return String.format(Locale.ROOT, "each row: %.2f s warm-up, then %.2f s measured", warmupNanos / 1e9,
                measureNanos / 1e9);
    }

    /** Why a workload had no form for a client (its {@code run} returned null). */
    static String notApplicable(String client, String workload) {
        if (client.endsWith("-pipelined")) {
            return "a pipelined client sends its batches from one thread: it has no caller threads to spread over, "
                    + "and no fixed-rate sends";
        }
        if (workload.endsWith("pct")) {
            return "no closed-loop peak of this client to take a percentage of (its closed loops did not run)";
        }
        return "the workload has no form for this client's shape";
    }

    /**
     * The JVM clients in turn order for workload {@code i}: rotated by one per workload, so that on a machine whose
     * load drifts no client is always the first (or last) to run; redis-benchmark stays last because its request
     * count is sized from the JVM clients' results.
     */
    static List<String> rotated(List<String> names, int i) {
        List<String> jvm = new ArrayList<>(names);
        boolean rb = jvm.remove(ClientCatalog.REDIS_BENCHMARK);
        if (!jvm.isEmpty()) {
            Collections.rotate(jvm, -(i % jvm.size()));
        }
        if (rb) {
            jvm.add(ClientCatalog.REDIS_BENCHMARK);
        }
        return jvm;
    }

    /**
     * Runs one pair, with the client opened for this run alone; a run that throws becomes a failed result (one
     * error, the exception as its note).
     */
    private RunResult runOne(Workload w, String name, RunContext ctx) {
        try {
            if (name.equals(ClientCatalog.REDIS_BENCHMARK)) {
                return RedisBenchmark.run(w, ctx, requestsFor(w.name(), ctx));
            }
            try (BenchClient client = open(name)) {
                return w.run(client, ctx);
            }
        } catch (RuntimeException e) {
            return new RunResult(w.name(), name, 0, 1, 0, LatencySummary.NONE, null, null, Double.NaN, Double.NaN,
                    0, "the run failed: " + e);
        }
    }

    /** redis-benchmark takes a count, not a duration: size it to last about one measured window. */
    private long requestsFor(String workload, RunContext ctx) {
        double best = results.stream().filter(r -> r.workload().equals(workload))
                .mapToDouble(RunResult::opsPerSecond).max().orElse(20_000);
        return Math.max(100, Math.min(10_000_000, (long) (best * ctx.measureNanos() / 1e9)));
    }

    private double peakOpsPerSecond(String client) {
        return results.stream()
                .filter(r -> r.client().equals(client) && r.errors() == 0
                        && (r.workload().startsWith("closed-") || r.workload().startsWith("threads-")))
                .mapToDouble(RunResult::opsPerSecond).max().orElse(0);
    }

    private BenchClient open(String name) {
        return ClientCatalog.open(name, uri, new ClientCatalog.Settings(Math.max(128, options.threads())));
    }

    /** The JVM clients that can be opened (each is opened and closed once to find out; the rest are reported). */
    private List<String> openable(List<String> names) {
        List<String> clients = new ArrayList<>();
        for (String name : names) {
            if (name.equals(ClientCatalog.REDIS_BENCHMARK)) {
                if (!RedisBenchmark.available()) {
                    progress.println("redis-benchmark is not on PATH; its rows are skipped "
                            + "(apt-get install -y redis-tools)");
                }
                continue;
            }
            try {
                open(name).close();
                clients.add(name);
            } catch (RuntimeException e) {
                progress.println("could not open " + name + ", its rows are skipped: " + e);
            }
        }
        return clients;
    }
}
