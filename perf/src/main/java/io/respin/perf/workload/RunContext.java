package io.respin.perf.workload;

import java.util.function.ToDoubleFunction;

/**
 * What every workload run needs besides the client: the server, the admin connection, the key space, the phase
 * lengths, and the results so far (the open loop at "80% of the maximum" reads a client's best closed-loop rate).
 *
 * <pre>{@code
 * RunContext ctx = new RunContext(uri, admin, new KeySpace(10_000, 32), 500_000_000L, 1_000_000_000L,
 *         1_000, 16, Clock.SYSTEM, client -> 0);
 * RunResult r = Workloads.byName("roundtrip").run(client, ctx);
 * }</pre>
 *
 * @param uri               the server, {@code redis://host:port}
 * @param admin             the harness's own connection, for loading and verifying keys
 * @param keys              the read workloads' key space
 * @param warmupNanos       warm-up before each measured window
 * @param measureNanos      measured window
 * @param seedTasks         N of the seed workload
 * @param callerThreads     caller threads a sync client gets in the open loop
 * @param clock             time for the open loop's schedule
 * @param peakOpsPerSecond  a client's best closed-loop throughput so far in this run, or 0
 */
public record RunContext(String uri, AdminConnection admin, KeySpace keys, long warmupNanos, long measureNanos,
                         int seedTasks, int callerThreads, Clock clock, ToDoubleFunction<String> peakOpsPerSecond) {
}
