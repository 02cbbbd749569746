package io.respin.perf.client;

import io.lettuce.core.api.async.RedisAsyncCommands;
import java.util.concurrent.CompletionStage;

/**
 * Lettuce's async API on one shared connection: what a Lettuce user writes for throughput.
 *
 * <pre>{@code
 * try (var c = new LettuceAsyncClient("redis://127.0.0.1:6390")) { c.get(key).toCompletableFuture().join(); }
 * }</pre>
 */
public final class LettuceAsyncClient implements AsyncBenchClient {
    private final LettuceConnection lettuce;
    private final RedisAsyncCommands<byte[], byte[]> commands;

    public LettuceAsyncClient(String uri) {
        this.lettuce = new LettuceConnection(uri);
        this.commands = lettuce.connection.async();
    }

    @Override
    public String name() {
        return "lettuce-async";
    }

    @Override
    public CompletionStage<byte[]> get(byte[] key) {
        return commands.get(key);
    }

    @Override
    public CompletionStage<?> set(byte[] key, byte[] value) {
        return commands.set(key, value);
    }

    @Override
    @SuppressWarnings("deprecation") // SETEX is what the seed workload sends; SET … EX would be a different command
    public CompletionStage<?> setex(byte[] key, long seconds, byte[] value) {
        return commands.setex(key, seconds, value);
    }

    @Override
    public void close() {
        lettuce.close();
    }
}
