package io.respin.perf.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.respin.testkit.RedisCluster;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Each client of the cluster benchmark reads and writes keys of every slot through its own routing (a client that
 * sent a key to the wrong node would get MOVED and fail here) and runs both throughput loops; no speed is asserted.
 */
class ClusterBenchTest {
    static RedisCluster cluster;

    @BeforeAll
    static void start() {
        cluster = RedisCluster.builder().primaries(3).start();
        ClusterBench.load(cluster);
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void everyClientRoutesByItsKeysSlotAndRunsBothLoops() throws Exception {
        for (String name : ClusterBench.clients()) {
            try (ClusterBench.Client c = ClusterBench.open(name, cluster)) {
                for (int i = 0; i < 200; i++) {
                    String k = name + ":" + i;
                    c.set(k, "v" + i);
                    assertEquals("v" + i, c.get(k), name);
                }
                assertEquals("vvvvvvvvvvvvvvvv", c.get(ClusterBench.key(9_999)), name + " reads the loaded keys");
                if (c.hasAsync()) {
                    assertEquals("v7", c.asyncGet(name + ":7").get().toCompletableFuture().get(10, TimeUnit.SECONDS));
                    assertTrue(ClusterBench.outstanding(c, TimeUnit.MILLISECONDS.toNanos(200)) > 0, name);
                }
                assertTrue(ClusterBench.threads(c, TimeUnit.MILLISECONDS.toNanos(200)) > 0, name);
            }
        }
    }
}
