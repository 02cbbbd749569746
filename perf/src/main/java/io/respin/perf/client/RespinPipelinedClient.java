package io.respin.perf.client;

import io.respin.client.RedisClient;
import io.respin.client.async.RedisPipeline;
import io.respin.engine.command.Codec;
import io.respin.engine.command.Commands;
import io.respin.io.IoSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
public final class RespinPipelinedClient implements PipelinedBenchClient, PipelinedBenchClient.Pipeline {
    private final RedisClient client;
    private final RedisPipeline<byte[], byte[]> pipeline;
    private final List<CompletableFuture<byte[]>> values = new ArrayList<>();
    private boolean synced;

    public RespinPipelinedClient(String uri) {
        this.client = RedisClient.builder(uri).backpressure(IoSettings.Backpressure.WAIT_UNTIL_DEADLINE).build();
        this.pipeline = new RedisPipeline<>(client.endpoint()::submitAll, new Commands<>(Codec.bytes()));
    }

    @Override
    public String name() {
        return "respin-pipelined";
    }

    @Override
    public PipelinedBenchClient.Pipeline pipeline() {
        return this;
    }

    @Override
    public int get(byte[] key) {
        startBatch();
        values.add(pipeline.get(key));
        return values.size() - 1;
    }

    @Override
    public void set(byte[] key, byte[] value) {
        startBatch();
        pipeline.set(key, value);
    }

    @Override
    public void setex(byte[] key, long seconds, byte[] value) {
        startBatch();
        pipeline.setex(key, Duration.ofSeconds(seconds), value);
    }

    @Override
    public void sync() {
        pipeline.awaitAll();
        synced = true;
    }

    @Override
    public byte[] value(int slot) {
        return values.get(slot).join();
    }

    private void startBatch() {
        if (synced) {
            values.clear();
            synced = false;
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
