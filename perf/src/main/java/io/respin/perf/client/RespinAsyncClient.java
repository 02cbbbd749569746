package io.respin.perf.client;

import io.respin.client.RedisClient;
import io.respin.client.async.RedisAsyncCommands;
import io.respin.engine.command.Codec;
import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * respin's future-based API on its one auto-pipelined connection, with {@code byte[]} keys and values.
 *
 * <pre>{@code
 * try (var c = new RespinAsyncClient("redis://127.0.0.1:6390")) { c.get(key).toCompletableFuture().join(); }
 * }</pre>
 */
public final class RespinAsyncClient implements AsyncBenchClient {
    private final RedisClient client;
    private final RedisAsyncCommands<byte[], byte[]> commands;
    private volatile Duration ttl = Duration.ofSeconds(3600);

    public RespinAsyncClient(String uri) {
        this.client = RespinConnection.open(uri);
        this.commands = client.async(Codec.bytes());
    }

    @Override
    public String name() {
        return "respin-async";
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
    public CompletionStage<?> setex(byte[] key, long seconds, byte[] value) {
        Duration d = RespinConnection.seconds(seconds, ttl);
        ttl = d;
        return commands.setex(key, d, value);
    }

    @Override
    public void close() {
        client.close();
    }
}
