package io.respin.perf.workload;

import io.respin.perf.client.ClientCatalog;
import io.respin.perf.measure.LatencySummary;
import io.respin.perf.measure.RunResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code redis-benchmark} (the server's own C load generator) as a process on the same server and key space,
 * and reads its {@code --csv} output. It is the floor the JVM clients are measured against: no JVM, no allocation.
 * It takes a request count rather than a duration, so the count is sized from the JVM clients' throughput on the
 * same workload to last about as long as their measured window. It reports p50, p99 and max but no p99.9, and its
 * allocation and CPU per operation are not measured (another process).
 *
 * <pre>{@code
 * RunResult r = RedisBenchmark.run(workload, ctx, 200_000);
 * }</pre>
 */
public final class RedisBenchmark {

    private RedisBenchmark() {
    }

    /** True if {@code redis-benchmark} is on the PATH. */
    public static boolean available() {
        return executable() != null;
    }

    /**
     * Runs the workload's equivalent with {@code requests} requests; null when it has none.
     *
     * @throws IllegalStateException with redis-benchmark's output when it fails
     */
    public static RunResult run(Workload workload, RunContext ctx, long requests) {
        List<String> args = workload.redisBenchmarkArgs(ctx);
        if (args.isEmpty()) {
            return null;
        }
        String exe = executable();
        if (exe == null) {
            throw new IllegalStateException("redis-benchmark is not on PATH; install it with: apt-get install -y "
                    + "redis-tools, or leave it out with --clients");
        }
        AdminConnection.RedisAddress address = AdminConnection.RedisAddress.parse(ctx.uri());
        List<String> cmd = new ArrayList<>(List.of(exe, "-h", address.host(), "-p", Integer.toString(address.port()),
                "-n", Long.toString(requests), "--csv"));
        if (address.password() != null) {
            cmd.addAll(List.of("-a", address.password(), "--no-auth-warning"));
            if (address.user() != null) {
                cmd.addAll(List.of("--user", address.user()));
            }
        }
        cmd.addAll(args);
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException("redis-benchmark failed (" + String.join(" ", cmd) + "):\n" + out);
            }
            int d = args.indexOf("-d");
            boolean moves = args.contains("set,get") && d >= 0;
            return parse(workload.name(), out, requests, moves ? Long.parseLong(args.get(d + 1)) : 0,
                    String.join(" ", args));
        } catch (IOException e) {
            throw new IllegalStateException("could not run redis-benchmark: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while redis-benchmark ran", e);
        }
    }

    /**
     * Reads redis-benchmark's CSV: one line per test ({@code "GET","246913.58","0.058",…}). With several tests
     * (SET and GET) the throughput is their combined rate and each percentile the worse of the two.
     */
    static RunResult parse(String workload, String csv, long requestsPerTest, long payloadPerOp, String args) {
        double seconds = 0;
        double p50 = 0;
        double p99 = 0;
        double max = 0;
        int tests = 0;
        for (String line : csv.split("\\R")) {
            if (!line.startsWith("\"") || line.startsWith("\"test\"")) {
                continue;
            }
            String[] f = line.replace("\"", "").split(",");
            if (f.length < 8) {
                throw new IllegalStateException("unexpected redis-benchmark line: " + line);
            }
            double rps = Double.parseDouble(f[1]);
            tests++;
            seconds += requestsPerTest / rps;
            p50 = Math.max(p50, Double.parseDouble(f[4]) * 1000);
            p99 = Math.max(p99, Double.parseDouble(f[6]) * 1000);
            max = Math.max(max, Double.parseDouble(f[7]) * 1000);
        }
        if (tests == 0) {
            throw new IllegalStateException("redis-benchmark printed no results:\n" + csv);
        }
        long operations = requestsPerTest * tests;
        LatencySummary latency = new LatencySummary(p50, Double.NaN, p99, Double.NaN, Double.NaN, max);
        return new RunResult(workload, ClientCatalog.REDIS_BENCHMARK, operations, 0, Math.round(seconds * 1e9),
                latency, null, null, Double.NaN, Double.NaN, operations * payloadPerOp, "redis-benchmark " + args);
    }

    private static String executable() {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            java.nio.file.Path p = java.nio.file.Path.of(dir, "redis-benchmark");
            if (java.nio.file.Files.isExecutable(p)) {
                return p.toString();
            }
        }
        return null;
    }
}
