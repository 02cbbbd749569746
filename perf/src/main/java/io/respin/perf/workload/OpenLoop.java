package io.respin.perf.workload;

import io.respin.perf.client.AsyncBenchClient;
import io.respin.perf.client.BenchClient;
import io.respin.perf.client.SyncBenchClient;
import io.respin.perf.measure.Cost;
import io.respin.perf.measure.Latencies;
import io.respin.perf.measure.LatencySummary;
import io.respin.perf.measure.RunResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

/**
 * An open loop: commands are due at a fixed rate whatever the client does, and each latency is measured from the
 * time the command was <em>due</em>, not from when it was actually sent. A client that stalls delays every command
 * due during the stall; those delays are counted (coordinated-omission correction). The latency from the actual
 * send is recorded too ("uncorrected"), to show what a closed-loop tool would have reported.
 *
 * <pre>
 *   due:   |----|----|----|----|----|----|     command i is due at start + i / rate
 *   sent:  |----|----|------------|-|-|--|     a stall delays sends; corrected latency = reply - due
 * </pre>
 *
 * Async clients: one sender thread starts each command when due; callbacks record. Sync clients: {@code T} caller
 * threads share the schedule (thread j sends commands j, j+T, …), each blocking on its command, so a thread that is
 * late sends late and the lateness is counted. Pipelined clients have no open-loop form.
 */
final class OpenLoop {
    private static final int RING = 1 << 16;

    private OpenLoop() {
    }

    /** Runs at {@code rate} commands per second; null when the client's shape has no open-loop form. */
    static RunResult run(String workload, BenchClient client, Operation op, double rate, RunContext ctx) {
        if (!(rate > 0)) {
            throw new IllegalArgumentException("open-loop rate must be > 0, got " + rate);
        }
        return switch (client) {
            case AsyncBenchClient async -> async(workload, async, op, rate, ctx);
            case SyncBenchClient sync -> sync(workload, sync, op, rate, ctx, Loops.threadFactory(sync));
            default -> null;
        };
    }

    /** The schedule: command i is due {@code i / rate} seconds after {@code start}. */
    record Schedule(long start, double rate, long warmupNanos, long measureNanos) {
        long due(long i) {
            return start + (long) (i * 1e9 / rate);
        }

        boolean measured(long due) {
            return due >= start + warmupNanos;
        }

        boolean over(long due) {
            return due >= start + warmupNanos + measureNanos;
        }

        long measureStart() {
            return start + warmupNanos;
        }
    }

    static RunResult sync(String workload, SyncBenchClient client, Operation op, double rate, RunContext ctx,
                          ThreadFactory threads) {
        Clock clock = ctx.clock();
        Recording rec = new Recording();
        int t = ctx.callerThreads();
        Schedule schedule = new Schedule(clock.nanoTime() + 1_000_000, rate, ctx.warmupNanos(), ctx.measureNanos());
        AtomicLong lastReply = new AtomicLong(schedule.measureStart());
        List<Thread> callers = new ArrayList<>(t);
        for (int j = 0; j < t; j++) {
            int thread = j;
            callers.add(threads.newThread(() -> {
                for (long i = thread; ; i += t) {
                    long due = schedule.due(i);
                    if (schedule.over(due)) {
                        return;
                    }
                    clock.sleepUntil(due);
                    long sent = clock.nanoTime();
                    Object reply;
                    try {
                        reply = op.call(client, i);
                    } catch (RuntimeException e) {
                        rec.error(i, e);
                        continue;
                    }
                    long now = clock.nanoTime();
                    if (schedule.measured(due)) {
                        rec.latency.record(now - due);
                        rec.uncorrected.record(now - sent);
                        lastReply.accumulateAndGet(now, Math::max);
                    }
                    if (!op.accept(i, reply)) {
                        rec.error(i, reply);
                    }
                }
            }));
        }
        Cost before = Cost.now();
        callers.forEach(Thread::start);
        for (Thread c : callers) {
            try {
                c.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("benchmark interrupted", e);
            }
        }
        // the cost covers warm-up too for sync callers (each thread crosses into the window on its own); scale it
        Cost all = Cost.now().minus(before);
        double share = (double) ctx.measureNanos() / Math.max(1, ctx.warmupNanos() + ctx.measureNanos());
        long elapsed = Math.max(ctx.measureNanos(), lastReply.get() - schedule.measureStart());
        Cost cost = new Cost((long) (all.allocatedBytes() * share), (long) (all.cpuNanos() * share), elapsed);
        return result(workload, client.name(), rec, cost, op, rate, null);
    }

    private static RunResult async(String workload, AsyncBenchClient client, Operation op, double rate,
                                   RunContext ctx) {
        Clock clock = ctx.clock();
        Recording rec = new Recording();
        Latencies lag = new Latencies();
        AtomicInteger outstanding = new AtomicInteger();
        AtomicLong lastReply = new AtomicLong();
        Request[] ring = new Request[RING];
        for (int r = 0; r < RING; r++) {
            ring[r] = new Request(op, rec, clock, outstanding, lastReply);
        }
        Schedule schedule = new Schedule(clock.nanoTime() + 1_000_000, rate, ctx.warmupNanos(), ctx.measureNanos());
        Cost before = null;
        for (long i = 0; ; i++) {
            long due = schedule.due(i);
            if (schedule.over(due)) {
                break;
            }
            boolean measured = schedule.measured(due);
            if (measured && before == null) {
                before = Cost.now();
            }
            clock.sleepUntil(due);
            int slot = (int) (i & (RING - 1));
            Request request = ring[slot];
            if (request.busy) {
                request = awaitSlot(ring, slot, i, rec, clock, outstanding, lastReply, op);
            }
            long sent = clock.nanoTime();
            if (measured) {
                lag.record(sent - due);
            }
            request.arm(i, due, sent, measured);
            outstanding.incrementAndGet();
            try {
                op.start(client, i).whenComplete(request);
            } catch (RuntimeException e) {
                request.accept(null, e);
            }
        }
        long drainDeadline = clock.nanoTime() + 30_000_000_000L;
        while (outstanding.get() > 0 && clock.nanoTime() < drainDeadline) {
            Recording.sleep(100_000);
        }
        if (before == null) {
            before = Cost.now();
        }
        Cost spent = Cost.now().minus(before);
        long elapsed = Math.max(ctx.measureNanos(), lastReply.get() - schedule.measureStart());
        Cost cost = new Cost(spent.allocatedBytes(), spent.cpuNanos(), elapsed);
        String note = outstanding.get() > 0 ? outstanding.get() + " commands never completed" : null;
        if (note == null) {
            note = String.format(Locale.ROOT, "sender lag p99 %.0f us",
                    LatencySummary.of(lag.histogram()).p99());
        }
        return result(workload, client.name(), rec, cost, op, rate, note);
    }

    /**
     * 65,536 commands outstanding: the client is hopelessly behind. Wait for the slot's command (the lateness is
     * counted, since latency is from the due time); one that never completes within 30 s is given up as an error and
     * its slot gets a fresh request, so that a lost reply cannot hang the harness.
     */
    private static Request awaitSlot(Request[] ring, int slot, long i, Recording rec, Clock clock,
                                     AtomicInteger outstanding, AtomicLong lastReply, Operation op) {
        long giveUp = System.nanoTime() + 30_000_000_000L;
        while (ring[slot].busy) {
            if (System.nanoTime() > giveUp) {
                rec.error(i - RING, "no reply within 30 s");
                ring[slot] = new Request(op, rec, clock, outstanding, lastReply);
                break;
            }
            Thread.onSpinWait();
        }
        return ring[slot];
    }

    private static RunResult result(String workload, String client, Recording rec, Cost cost, Operation op,
                                    double rate, String note) {
        long ops = rec.latency.count();
        String rateNote = String.format(Locale.ROOT, "rate %,.0f/s", rate);
        String all = rec.firstError() != null ? rec.firstError() : note == null ? rateNote : rateNote + "; " + note;
        return RunResult.measured(workload, client, ops, rec.errors(), cost, rec.latency.histogram(),
                rec.uncorrected.histogram(), ops * op.payloadBytes(), all);
    }

    /** One command in flight in the async open loop; reused from a ring so that sending allocates nothing. */
    private static final class Request implements BiConsumer<Object, Throwable> {
        private final Operation op;
        private final Recording rec;
        private final Clock clock;
        private final AtomicInteger outstanding;
        private final AtomicLong lastReply;
        volatile boolean busy;
        private long i;
        private long due;
        private long sent;
        private boolean measured;

        Request(Operation op, Recording rec, Clock clock, AtomicInteger outstanding, AtomicLong lastReply) {
            this.op = op;
            this.rec = rec;
            this.clock = clock;
            this.outstanding = outstanding;
            this.lastReply = lastReply;
        }

        void arm(long i, long due, long sent, boolean measured) {
            this.i = i;
            this.due = due;
            this.sent = sent;
            this.measured = measured;
            this.busy = true; // volatile write publishes the fields above to the completing thread
        }

        @Override
        public void accept(Object reply, Throwable failure) {
            long now = clock.nanoTime();
            if (measured) {
                rec.latency.record(now - due);
                rec.uncorrected.record(now - sent);
                lastReply.accumulateAndGet(now, Math::max);
            }
            if (failure != null) {
                rec.error(i, failure);
            } else if (!op.accept(i, reply)) {
                rec.error(i, reply);
            }
            busy = false;
            outstanding.decrementAndGet();
        }
    }
}
