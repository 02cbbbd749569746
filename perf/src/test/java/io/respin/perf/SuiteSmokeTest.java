package io.respin.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.respin.perf.client.ClientCatalog;
import io.respin.perf.measure.RunResult;
import io.respin.perf.report.ResultFiles;
import io.respin.perf.report.ResultTable;
import io.respin.testkit.RedisServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every workload of the full suite, on every peer client and redis-benchmark, for a fraction of a second, against the
 * test kit's server; then the table and the files (plots are drawn in {@code ReportTest}: they take seconds). Checks
 * that each pair that should run did, moved commands and saw no wrong reply — not how fast.
 */
class SuiteSmokeTest {
    private static final List<String> WORKLOADS = List.of("seed", "roundtrip", "closed-k16", "threads-4",
            "open-loop-RATE", "open-loop-50pct", "large-1k", "large-1m");

    @Test
    void everyWorkloadRunsOnEveryClient(@TempDir Path dir) throws Exception {
        try (RedisServer server = RedisServer.builder().start()) {
            Options options = Options.parse("--uri", server.uri(), "--workloads",
                    String.join(",", WORKLOADS), "--duration", "100ms", "--warmup", "30ms", "--jit-warmup", "60ms",
                    "--seed-tasks", "200", "--rate", "2000", "--threads", "4");
            ByteArrayOutputStream progress = new ByteArrayOutputStream();
            Suite suite = new Suite(options, server.uri(), new PrintStream(progress, true, StandardCharsets.UTF_8));
            List<RunResult> results = suite.run();

            for (RunResult r : results) {
                assertTrue(r.operations() > 0, r.workload() + " on " + r.client() + ": no operations");
                assertEquals(0, r.errors(), r.workload() + " on " + r.client() + ": " + r.note());
            }
            Set<String> ran = results.stream().map(r -> r.workload() + "/" + r.client()).collect(Collectors.toSet());
            for (String w : WORKLOADS) {
                w = w.replace("RATE", "2000");
                for (String c : List.of("lettuce-async", "lettuce-sync", "jedis-pooled")) {
                    assertTrue(ran.contains(w + "/" + c), w + "/" + c + " did not run; ran: " + ran);
                }
            }
            assertTrue(ran.containsAll(List.of("seed/jedis-pipelined", "closed-k16/jedis-pipelined",
                    "large-1k/jedis-pipelined", "roundtrip/jedis-pipelined")), ran.toString());
            assertTrue(ran.containsAll(List.of("roundtrip/redis-benchmark", "closed-k16/redis-benchmark",
                    "threads-4/redis-benchmark", "large-1k/redis-benchmark")), ran.toString());
            assertTrue(progress.toString(StandardCharsets.UTF_8).contains("~"), "progress shows time left");

            String table = ResultTable.render(results, suite.missing(), suite.runLength());
            assertTrue(table.contains("closed-k16") && table.contains("lettuce-async"), table);
            // every pair that did not run is named under the table, with its reason
            Set<String> missing = suite.missing().stream().map(m -> m.workload() + "/" + m.client())
                    .collect(Collectors.toSet());
            assertTrue(missing.containsAll(List.of("threads-4/jedis-pipelined", "seed/redis-benchmark")), missing + "");
            assertTrue(table.contains("each row: 0.03 s warm-up, then 0.10 s measured"), table);
            assertTrue(table.lines().anyMatch(l -> l.startsWith("  jedis-pipelined") && l.contains("threads-4")), table);
            ResultFiles.write(dir, results, Map.of("command", "test"));
            assertTrue(Files.size(dir.resolve("results.csv")) > 0);
            assertTrue(Files.readString(dir.resolve("results.json")).contains("\"client\": \"jedis-pooled\""));
            assertTrue(Files.exists(dir.resolve("hgrm/open-loop-2000__lettuce-async.hgrm")));
            assertTrue(Files.exists(dir.resolve("hgrm/open-loop-2000__lettuce-async.uncorrected.hgrm")));
        }
    }


    @Test
    void turnOrderRotatesPerWorkloadWithRedisBenchmarkLast() {
        List<String> names = List.of("a", "b", "c", ClientCatalog.REDIS_BENCHMARK);
        assertEquals(names, Suite.rotated(names, 0));
        assertEquals(List.of("b", "c", "a", ClientCatalog.REDIS_BENCHMARK), Suite.rotated(names, 1));
        assertEquals(List.of("a", "b", "c", ClientCatalog.REDIS_BENCHMARK), Suite.rotated(names, 3));
        assertEquals(List.of("c", "a"), Suite.rotated(List.of("a", "c"), 1));
    }

    @Test
    void clientNamesAreUniqueAndRedisBenchmarkIsLast() {
        List<String> names = ClientCatalog.names();
        assertEquals(names.size(), Set.copyOf(names).size());
        assertEquals(ClientCatalog.REDIS_BENCHMARK, names.getLast());
    }
}
