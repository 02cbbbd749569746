package io.respin.perf.workload;

import io.respin.perf.client.AsyncBenchClient;
import io.respin.perf.client.BenchClient;
import io.respin.perf.client.PipelinedBenchClient;
import io.respin.perf.client.SyncBenchClient;
import io.respin.perf.measure.Cost;
import io.respin.perf.measure.Latencies;
import io.respin.perf.measure.RunResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The seed workload: N tasks start at once; each GETs its own key and then SETEXes it to a new value. One round's
 * figure is the total time until the last task is done. Every round uses fresh values, loaded by the harness's admin
 * connection beforehand and read back by it afterwards, so each GET is checked against what the harness stored and
 * each SETEX against what the server holds — a client cannot win by dropping or mixing up replies.
 *
 * <pre>
 *   admin:  SET seed:i "r:<round>:i"            (for all i, untimed)
 *   timed:  task i: GET seed:i == "r:<round>:i" ? then SETEX seed:i 3600 "w:<round>:i"
 *   admin:  MGET seed:* == "w:<round>:i"         (untimed)
 * </pre>
 *
 * Async clients start all N tasks from one thread; sync clients run them on a pool of caller threads (one virtual
 * thread per task for a virtual-thread client); a pipelined client sends the GETs and then the SETEXes in batches.
 * Rounds repeat through the warm-up and the measured window; the result sums the measured rounds.
 */
final class Seed {
    static final long TTL_SECONDS = 3600;
    private static final int PIPELINE_BATCH = 1000;
    private static final AtomicLong ROUNDS = new AtomicLong();

    private Seed() {
    }

    /** One round's keys and values. */
    record Round(byte[][] keys, byte[][] before, byte[][] after) {
        static Round create(int n) {
            long id = ROUNDS.incrementAndGet();
            byte[][] keys = new byte[n][];
            byte[][] before = new byte[n][];
            byte[][] after = new byte[n][];
            for (int i = 0; i < n; i++) {
                keys[i] = KeySpace.name("seed", i);
                before[i] = ("r:" + id + ":" + i).getBytes(StandardCharsets.US_ASCII);
                after[i] = ("w:" + id + ":" + i).getBytes(StandardCharsets.US_ASCII);
            }
            return new Round(keys, before, after);
        }
    }

    static RunResult run(String workload, BenchClient client, RunContext ctx) {
        int n = ctx.seedTasks();
        Recording rec = new Recording();
        long warmupEnd = System.nanoTime() + ctx.warmupNanos();
        do {
            round(client, ctx, n, rec, new Latencies()); // warm-up rounds: verified, latencies discarded
        } while (System.nanoTime() < warmupEnd);

        long allocated = 0;
        long cpu = 0;
        long wall = 0;
        int rounds = 0;
        long measureEnd = System.nanoTime() + ctx.measureNanos();
        do {
            Cost c = round(client, ctx, n, rec, rec.latency);
            allocated += c.allocatedBytes();
            cpu += c.cpuNanos();
            wall += c.wallNanos();
            rounds++;
        } while (System.nanoTime() < measureEnd);
        Cost cost = new Cost(allocated, cpu, wall);
        String note = rec.firstError() != null ? rec.firstError()
                : String.format(Locale.ROOT, "N=%,d; %d rounds, %.1f ms per round; values verified",
                n, rounds, wall / 1e6 / rounds);
        return RunResult.measured(workload, client.name(), (long) n * rounds, rec.errors(), cost,
                rec.latency.histogram(), null, 0, note);
    }

    /** Loads, runs one timed round, verifies; task latencies go to {@code latency}, errors to {@code rec}. */
    static Cost round(BenchClient client, RunContext ctx, int n, Recording rec, Latencies latency) {
        Round round = Round.create(n);
        try {
            ctx.admin().setAll(round.keys(), round.before());
        } catch (IOException e) {
            throw new UncheckedIOException("could not load the seed keys", e);
        }
        Cost before = Cost.now();
        long start = System.nanoTime();
        switch (client) {
            case AsyncBenchClient async -> async(async, round, latency, rec, start);
            case SyncBenchClient sync -> sync(sync, round, latency, rec, start);
            case PipelinedBenchClient pipelined -> pipelined(pipelined, round, latency, rec, start);
            default -> throw new IllegalArgumentException("unknown client shape: " + client.getClass());
        }
        Cost cost = Cost.now().minus(before);
        verify(ctx.admin(), round, rec);
        return cost;
    }

    private static void async(AsyncBenchClient client, Round round, Latencies latency, Recording rec, long start) {
        int n = round.keys().length;
        CountDownLatch done = new CountDownLatch(n);
        for (int i = 0; i < n; i++) {
            int task = i;
            byte[] key = round.keys()[i];
            client.get(key)
                    .thenCompose(value -> {
                        check(rec, task, round.before()[task], value);
                        return client.setex(key, TTL_SECONDS, round.after()[task]);
                    })
                    .whenComplete((ok, failure) -> {
                        latency.record(System.nanoTime() - start);
                        if (failure != null) {
                            rec.error(task, failure);
                        }
                        done.countDown();
                    });
        }
        await(done, rec);
    }

    private static void sync(SyncBenchClient client, Round round, Latencies latency, Recording rec, long start) {
        int n = round.keys().length;
        CountDownLatch done = new CountDownLatch(n);
        try (ExecutorService pool = client.virtualCallers()
                ? Executors.newThreadPerTaskExecutor(Loops.threadFactory(client))
                : Executors.newFixedThreadPool(Math.min(n, 16), Loops.threadFactory(client))) {
            for (int i = 0; i < n; i++) {
                int task = i;
                pool.execute(() -> {
                    try {
                        byte[] key = round.keys()[task];
                        check(rec, task, round.before()[task], client.get(key));
                        client.setex(key, TTL_SECONDS, round.after()[task]);
                    } catch (RuntimeException e) {
                        rec.error(task, e);
                    } finally {
                        latency.record(System.nanoTime() - start);
                        done.countDown();
                    }
                });
            }
            await(done, rec);
        }
    }

    private static void pipelined(PipelinedBenchClient client, Round round, Latencies latency, Recording rec,
                                  long start) {
        PipelinedBenchClient.Pipeline p = client.pipeline();
        int n = round.keys().length;
        int[] slots = new int[PIPELINE_BATCH];
        try {
            for (int from = 0; from < n; from += PIPELINE_BATCH) {
                int to = Math.min(n, from + PIPELINE_BATCH);
                for (int i = from; i < to; i++) {
                    slots[i - from] = p.get(round.keys()[i]);
                }
                p.sync();
                for (int i = from; i < to; i++) {
                    check(rec, i, round.before()[i], p.value(slots[i - from]));
                }
                for (int i = from; i < to; i++) {
                    p.setex(round.keys()[i], TTL_SECONDS, round.after()[i]);
                }
                p.sync();
                long now = System.nanoTime();
                for (int i = from; i < to; i++) {
                    latency.record(now - start);
                }
            }
        } catch (RuntimeException e) {
            rec.error(0, e);
        }
    }

    private static void check(Recording rec, int task, byte[] expected, Object value) {
        if (!(value instanceof byte[] b) || !Arrays.equals(b, expected)) {
            rec.error(task, "GET returned " + (value instanceof byte[] v ? "'" + ascii(v) + "'" : value)
                    + ", expected '" + ascii(expected) + "'");
        }
    }

    private static String ascii(byte[] b) {
        return new String(b, StandardCharsets.US_ASCII);
    }

    /** Reads every key back through the admin connection: each must hold what its task wrote, with a TTL. */
    static void verify(AdminConnection admin, Round round, Recording rec) {
        try {
            byte[][] stored = admin.getAll(round.keys());
            // SETEX, not SET: the first and last keys carry a TTL
            for (int i : new int[] {0, round.keys().length - 1}) {
                Object ttl = admin.call("TTL", round.keys()[i]);
                if (!(ttl instanceof Long t) || t <= 0 || t > TTL_SECONDS) {
                    rec.error(i, "TTL of " + ascii(round.keys()[i]) + " is " + ttl + " after SETEX, expected 1.."
                            + TTL_SECONDS);
                }
            }
            for (int i = 0; i < stored.length; i++) {
                if (!Arrays.equals(stored[i], round.after()[i])) {
                    rec.error(i, "server holds " + (stored[i] == null ? "nothing" : "'" + ascii(stored[i]) + "'")
                            + " after SETEX, expected '" + ascii(round.after()[i]) + "'");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the seed keys back", e);
        }
    }

    private static void await(CountDownLatch done, Recording rec) {
        try {
            if (!done.await(60, TimeUnit.SECONDS)) {
                rec.error(-1, done.getCount() + " seed tasks did not finish within 60 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("benchmark interrupted", e);
        }
    }
}
