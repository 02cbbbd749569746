package io.respin.perf;

import io.respin.perf.measure.RunResult;
import io.respin.perf.report.Plots;
import io.respin.perf.report.ResultFiles;
import io.respin.perf.report.ResultTable;
import io.respin.perf.workload.AdminConnection;
import io.respin.testkit.RedisServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The benchmark harness: respin against Lettuce, Jedis and redis-benchmark on one redis-server, in one run.
 *
 * <pre>
 *   ./mvnw -q -B -DskipTests package &amp;&amp; java -jar perf/target/respin-perf.jar   # quick suite, &lt; 1 min
 *   java -jar perf/target/respin-perf.jar --full --duration 5s                # every workload
 *   java -jar perf/target/respin-perf.jar --uri redis://10.0.0.5:6379 --clients lettuce-async,jedis-pooled
 * </pre>
 *
 * Without {@code --uri} it starts its own redis-server (test kit) on a free port and stops it at the end.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("java.awt.headless", "true");
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("respin-perf: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (options.help()) {
            System.out.print(Options.USAGE);
            return;
        }
        long started = System.nanoTime();
        int exitCode = 0;
        RedisServer server = null;
        String uri = options.uri();
        if (uri == null) {
            try {
                server = RedisServer.builder().start();
            } catch (IllegalStateException e) {
                System.err.println("respin-perf: " + e.getMessage() + "\n(or point it at a server with --uri)");
                System.exit(1);
                return;
            }
            uri = server.uri();
            System.err.println("started redis-server (pid " + server.pid() + ") at " + uri);
        }
        try {
            Suite suite = new Suite(options, uri, System.err);
            List<RunResult> results = suite.run();
            Path dir = options.out() != null ? options.out() : Path.of("perf-results",
                    LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT)));
            Files.createDirectories(dir);
            Map<String, String> run = runInfo(args, uri);
            run.put("run length", suite.runLength());
            ResultFiles.write(dir, results, run);
            System.out.println();
            System.out.print(ResultTable.render(results, suite.missing(), suite.runLength()));
            System.out.flush();
            String caption = caption(run, (System.nanoTime() - started) / 1e9);
            List<Path> plots = Plots.write(dir, results, caption);
            System.out.printf(Locale.ROOT, "%nresults: %s (results.csv, results.json, hgrm/, %d plots) in %.0f s%n",
                    dir.toAbsolutePath(), plots.size(), (System.nanoTime() - started) / 1e9);
            if (results.stream().anyMatch(r -> r.errors() > 0)) {
                exitCode = 3; // a client returned wrong values or failed: the figures above are not to be trusted
            }
        } finally {
            if (server != null) {
                server.close();
            }
        }
        if (exitCode != 0) {
            System.exit(exitCode);
        }
    }

    /** The command and the machine, stored with the results so a figure can always be traced to its origin. */
    static Map<String, String> runInfo(String[] args, String uri) {
        Map<String, String> run = new LinkedHashMap<>();
        run.put("command", "java -jar perf/target/respin-perf.jar " + String.join(" ", args));
        run.put("uri", uri);
        run.put("time", LocalDateTime.now().toString());
        run.put("processors", Integer.toString(Runtime.getRuntime().availableProcessors()));
        run.put("cpu", cpuModel());
        run.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        run.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        run.put("redis", redisVersion(uri));
        run.put("commit", commit());
        return run;
    }

    /**
     * The line every plot is titled with: when, on what, from which commit, for how long — e.g. {@code 2026-05-12
     * 14:03 | 2 cores, AMD EPYC 7B13 | commit eb950fc | each row: 0.20 s warm-up, then 0.40 s measured; 38 s in all}.
     */
    static String caption(Map<String, String> run, double seconds) {
        String time = run.getOrDefault("time", "");
        String when = time.length() >= 16 ? time.substring(0, 16).replace('T', ' ') : time;
        return String.format(Locale.ROOT, "%s | %s cores, %s | commit %s | %s; %.0f s in all", when,
                run.get("processors"), run.get("cpu"), run.get("commit"), run.get("run length"), seconds);
    }

    /** {@code git rev-parse --short HEAD} in the working directory, or "unknown" (no git, not a checkout). */
    static String commit() {
        try {
            Process git = new ProcessBuilder("git", "rev-parse", "--short", "HEAD")
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            boolean done = git.waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
            return done && git.exitValue() == 0 && !out.isEmpty() ? out : "unknown";
        } catch (IOException | RuntimeException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    /** The server's {@code redis_version}, from INFO. */
    static String redisVersion(String uri) {
        try (AdminConnection admin = AdminConnection.open(uri)) {
            String info = new String((byte[]) admin.call("INFO", "server"), StandardCharsets.UTF_8);
            return info.lines().filter(l -> l.startsWith("redis_version:"))
                    .map(l -> l.substring("redis_version:".length()).trim()).findFirst().orElse("unknown");
        } catch (IOException | RuntimeException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .findFirst().orElse("unknown");
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }
}
