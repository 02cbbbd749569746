package io.respin.client.cluster;

import static org.junit.jupiter.api.Assertions.fail;

import io.respin.client.RedisClient;
import io.respin.testkit.RedisCluster;
import java.util.function.BooleanSupplier;

/**
 * A real cluster from the test kit and a cluster client on it, for the cluster tests: started together, closed
 * together (the client first), and the waiting helper they share.
 *
 * <pre>{@code
 * ClusterFixture fx = ClusterFixture.start(RedisCluster.builder().primaries(3));
 * fx.client().sync().set("k", "v");
 * fx.close();
 * }</pre>
 */
record ClusterFixture(RedisCluster cluster, RedisClient client) implements AutoCloseable {

    /** Starts the cluster {@code builder} describes and a client with its nodes as seeds. */
    static ClusterFixture start(RedisCluster.Builder builder) {
        RedisCluster cluster = builder.start();
        try {
            return new ClusterFixture(cluster, RedisClient.create("redis-cluster://" + String.join(",", cluster.seeds())));
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    /** Closes {@code fx} if it was started (an {@code @AfterAll} after a failed {@code @BeforeAll}). */
    static void close(ClusterFixture fx) {
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

    /** Waits up to 30 s for {@code condition}, polling every 20 ms; fails naming {@code what}. */
    static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out after 30 s waiting for " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what, e);
            }
        }
    }
}
