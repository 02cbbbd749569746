package io.respin.perf.workload;

import io.respin.perf.client.BenchClient;
import io.respin.perf.measure.RunResult;
import java.io.IOException;
import java.util.List;

/**
 * One benchmark scenario, run on every client in turn. {@link Workloads} creates them from their names
 * ({@code closed-k16}, {@code open-loop-20000}, {@code large-64k}, …).
 *
 * <pre>{@code
 * Workload w = Workloads.byName("closed-k16");
 * w.prepare(ctx);
 * RunResult r = w.run(client, ctx);
 * }</pre>
 */
public interface Workload {

    /** The command-line name, also used in file names. */
    String name();

    /** One line for the report: what is measured. */
    String description();

    /** Puts the keys it reads in place; called before the first client runs it (and again between clients). */
    void prepare(RunContext ctx) throws IOException;

    /** Runs it on a client; {@code null} when the client's shape has no form of it (e.g. open loop, pipelined). */
    RunResult run(BenchClient client, RunContext ctx);

    /**
     * {@code redis-benchmark} arguments for the same scenario (test, connections, pipeline, key range, value size),
     * or an empty list when it has no equivalent. The runner adds host, port, request count and {@code --csv}.
     */
    List<String> redisBenchmarkArgs(RunContext ctx);
}
