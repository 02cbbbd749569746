package io.respin.perf.client;

import java.net.URI;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.RedisClient;

/**
 * Jedis 8's {@code RedisClient} (the successor of {@code JedisPooled}): each call borrows a connection from a pool,
 * so K concurrent callers use up to K connections. The pool is sized for the largest caller count the harness uses.
 *
 * <pre>{@code
 * try (var c = new JedisPooledClient("redis://127.0.0.1:6390", 128)) { byte[] v = c.get(key); }
 * }</pre>
 */
public final class JedisPooledClient implements SyncBenchClient {
    private final RedisClient client;

    public JedisPooledClient(String uri, int maxConnections) {
        ConnectionPoolConfig pool = new ConnectionPoolConfig();
        pool.setMaxTotal(maxConnections);
        pool.setMaxIdle(maxConnections);
        URI u = URI.create(uri);
        DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder();
        if (u.getUserInfo() != null) {
            String[] userPassword = u.getUserInfo().split(":", 2);
            if (userPassword.length == 2) {
                config.user(userPassword[0].isEmpty() ? null : userPassword[0]).password(userPassword[1]);
            } else {
                config.password(userPassword[0]);
            }
        }
        this.client = RedisClient.builder()
                .hostAndPort(u.getHost(), u.getPort() < 0 ? 6379 : u.getPort())
                .clientConfig(config.build())
                .poolConfig(pool)
                .build();
    }

    @Override
    public String name() {
        return "jedis-pooled";
    }

    @Override
    public byte[] get(byte[] key) {
        return client.get(key);
    }

    @Override
    public void set(byte[] key, byte[] value) {
        client.set(key, value);
    }

    @Override
    @SuppressWarnings("deprecation") // SETEX is what the seed workload sends; SET … EX would be a different command
    public void setex(byte[] key, long seconds, byte[] value) {
        client.setex(key, seconds, value);
    }

    @Override
    public void close() {
        client.close();
    }
}
