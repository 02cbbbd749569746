package io.respin.perf.client;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Response;

/**
 * One Jedis connection used through {@code Jedis#pipelined()}: the way a Jedis user keeps many commands outstanding.
 *
 * <pre>{@code
 * try (var c = new JedisPipelinedClient("redis://127.0.0.1:6390")) {
 *     var p = c.pipeline(); int slot = p.get(key); p.sync(); byte[] v = p.value(slot);
 * }
 * }</pre>
 */
public final class JedisPipelinedClient implements PipelinedBenchClient, PipelinedBenchClient.Pipeline {
    private final Jedis jedis;
    private final redis.clients.jedis.Pipeline pipeline;
    private final List<Response<byte[]>> values = new ArrayList<>();
    private boolean synced;

    public JedisPipelinedClient(String uri) {
        this.jedis = new Jedis(URI.create(uri));
        this.pipeline = jedis.pipelined();
    }

    @Override
    public String name() {
        return "jedis-pipelined";
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
    @SuppressWarnings("deprecation") // SETEX is what the seed workload sends; SET … EX would be a different command
    public void setex(byte[] key, long seconds, byte[] value) {
        startBatch();
        pipeline.setex(key, seconds, value);
    }

    @Override
    public void sync() {
        pipeline.sync();
        synced = true;
    }

    @Override
    public byte[] value(int slot) {
        return values.get(slot).get();
    }

    private void startBatch() {
        if (synced) {
            values.clear();
            synced = false;
        }
    }

    @Override
    public void close() {
        pipeline.close();
        jedis.close();
    }
}
