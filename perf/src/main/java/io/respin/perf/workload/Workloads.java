package io.respin.perf.workload;

import io.respin.perf.client.BenchClient;
import io.respin.perf.measure.RunResult;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The workloads by name. Parameters are part of the name, so any variant can be asked for on the command line:
 *
 * <pre>
 *   seed              N tasks: GET key, then SETEX key (N from --seed-tasks)
 *   roundtrip         one caller, sequential GET
 *   closed-k16        16 GETs outstanding on one client (async: chains; sync: 16 threads; pipelined: batches of 16)
 *   threads-16        16 caller threads, each waiting for its GET (async clients: join)
 *   open-loop-20000   GET at a fixed 20,000/s, latency from the intended send time
 *   open-loop-80pct   the same at 80% of the client's best closed-loop throughput measured earlier in the run
 *   large-64k         SET then GET of 64 KiB values, 4 outstanding (also 1k, 1m, or a size in bytes)
 * </pre>
 *
 * <pre>{@code
 * List<Workload> quick = Workloads.parse(Workloads.QUICK, List.of(10_000.0));
 * }</pre>
 */
public final class Workloads {
    /** The quick suite: one of each kind, sized to fit in a minute with every client. */
    public static final List<String> QUICK =
            List.of("seed", "roundtrip", "closed-k16", "threads-16", "open-loop-RATE", "large-64k");
    /** The full suite. */
    public static final List<String> FULL = List.of("seed", "roundtrip", "closed-k1", "closed-k16", "closed-k128",
            "threads-1", "threads-16", "open-loop-RATE", "open-loop-80pct", "large-1k", "large-64k", "large-1m");

    /**
     * What a latency-sensitive service judges a client by (issue 16): fixed rates (5k, 10k, 20k/s unless
     * {@code --rate} says otherwise), one caller at a time, 16 threads on one client, 16 and 128 outstanding (explicit
     * pipelines for the pipelined clients, {@code redis-benchmark -P}).
     */
    public static final List<String> LATENCY = List.of("roundtrip", "open-loop-RATE", "threads-16", "closed-k16",
            "closed-k128");

    private static final Pattern CLOSED = Pattern.compile("closed-k(\\d+)");
    private static final Pattern THREADS = Pattern.compile("threads-(\\d+)");
    private static final Pattern OPEN = Pattern.compile("open-loop-(\\d+)");
    private static final Pattern OPEN_PCT = Pattern.compile("open-loop-(\\d+)pct");
    private static final Pattern LARGE = Pattern.compile("large-(\\d+)([km]?)");
    private static final int LARGE_OUTSTANDING = 4;
    private static final int LARGE_KEYS = 16;

    private Workloads() {
    }

    /**
     * Creates the named workloads; {@code open-loop-RATE} becomes one open loop per rate in {@code rates}.
     *
     * @throws IllegalArgumentException naming the unknown workload and listing the forms that exist
     */
    public static List<Workload> parse(List<String> names, List<Double> rates) {
        return names.stream()
                .flatMap(n -> n.equals("open-loop-RATE")
                        ? rates.stream().map(r -> byName("open-loop-" + Math.round(r)))
                        : java.util.stream.Stream.of(byName(n)))
                .toList();
    }

    /** One workload by name. */
    public static Workload byName(String name) {
        Matcher m;
        if (name.equals("seed")) {
            return define(name, "N concurrent tasks, each GET then SETEX its key; values verified",
                    ctx -> List.of(), (client, ctx) -> Seed.run(name, client, ctx), false);
        }
        if (name.equals("roundtrip")) {
            return define(name, "one caller, sequential GET",
                    ctx -> getArgs(ctx, 1, 1), (client, ctx) -> Loops.callers(name, client, Operation.get(ctx.keys()),
                            1, ctx), true);
        }
        if ((m = CLOSED.matcher(name)).matches()) {
            int k = positive(m.group(1), name);
            return define(name, k + " GETs outstanding on one client",
                    ctx -> getArgs(ctx, 1, k), (client, ctx) -> Loops.closed(name, client,
                            Operation.get(ctx.keys()), k, ctx), true);
        }
        if ((m = THREADS.matcher(name)).matches()) {
            int t = positive(m.group(1), name);
            return define(name, t + " caller threads, each waiting for its GET",
                    ctx -> getArgs(ctx, t, 1), (client, ctx) -> Loops.callers(name, client,
                            Operation.get(ctx.keys()), t, ctx), true);
        }
        if ((m = OPEN_PCT.matcher(name)).matches()) {
            double fraction = positive(m.group(1), name) / 100.0;
            return define(name, "GET at " + m.group(1) + "% of the client's best closed-loop rate, CO-corrected",
                    ctx -> List.of(), (client, ctx) -> {
                        double peak = ctx.peakOpsPerSecond().applyAsDouble(client.name());
                        return peak > 0
                                ? OpenLoop.run(name, client, Operation.get(ctx.keys()), peak * fraction, ctx)
                                : null;
                    }, true);
        }
        if ((m = OPEN.matcher(name)).matches()) {
            double rate = positive(m.group(1), name);
            return define(name, String.format(Locale.ROOT, "GET at a fixed %,.0f/s, latency from the intended send",
                            rate),
                    ctx -> List.of(), (client, ctx) -> OpenLoop.run(name, client, Operation.get(ctx.keys()), rate,
                            ctx), true);
        }
        if ((m = LARGE.matcher(name)).matches()) {
            int size = Math.multiplyExact(positive(m.group(1), name),
                    switch (m.group(2)) {
                        case "k" -> 1024;
                        case "m" -> 1024 * 1024;
                        default -> 1;
                    });
            KeySpace keys = new KeySpace(LARGE_KEYS, size);
            return new Definition(name, "SET then GET of " + m.group(1) + m.group(2).toUpperCase(Locale.ROOT)
                    + (m.group(2).isEmpty() ? " B" : "iB") + " values, " + LARGE_OUTSTANDING + " outstanding",
                    ctx -> keys.load(ctx.admin()),
                    (client, ctx) -> Loops.closed(name, client, Operation.setThenGet(keys), LARGE_OUTSTANDING, ctx),
                    ctx -> List.of("-t", "set,get", "-c", "1", "-P", Integer.toString(LARGE_OUTSTANDING),
                            "-r", Integer.toString(LARGE_KEYS), "-d", Integer.toString(size)));
        }
        throw new IllegalArgumentException("unknown workload '" + name + "'; known forms: seed, roundtrip, "
                + "closed-k<K>, threads-<T>, open-loop-<rate>, open-loop-<percent>pct, large-<size>[k|m]");
    }

    /**
     * Brings a client's code paths to steady state before anything is measured: the JIT needs seconds of traffic,
     * not the sub-second warm-up of each run. A third of the time K=16 chains of SET/GET, a third one blocking
     * caller, a third GETs at a fixed {@value #WARM_UP_RATE}/s (the callers of a sync client sharing the schedule): a
     * client whose callers wait differently at a service's pace than in a closed loop (respin's, which block at
     * once) would otherwise have that path compiled during the first open-loop window — on two cores a C2
     * compilation holds one for milliseconds, and those stalls were most of a 2 s window's p99.
     */
    public static void warmUp(BenchClient client, RunContext ctx, long nanos) throws IOException {
        ctx.keys().load(ctx.admin());
        RunContext third = new RunContext(ctx.uri(), ctx.admin(), ctx.keys(), nanos / 3, 0, ctx.seedTasks(),
                ctx.callerThreads(), ctx.clock(), ctx.peakOpsPerSecond());
        Loops.closed("warm-up", client, Operation.setThenGet(ctx.keys()), 16, third);
        Loops.callers("warm-up", client, Operation.get(ctx.keys()), 1, third);
        OpenLoop.run("warm-up", client, Operation.get(ctx.keys()), WARM_UP_RATE, third);
    }

    /** The fixed rate of the warm-up's last third: high enough to give the JIT its thousands of calls. */
    static final double WARM_UP_RATE = 20_000;

    private static List<String> getArgs(RunContext ctx, int connections, int pipeline) {
        return List.of("-t", "get", "-c", Integer.toString(connections), "-P", Integer.toString(pipeline),
                "-r", Integer.toString(ctx.keys().size()), "-d", Integer.toString(ctx.keys().valueSize()));
    }

    private static int positive(String digits, String name) {
        int v;
        try {
            v = Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            v = 0;
        }
        if (v < 1) {
            throw new IllegalArgumentException("workload '" + name + "' needs a positive number, got " + digits);
        }
        return v;
    }

    /** Preparation that may fail with I/O. */
    @FunctionalInterface
    interface Preparation {
        void prepare(RunContext ctx) throws IOException;
    }

    private static Workload define(String name, String description, Function<RunContext, List<String>> rb,
                                   BiFunction<BenchClient, RunContext, RunResult> run, boolean loadsKeySpace) {
        Preparation prepare = loadsKeySpace ? ctx -> ctx.keys().load(ctx.admin()) : ctx -> { };
        return new Definition(name, description, prepare, run, rb);
    }

    private record Definition(String name, String description, Preparation preparation,
                              BiFunction<BenchClient, RunContext, RunResult> runner,
                              Function<RunContext, List<String>> rb) implements Workload {
        @Override
        public void prepare(RunContext ctx) throws IOException {
            preparation.prepare(ctx);
        }

        @Override
        public RunResult run(BenchClient client, RunContext ctx) {
            return runner.apply(client, ctx);
        }

        @Override
        public List<String> redisBenchmarkArgs(RunContext ctx) {
            return rb.apply(ctx);
        }
    }
}
