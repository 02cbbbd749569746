package io.respin.client.async.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.respin.client.async.RedisClient;
import io.respin.client.async.RedisPipeline;
import io.respin.testkit.RedisCluster;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A pipeline's redirected commands are regrouped: what one node answered with MOVED (or ASK) goes to the new node
 * as one batch ({@link ClusterBatch#REGROUPED} counts the batches), once every command that node got has answered.
 */
class ClusterBatchTest {
    private static AsyncClusterFixture fx;
    private static RedisCluster cluster;
    private static RedisClient client;

    @BeforeAll
    static void start() {
        fx = AsyncClusterFixture.start();
        cluster = fx.cluster();
        client = fx.client();
    }

    @AfterAll
    static void stop() {
        AsyncClusterFixture.close(fx);
    }

    @Test
    void theCommandsOneNodeRedirectedGoToTheNewOwnerAsOneBatch() {
        for (int i = 0; i < 30; i++) {
            client.async().set("{rg}:" + i, "v" + i).join();
        }
        cluster.moveSlot(cluster.slot("{rg}"), () -> { });
        long before = ClusterBatch.REGROUPED.get();
        RedisPipeline<String, String> p = client.pipeline();
        for (int i = 0; i < 30; i++) {
            p.get("{rg}:" + i);
            p.incr("{rg}:n");
        }
        List<Object> out = p.awaitAll();
        for (int i = 0; i < 30; i++) {
            assertEquals("v" + i, out.get(2 * i));
            assertEquals((long) i + 1, out.get(2 * i + 1), "each INCR once, in order");
        }
        assertEquals(before + 1, ClusterBatch.REGROUPED.get(), "60 MOVED answers, one batch to the new owner");
    }

    @Test
    void theCommandsOneNodeAskedAwayGoAsOneBatchWithAsking() {
        for (int i = 0; i < 20; i++) {
            client.async().set("{ak}:" + i, "a" + i).join();
        }
        AtomicBoolean once = new AtomicBoolean();
        List<List<Object>> seen = new ArrayList<>();
        long[] regrouped = new long[1];
        cluster.moveSlot(cluster.slot("{ak}"), () -> {
            if (once.compareAndSet(false, true)) { // 5 keys moved, 15 not yet
                long before = ClusterBatch.REGROUPED.get();
                RedisPipeline<String, String> p = client.pipeline();
                for (int i = 0; i < 20; i++) {
                    p.get("{ak}:" + i);
                }
                seen.add(p.awaitAll());
                regrouped[0] = ClusterBatch.REGROUPED.get() - before;
            }
        });
        for (int i = 0; i < 20; i++) {
            assertEquals("a" + i, seen.getFirst().get(i));
        }
        assertEquals(1, regrouped[0], "the 5 ASKs went to the importing node as one batch");
    }
}
