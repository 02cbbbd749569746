package io.respin.perf;

import io.respin.RedisException;
import io.respin.engine.connection.CommandKind;
import io.respin.engine.resp.RespHandler;
import io.respin.engine.resp.RespType;
import io.respin.engine.resp.RespWriter;
import io.respin.io.AsyncCommand;
import io.respin.io.IoRuntime;
import io.respin.io.IoSettings;
import io.respin.io.RedisEndpoint;
import io.respin.io.SyncCommand;
import io.respin.testkit.RedisServer;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * Where the time of one command goes, hand-off by hand-off: one caller sends GETs at a fixed rate through the raw IO
 * layer and stamps each command at submit, when the IO thread ended it ({@code IoCommand.endedNanos()}: reply read
 * and decoded), when its callback started, and when the caller was running again. Each way of waiting respin
 * offers is measured in the same run, so the hop it saves shows as a segment that is gone.
 *
 * <pre>
 *   java -cp perf/target/respin-perf.jar io.respin.perf.Handoffs [--rate 10000] [--seconds 5] [--uri redis://...]
 *       [--modes sync,async-callback]
 * </pre>
 *
 * <p>Modes: {@code sync} (SyncCommand.await: the caller reads its own reply when it can, else the IO thread wakes it);
 * {@code async-join} (the caller joins; the IO thread hands the outcome to it: {@code awaitHere});
 * {@code async-join-via-completion-thread} (what a join cost before: completion thread, then the caller);
 * {@code async-callback} (open loop, the callback on the completion thread — where a service's {@code whenComplete}
 * runs).
 */
public final class Handoffs {
    private static final byte[] KEY = "handoffs:k".getBytes(StandardCharsets.UTF_8);

    private Handoffs() {
    }

    /** The modes, in the order they run. */
    static final List<String> MODES = List.of("sync", "async-join", "async-join-via-completion-thread",
            "async-callback");

    public static void main(String[] args) {
        int rate = 10_000;
        int seconds = 5;
        String uri = null;
        List<String> modes = MODES;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rate" -> rate = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--uri" -> uri = args[++i];
                case "--modes" -> modes = List.of(args[++i].split(","));
                default -> {
                    System.err.println("usage: Handoffs [--rate N] [--seconds S] [--uri redis://host:port] [--modes a,b]");
                    System.exit(2);
                }
            }
        }
        RedisServer server = uri == null ? RedisServer.builder().start() : null;
        String target = uri != null ? uri : server.uri();
        try (IoRuntime io = IoRuntime.start(IoSettings.defaults());
             RedisEndpoint redis = io.connect(target)) {
            Set set = new Set();
            redis.submit(set);
            set.await();
            System.out.printf(Locale.ROOT, "one caller, GET at %,d/s for %d s per mode, %s, %d cores%n%n", rate, seconds,
                    target, Runtime.getRuntime().availableProcessors());
            System.out.printf(Locale.ROOT, "%-36s %-44s %9s %9s %9s%n", "mode", "segment", "p50 us", "p90 us",
                    "p99 us");
            for (String mode : modes) {
                run(mode, redis, rate, rate); // warm-up: JIT
                Segments s = run(mode, redis, rate, (long) rate * seconds);
                s.print(mode);
            }
        } finally {
            if (server != null) {
                server.close();
            }
        }
    }

    /** The segments of one mode: submit → ended → callback → caller running again. */
    static final class Segments {
        final Histogram out = new Histogram(60_000_000_000L, 3);
        final Histogram toCallback = new Histogram(60_000_000_000L, 3);
        final Histogram toCaller = new Histogram(60_000_000_000L, 3);
        final Histogram total = new Histogram(60_000_000_000L, 3);

        /** Commands whose stamps were not in order submit <= ended <= callback <= resumed (none expected). */
        long disordered;

        void record(long submitted, long ended, long callback, long resumed) {
            if (submitted <= 0 || ended < submitted || (callback > 0 && callback < ended)
                    || (resumed > 0 && resumed < Math.max(ended, callback))) {
                disordered++;
            }
            out.recordValue(Math.max(0, ended - submitted));
            if (callback > 0) {
                toCallback.recordValue(Math.max(0, callback - ended));
            }
            if (resumed > 0) {
                toCaller.recordValue(Math.max(0, resumed - (callback > 0 ? callback : ended)));
            }
            total.recordValue(Math.max(0, (resumed > 0 ? resumed : callback) - submitted));
        }

        void print(String mode) {
            line(mode, "submit -> IO thread ended it (out and back)", out);
            line("", "ended -> callback starts", toCallback);
            line("", "callback (or end) -> caller running again", toCaller);
            line("", "total", total);
            System.out.println();
        }

        private static void line(String mode, String segment, Histogram h) {
            if (h.getTotalCount() == 0) {
                System.out.printf(Locale.ROOT, "%-36s %-44s %9s %9s %9s%n", mode, segment, "-", "-", "-");
                return;
            }
            System.out.printf(Locale.ROOT, "%-36s %-44s %9.1f %9.1f %9.1f%n", mode, segment,
                    h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(90) / 1000.0,
                    h.getValueAtPercentile(99) / 1000.0);
        }
    }

    /** Runs {@code n} GETs at {@code rate} per second in {@code mode}; returns their segments. */
    static Segments run(String mode, RedisEndpoint redis, int rate, long n) {
        Segments s = new Segments();
        long interval = 1_000_000_000L / rate;
        long start = System.nanoTime();
        switch (mode) {
            case "sync" -> {
                SyncGet get = new SyncGet();
                for (long i = 0; i < n; i++) {
                    pace(start + i * interval);
                    redis.submit(get);
                    get.await();
                    long resumed = System.nanoTime();
                    s.record(get.submittedNanos(), get.endedNanos(), 0, resumed);
                }
            }
            case "async-join", "async-join-via-completion-thread" -> {
                boolean here = mode.equals("async-join");
                AsyncGet get = new AsyncGet();
                for (long i = 0; i < n; i++) {
                    pace(start + i * interval);
                    get.reset();
                    redis.submit(get);
                    if (!here || !get.awaitHere(Long.MAX_VALUE, false)) {
                        get.future.join();
                    }
                    long resumed = System.nanoTime();
                    s.record(get.submittedNanos(), get.endedNanos(), get.callbackNanos, resumed);
                }
            }
            case "async-callback" -> {
                // open loop: a ring of commands, each reused once its callback has recorded it
                List<AsyncGet> ring = new ArrayList<>();
                for (int i = 0; i < 1024; i++) {
                    ring.add(new AsyncGet());
                }
                for (long i = 0; i < n; i++) {
                    pace(start + i * interval);
                    AsyncGet get = ring.get((int) (i % ring.size()));
                    get.future.join(); // the previous use of this slot is over (1024 intervals ago)
                    if (get.recorded) {
                        s.record(get.submittedNanos(), get.endedNanos(), get.callbackNanos, 0);
                    }
                    get.reset();
                    redis.submit(get);
                }
                for (AsyncGet get : ring) {
                    get.future.join();
                    if (get.recorded) {
                        s.record(get.submittedNanos(), get.endedNanos(), get.callbackNanos, 0);
                    }
                }
            }
            default -> throw new IllegalArgumentException(mode);
        }
        return s;
    }

    private static void pace(long due) {
        long wait;
        while ((wait = due - System.nanoTime()) > 0) {
            if (wait > 50_000) {
                LockSupport.parkNanos(wait - 20_000);
            } else {
                Thread.onSpinWait();
            }
        }
    }

    /** GET that reads the bulk's length only: the breakdown is about hand-offs, not decoding. */
    private static final class GetReply extends RespHandler.Adapter {
        long length;

        @Override public void onString(RespType type, MemorySegment data, long offset, long len) {
            length = len;
        }

        @Override public void onStringStart(RespType type, long totalLength) {
            length = totalLength;
        }

        @Override public void onNull() {
            length = -1;
        }
    }

    private static final class SyncGet extends SyncCommand {
        private final GetReply reply = new GetReply();

        @Override public void encode(RespWriter w) { w.array(2).arg("GET").arg(KEY); }
        @Override public RespHandler replyHandler() { return reply; }
        @Override public CommandKind kind() { return CommandKind.PLAIN; }
        @Override public String name() { return "GET"; }
    }

    private static final class AsyncGet extends AsyncCommand {
        private final GetReply reply = new GetReply();
        CompletableFuture<Long> future = CompletableFuture.completedFuture(0L);
        long callbackNanos;
        boolean recorded;

        void reset() {
            future = new CompletableFuture<>();
            callbackNanos = 0;
            recorded = false;
        }

        @Override public void encode(RespWriter w) { w.array(2).arg("GET").arg(KEY); }
        @Override public RespHandler replyHandler() { return reply; }
        @Override public CommandKind kind() { return CommandKind.PLAIN; }
        @Override public String name() { return "GET"; }

        @Override protected void onCompleted() {
            callbackNanos = System.nanoTime();
            recorded = true;
            future.complete(reply.length);
        }

        @Override protected void onFailed(RedisException e) {
            callbackNanos = System.nanoTime();
            future.completeExceptionally(e);
        }
    }

    private static final class Set extends SyncCommand {
        private final RespHandler ignore = new RespHandler.Adapter();

        @Override public void encode(RespWriter w) { w.array(3).arg("SET").arg(KEY).arg("v".repeat(16)); }
        @Override public RespHandler replyHandler() { return ignore; }
        @Override public CommandKind kind() { return CommandKind.PLAIN; }
        @Override public String name() { return "SET"; }
    }
}
