package io.respin.client.async;

import io.respin.client.async.cluster.ClusterBatch;
import io.respin.client.async.cluster.ClusterCall;
import io.respin.client.async.cluster.ClusterRouter;
import io.respin.engine.command.Command;
import io.respin.engine.command.Commands;
import io.respin.io.Gather;
import io.respin.io.IoCommand;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * An explicit batch: queue many commands (each returns its future at once); they are held until {@link #flush()} or
 * {@link #awaitAll()} sends them all with one wake-up of the IO layer, in one write — as Jedis' {@code pipelined()}
 * and Lettuce's {@code setAutoFlushCommands(false)} do. {@code awaitAll()} then waits for all of them, and completes
 * their futures on the calling thread (so a callback attached to one of them runs there, before awaitAll returns);
 * after {@code flush()} alone they complete on the runtime's completion thread, as other async commands do. A future of a
 * command not flushed yet never completes. Not thread-safe: one thread builds one batch.
 *
 * <p>On a Redis Cluster client, a flush routes every command to its slot's owner and hands each node its share in
 * one batch ({@link ClusterBatch}); a command answered with MOVED or ASK is sent on to the node named, and
 * {@code awaitAll()} still returns the outcomes in the order they were queued. Its futures then complete on the
 * completion thread.
 *
 * <pre>{@code
 * RedisPipeline<String, String> p = client.pipeline();
 * CompletableFuture<Long> n = p.incr("hits");
 * CompletableFuture<String> v = p.get("k");
 * p.awaitAll();                      // sends both in one write; every future is done now
 * long hits = n.join();
 * }</pre>
 */
public final class RedisPipeline<K, V> extends RedisAsyncCommands<K, V> {
    private final List<CompletableFuture<?>> queued = new ArrayList<>();
    /** Queued and not flushed yet. */
    private final List<IoCommand> held = new ArrayList<>();
    private final Batch target;
    /** Null for one server; for a cluster client, routes each command by its slot. */
    private final ClusterRouter cluster;
    /** Null, or a check each command must pass when queued (a cluster transaction's slot); it throws to refuse. */
    private final java.util.function.Consumer<IoCommand> admit;
    /** The first command {@link #admit} refused since the last {@link #takeRefusal()}. */
    private io.respin.RedisException refusal;

    /** Where a flushed batch goes: {@code RedisEndpoint::submitAll} or {@code DedicatedConnection::submitAll}. */
    @FunctionalInterface
    public interface Batch {
        void submitAll(List<IoCommand> commands, BiConsumer<IoCommand, RuntimeException> refused);
    }

    public RedisPipeline(Batch target, Commands<K, V> commands) {
        this(target, commands, null);
    }

    /** A batch whose commands must each pass {@code admit} when queued (it throws a RedisException to refuse one). */
    RedisPipeline(Batch target, Commands<K, V> commands, java.util.function.Consumer<IoCommand> admit) {
        super(c -> target.submitAll(List.of(c), (x, e) -> {
            throw e;
        }), commands);
        this.target = target;
        this.cluster = null;
        this.admit = admit;
    }

    /** A pipeline over a Redis Cluster: each flush sends every node its commands in one batch. */
    RedisPipeline(ClusterRouter cluster, Commands<K, V> commands) {
        super(c -> {
            throw new IllegalStateException("a cluster pipeline routes each command itself");
        }, commands);
        this.target = null;
        this.cluster = cluster;
        this.admit = null;
    }

    /** A batch holds its commands: each is built fresh from the plain catalogue, never in a pooled call. */
    @Override
    protected Commands<K, V> catalogue() {
        return commands;
    }

    /** Holds {@code command} until the next {@link #flush()}; its future completes once it has run. */
    @Override
    public <T> CompletableFuture<T> submit(Command<T> command) {
        Objects.requireNonNull(command, "submit: command is null");
        command.requireDecodableOnAnyThread();
        if (cluster != null) {
            ClusterCall<T> call = new ClusterCall<>(cluster, command);
            held.add(call);
            queued.add(call.future());
            return call.future();
        }
        AsyncCall<T> call = new AsyncCall<>(command);
        if (admit != null) {
            try {
                admit.accept(call);
            } catch (io.respin.RedisException e) {
                refusal = refusal == null ? e : refusal;
                call.future.completeExceptionally(e);
                queued.add(call.future);
                return call.future;
            }
        }
        held.add(call);
        queued.add(call.future);
        return call.future;
    }

    /**
     * Sends what was queued since the last flush, all with one wake-up (one write when the IO layer is idle). A
     * command that cannot be sent (backpressure, a closed connection) fails its future with the reason.
     */
    public void flush() {
        if (held.isEmpty()) {
            return;
        }
        List<IoCommand> batch = List.copyOf(held);
        held.clear();
        if (cluster != null) {
            List<ClusterCall<?>> calls = new ArrayList<>(batch.size());
            for (IoCommand c : batch) {
                calls.add((ClusterCall<?>) c);
            }
            ClusterBatch.send(calls);
            return;
        }
        target.submitAll(batch, (c, e) -> ((AsyncCall<?>) c).future.completeExceptionally(e));
    }

    /**
     * Sends what is held and waits on this thread until it has all ended, completing each future here, in order (a
     * {@link Gather}): the replies' wait is one wake-up of this thread, and the completion thread is not involved.
     */
    private void flushAndGather() {
        List<IoCommand> batch = List.copyOf(held);
        held.clear();
        Gather gather = new Gather(batch.size());
        for (IoCommand c : batch) {
            ((AsyncCall<?>) c).gatherInto(gather);
        }
        target.submitAll(batch, (c, e) -> {
            ((AsyncCall<?>) c).future.completeExceptionally(e);
            gather.refused((AsyncCall<?>) c);
        });
        gather.await();
    }

    /**
     * The first command refused since the last call (null if none); when there is one, the held commands are dropped
     * unsent, their futures failed with it: a transaction then sends DISCARD instead of EXEC.
     */
    io.respin.RedisException takeRefusal() {
        io.respin.RedisException r = refusal;
        refusal = null;
        if (r != null) {
            for (IoCommand c : held) {
                ((AsyncCall<?>) c).future.completeExceptionally(r);
            }
            held.clear();
        }
        return r;
    }

    /** How many commands have been queued since the last {@link #awaitAll()}. */
    public int size() {
        return queued.size();
    }

    /** Flushes, then takes the batch as it is now (the futures queued so far, in order) and starts a new one. */
    List<CompletableFuture<?>> take() {
        flush();
        List<CompletableFuture<?>> batch = List.copyOf(queued);
        queued.clear();
        return batch;
    }

    /** The outcomes of a batch whose futures have all ended: each value, or the exception it failed with. */
    static List<Object> outcomes(List<CompletableFuture<?>> batch) {
        List<Object> out = new ArrayList<>(batch.size());
        for (CompletableFuture<?> f : batch) {
            try {
                out.add(f.join());
            } catch (RuntimeException e) {
                out.add(unwrap(e));
            }
        }
        return out;
    }

    /**
     * Flushes, waits until every queued command has ended (replied or failed) and returns their outcomes in order:
     * each element is the command's value or the exception it failed with. The batch is empty afterwards.
     */
    public List<Object> awaitAll() {
        if (cluster == null && held.size() == queued.size() && !held.isEmpty()) {
            // nothing flushed before: this thread runs the whole batch's completions itself
            flushAndGather();
        }
        return outcomes(take());
    }
}
