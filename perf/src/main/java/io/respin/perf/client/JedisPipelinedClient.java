package io.respin.perf.client;

import java.net.URI;
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
public final class JedisPipelinedClient extends BatchPipeline<Response<byte[]>> {
    private final Jedis jedis;
    private final redis.clients.jedis.Pipeline pipeline;

    public JedisPipelinedClient(String uri) {
        this.jedis = new Jedis(URI.create(uri));
        this.pipeline = jedis.pipelined();
    }

    @Override
    public String name() {
        return "jedis-pipelined";
    }

    @Override
    protected Response<byte[]> queueGet(byte[] key) {
        return pipeline.get(key);
    }

    @Override
    protected void queueSet(byte[] key, byte[] value) {
        pipeline.set(key, value);
    }

    @Override
    @SuppressWarnings("deprecation") // SETEX is what the seed workload sends; SET … EX would be a different command
    protected void queueSetex(byte[] key, long seconds, byte[] value) {
        pipeline.setex(key, seconds, value);
    }

    @Override
    protected void send() {
        pipeline.sync();
    }

    @Override
    protected byte[] valueOf(Response<byte[]> result) {
        return result.get();
    }

    @Override
    public void close() {
        pipeline.close();
        jedis.close();
    }
}
