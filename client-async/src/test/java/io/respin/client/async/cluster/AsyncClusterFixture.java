package io.respin.client.async.cluster;

import io.respin.client.async.RedisClient;
import io.respin.testkit.RedisCluster;

/**
 * A 3-primary cluster from the test kit and a client-async cluster client on it, started and closed together.
 *
 * <pre>{@code
 * AsyncClusterFixture fx = AsyncClusterFixture.start();
 * fx.client().async().set("k", "v").join();
 * AsyncClusterFixture.close(fx);
 * }</pre>
 */
record AsyncClusterFixture(RedisCluster cluster, RedisClient client) implements AutoCloseable {

    static AsyncClusterFixture start() {
        RedisCluster cluster = RedisCluster.builder().primaries(3).start();
        try {
            return new AsyncClusterFixture(cluster,
                    RedisClient.create("redis-cluster://" + String.join(",", cluster.seeds())));
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    /** Closes {@code fx} if it was started. */
    static void close(AsyncClusterFixture fx) {
        if (fx != null) {
            fx.close();
        }
    }

    @Override
    public void close() {
        try {
            client.close();
        } finally {
            cluster.close();
        }
    }
}
