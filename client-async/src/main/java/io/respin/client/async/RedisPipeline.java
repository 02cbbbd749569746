package io.respin.client.async;

import io.respin.engine.command.Command;
import io.respin.engine.command.Commands;
import io.respin.io.IoCommand;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * An explicit batch: queue many commands (each returns its future at once), then wait for all of them. Commands
 * are sent as they are queued, pipelined with everything else; the batch only decides when you wait. Not
 * thread-safe: one thread builds one batch.
 *
 * <pre>{@code
 * RedisPipeline<String, String> p = client.pipeline();
 * CompletableFuture<Long> n = p.incr("hits");
 * CompletableFuture<String> v = p.get("k");
 * p.awaitAll();                      // every future is done now
 * long hits = n.join();
 * }</pre>
 */
public final class RedisPipeline<K, V> extends RedisAsyncCommands<K, V> {
    private final List<CompletableFuture<?>> queued = new ArrayList<>();

    public RedisPipeline(Consumer<IoCommand> target, Commands<K, V> commands) {
        super(target, commands);
    }

    @Override
    public <T> CompletableFuture<T> submit(Command<T> command) {
        CompletableFuture<T> f = super.submit(command);
        queued.add(f);
        return f;
    }

    /** How many commands have been queued since the last {@link #awaitAll()}. */
    public int size() {
        return queued.size();
    }

    /** Takes the batch as it is now (the futures queued so far, in order) and starts a new one. */
    List<CompletableFuture<?>> take() {
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
     * Waits until every queued command has ended (replied or failed) and returns their outcomes in order: each
     * element is the command's value or the exception it failed with. The batch is empty afterwards.
     */
    public List<Object> awaitAll() {
        return outcomes(take());
    }
}
