package io.respin.perf.client;

import io.respin.client.RedisClient;
import io.respin.client.async.RedisPipeline;
import io.respin.engine.command.Codec;
import io.respin.engine.command.Commands;
import io.respin.io.IoSettings;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * respin's explicit pipeline ({@code RedisPipeline}: held until {@code awaitAll()}, then sent with one wake-up), the
 * counterpart of {@code jedis-pipelined}.
 *
 * <pre>{@code
 * try (var c = new RespinPipelinedClient("redis://127.0.0.1:6390")) {
 *     var p = c.pipeline(); int slot = p.get(key); p.sync(); byte[] v = p.value(slot);
 * }
 * }</pre>
 */
public final class RespinPipelinedClient extends BatchPipeline<CompletableFuture<byte[]>> {
    private final RedisClient client;
    private final RedisPipeline<byte[], byte[]> pipeline;

    public RespinPipelinedClient(String uri) {
        this.client = RedisClient.builder(uri).backpressure(IoSettings.Backpressure.WAIT_UNTIL_DEADLINE).build();
        this.pipeline = new RedisPipeline<>(client.endpoint()::submitAll, new Commands<>(Codec.bytes()));
    }

    @Override
    public String name() {
        return "respin-pipelined";
    }

    @Override
    protected CompletableFuture<byte[]> queueGet(byte[] key) {
        return pipeline.get(key);
    }

    @Override
    protected void queueSet(byte[] key, byte[] value) {
        pipeline.set(key, value);
    }

    @Override
    protected void queueSetex(byte[] key, long seconds, byte[] value) {
        pipeline.setex(key, Duration.ofSeconds(seconds), value);
    }

    @Override
    protected void send() {
        pipeline.awaitAll();
    }

    @Override
    protected byte[] valueOf(CompletableFuture<byte[]> result) {
        return result.join();
    }

    @Override
    public void close() {
        client.close();
    }
}
