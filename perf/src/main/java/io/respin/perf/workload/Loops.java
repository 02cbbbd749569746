package io.respin.perf.workload;

import io.respin.perf.client.AsyncBenchClient;
import io.respin.perf.client.BenchClient;
import io.respin.perf.client.PipelinedBenchClient;
import io.respin.perf.client.SyncBenchClient;
import io.respin.perf.measure.Cost;
import io.respin.perf.measure.RunResult;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/**
 * Closed loops: each of K "slots" sends its next command as soon as its previous one completed, for a warm-up and
 * then a measured window. How a slot is realised depends on the client's shape:
 *
 * <pre>
 *   async      one caller thread starts K chains; each completion callback sends the slot's next command
 *   sync       K caller threads, each blocking on its command
 *   pipelined  one caller sends batches of K and waits for the whole batch (each op's latency = the batch's)
 * </pre>
 *
 * {@link #callers} is the other closed loop: T threads each waiting for its command to complete, whatever the
 * client's shape (an async client's stage is joined), i.e. the blocking usage of an async client.
 */
final class Loops {
    private static final long DRAIN_SECONDS = 30;

    private Loops() {
    }

    /** K outstanding commands on the client. */
    static RunResult closed(String workload, BenchClient client, Operation op, int k, RunContext ctx) {
        return switch (client) {
            case AsyncBenchClient async -> chains(workload, async, op, k, ctx);
            case SyncBenchClient sync -> threads(workload, sync.name(), k, threadFactory(sync), ctx, op,
                    (t, i) -> op.call(sync, i));
            case PipelinedBenchClient pipelined -> batches(workload, pipelined, op, k, ctx);
            default -> throw new IllegalArgumentException("unknown client shape: " + client.getClass());
        };
    }

    /** T caller threads, each waiting for its own command. Not applicable (null) to a pipelined client with T > 1. */
    static RunResult callers(String workload, BenchClient client, Operation op, int t, RunContext ctx) {
        return switch (client) {
            case AsyncBenchClient async -> threads(workload, async.name(), t, platformThreads(async.name()), ctx, op,
                    (thread, i) -> op.start(async, i).toCompletableFuture().join());
            case SyncBenchClient sync -> threads(workload, sync.name(), t, threadFactory(sync), ctx, op,
                    (thread, i) -> op.call(sync, i));
            case PipelinedBenchClient pipelined -> t == 1 ? batches(workload, pipelined, op, 1, ctx) : null;
            default -> throw new IllegalArgumentException("unknown client shape: " + client.getClass());
        };
    }

    static ThreadFactory threadFactory(SyncBenchClient client) {
        return client.virtualCallers()
                ? Thread.ofVirtual().name(client.name() + "-caller-", 0).factory()
                : platformThreads(client.name());
    }

    private static ThreadFactory platformThreads(String name) {
        return Thread.ofPlatform().daemon().name(name + "-caller-", 0).factory();
    }

    /** A blocking call made by caller thread {@code thread} for operation {@code i}; returns the reply. */
    @FunctionalInterface
    interface BlockingCall {
        Object call(int thread, long i);
    }

    private static RunResult threads(String workload, String name, int count, ThreadFactory factory, RunContext ctx,
                                     Operation op, BlockingCall call) {
        Recording rec = new Recording();
        List<Thread> threads = new ArrayList<>(count);
        for (int t = 0; t < count; t++) {
            int thread = t;
            threads.add(factory.newThread(() -> {
                // thread t sends operations t, t+count, t+2*count...: distinct keys without a shared counter
                for (long i = thread; !rec.stopped(); i += count) {
                    long start = System.nanoTime();
                    Object reply;
                    try {
                        reply = call.call(thread, i);
                    } catch (RuntimeException e) {
                        rec.error(i, e);
                        continue;
                    }
                    long end = System.nanoTime();
                    if (rec.measuring()) {
                        rec.latency.record(end - start);
                    }
                    if (!op.accept(i, reply)) {
                        rec.error(i, reply);
                    }
                }
            }));
        }
        threads.forEach(Thread::start);
        Cost cost = rec.runPhases(ctx.warmupNanos(), ctx.measureNanos());
        String hung = join(threads);
        return result(workload, name, rec, cost, op, hung);
    }

    private static String join(List<Thread> threads) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(DRAIN_SECONDS);
        int stuck = 0;
        for (Thread t : threads) {
            try {
                if (!t.join(java.time.Duration.ofNanos(Math.max(1, deadline - System.nanoTime())))) {
                    stuck++;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("benchmark interrupted", e);
            }
        }
        return stuck == 0 ? null : stuck + " caller threads still blocked " + DRAIN_SECONDS + " s after the end";
    }

    private static RunResult chains(String workload, AsyncBenchClient client, Operation op, int k, RunContext ctx) {
        Recording rec = new Recording();
        CountDownLatch finished = new CountDownLatch(k);
        BlockingQueue<Chain> ready = new ArrayBlockingQueue<>(k);
        for (int s = 0; s < k; s++) {
            ready.add(new Chain(client, op, rec, finished, ready, s, k));
        }
        // the caller: starts the chains and runs any a client completed inline too often (see Chain); never the
        // thread that drives the phases, so a client that completes everything inline cannot keep the run going
        Thread caller = platformThreads(client.name()).newThread(() -> {
            try {
                while (finished.getCount() > 0) {
                    Chain c = ready.poll(10, TimeUnit.MILLISECONDS);
                    if (c != null) {
                        c.fire();
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        caller.start();
        Cost cost = rec.runPhases(ctx.warmupNanos(), ctx.measureNanos());
        String hung = null;
        try {
            if (!finished.await(DRAIN_SECONDS, TimeUnit.SECONDS)) {
                hung = finished.getCount() + " commands still outstanding " + DRAIN_SECONDS + " s after the end";
                caller.interrupt();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("benchmark interrupted", e);
        }
        return result(workload, client.name(), rec, cost, op, hung);
    }

    /**
     * One slot of an async closed loop: it is its own completion callback, so a chain allocates nothing of its own
     * per command, and its next command is sent from the callback of the previous one. A stage that is already
     * complete runs the callback inside {@code whenComplete}; the state below turns that recursion into a loop in
     * {@link #fire()} so a fast client cannot overflow the stack, and after {@link #MAX_INLINE} inline completions in
     * a row the chain goes back to the caller's queue so that the other chains get their turn.
     */
    private static final class Chain implements BiConsumer<Object, Throwable> {
        private static final int FIRING = 0;       // fire() is sending; the reply has not been seen
        private static final int DONE_INLINE = 1;  // the reply came while fire() was still on the stack
        private static final int OUTSTANDING = 2;  // fire() returned; the callback sends the next command
        private static final int MAX_INLINE = 64;

        private final AsyncBenchClient client;
        private final Operation op;
        private final Recording rec;
        private final CountDownLatch finished;
        private final BlockingQueue<Chain> ready;
        private final int stride;
        private final AtomicInteger state = new AtomicInteger();
        private long i;
        private long start;

        Chain(AsyncBenchClient client, Operation op, Recording rec, CountDownLatch finished, BlockingQueue<Chain> ready,
              int slot, int stride) {
            this.client = client;
            this.op = op;
            this.rec = rec;
            this.finished = finished;
            this.ready = ready;
            this.stride = stride;
            this.i = slot - stride;
        }

        void fire() {
            int inline = 0;
            do {
                if (rec.stopped()) {
                    finished.countDown();
                    return;
                }
                if (inline++ == MAX_INLINE) {
                    ready.add(this); // at most once in the queue: it holds K
                    return;
                }
                state.set(FIRING);
                i += stride;
                start = System.nanoTime();
                try {
                    op.start(client, i).whenComplete(this);
                } catch (RuntimeException e) {
                    rec.error(i, e);
                    state.set(DONE_INLINE);
                }
            } while (!state.compareAndSet(FIRING, OUTSTANDING));
        }

        @Override
        public void accept(Object reply, Throwable failure) {
            long end = System.nanoTime();
            if (rec.measuring()) {
                rec.latency.record(end - start);
            }
            if (failure != null) {
                rec.error(i, failure);
            } else if (!op.accept(i, reply)) {
                rec.error(i, reply);
            }
            if (!state.compareAndSet(FIRING, DONE_INLINE)) {
                fire();
            }
        }
    }

    private static RunResult batches(String workload, PipelinedBenchClient client, Operation op, int k,
                                     RunContext ctx) {
        Recording rec = new Recording();
        PipelinedBenchClient.Pipeline pipeline = client.pipeline();
        int[] slots = new int[k];
        Thread caller = platformThreads(client.name()).newThread(() -> {
            for (long base = 0; !rec.stopped(); base += k) {
                long start = System.nanoTime();
                try {
                    for (int j = 0; j < k; j++) {
                        slots[j] = op.queue(pipeline, base + j);
                    }
                    pipeline.sync();
                } catch (RuntimeException e) {
                    rec.error(base, e);
                    continue;
                }
                long end = System.nanoTime();
                for (int j = 0; j < k; j++) {
                    if (rec.measuring()) {
                        rec.latency.record(end - start);
                    }
                    Object reply = slots[j] < 0 ? null : pipeline.value(slots[j]);
                    if (!op.accept(base + j, reply)) {
                        rec.error(base + j, reply);
                    }
                }
            }
        });
        caller.start();
        Cost cost = rec.runPhases(ctx.warmupNanos(), ctx.measureNanos());
        String hung = join(List.of(caller));
        return result(workload, client.name(), rec, cost, op, hung);
    }

    static RunResult result(String workload, String client, Recording rec, Cost cost, Operation op, String hung) {
        long ops = rec.latency.count();
        String note = hung != null ? hung : rec.firstError();
        return RunResult.measured(workload, client, ops, rec.errors(), cost, rec.latency.histogram(), null,
                ops * op.payloadBytes(), note);
    }
}
