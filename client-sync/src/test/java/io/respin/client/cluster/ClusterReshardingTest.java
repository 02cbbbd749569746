package io.respin.client.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.respin.client.RedisClient;
import io.respin.engine.cluster.Slots;
import io.respin.testkit.RedisCluster;
import io.respin.testkit.RedisServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Live resharding under load: slots move between primaries with {@code CLUSTER SETSLOT ... IMPORTING/MIGRATING},
 * {@code MIGRATE} in small batches and {@code SETSLOT ... NODE}, again and again, while 8 threads (4 blocking, 4
 * with futures) run SET/GET/INCR on keys in exactly those slots. Every command must succeed (the client follows
 * ASK during a migration and MOVED after it), every GET must return the value its thread last set, and every
 * INCR counter must equal the number of INCRs its thread saw acknowledged.
 */
class ClusterReshardingTest {
    private static final int THREADS = 8;
    private static final int KEYS_PER_THREAD = 20;
    /** Hash tags whose slots are moved; each thread's keys use all of them. */
    private static final String[] TAGS = {"m0", "m1", "m2", "m3"};

    private static RedisCluster cluster;
    private static RedisClient client;

    @BeforeAll
    static void start() {
        cluster = RedisCluster.builder().primaries(3).replicasPerPrimary(1).start();
        client = RedisClient.create("redis-cluster://" + String.join(",", cluster.seeds()));
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    private static String key(int thread, int i, String kind) {
        return "{" + TAGS[i % TAGS.length] + "}:" + kind + ":" + thread + ":" + i;
    }

    @Test
    void slotsMovingUnderLoadFailNoCommandAndLoseNoWrite() throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        Map<String, AtomicLong> acked = new ConcurrentHashMap<>();
        AtomicLong ops = new AtomicLong();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            boolean async = t % 2 == 1;
            workers.add(Thread.ofPlatform().name("load-" + t).start(() -> {
                long seq = 0;
                try {
                    while (running.get()) {
                        for (int i = 0; i < KEYS_PER_THREAD && running.get(); i++) {
                            String value = thread + "-" + i + "-" + seq++;
                            String k = key(thread, i, "v");
                            String n = key(thread, i, "n");
                            if (async) {
                                client.async().set(k, value).join();
                                assertEquals(value, client.async().get(k).join(), k);
                                client.async().incr(n).join();
                            } else {
                                client.sync().set(k, value);
                                assertEquals(value, client.sync().get(k), k);
                                client.sync().incr(n);
                            }
                            acked.computeIfAbsent(n, x -> new AtomicLong()).incrementAndGet();
                            ops.addAndGet(3);
                        }
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            }));
        }
        int moves = 0;
        try {
            Thread.sleep(200);
            for (int round = 0; round < 3; round++) {
                for (String tag : TAGS) {
                    cluster.moveSlot(Slots.slot(tag), () -> pause(5)); // the load meets it half moved
                    moves++;
                }
            }
            Thread.sleep(200);
        } finally {
            running.set(false);
            for (Thread w : workers) {
                w.join();
            }
        }
        if (!failures.isEmpty()) {
            Throwable first = failures.peek();
            throw new AssertionError(failures.size() + " worker(s) failed, first: " + first, first);
        }
        assertEquals(12, moves);
        assertTrue(ClusterRoutingTest.errorsSoFar(cluster, "ASK") > 0, "the load met slots in mid-migration (ASK)");
        assertTrue(ClusterRoutingTest.movedSoFar(cluster) > 0, "the load met slots that had moved (MOVED)");
        System.out.println("resharding: " + ops.get() + " commands, " + ClusterRoutingTest.errorsSoFar(cluster, "ASK")
                + " ASK, " + ClusterRoutingTest.movedSoFar(cluster) + " MOVED");
        assertTrue(ops.get() > 1000, "the load ran: " + ops.get() + " commands");
        for (Map.Entry<String, AtomicLong> e : acked.entrySet()) {
            RedisServer owner = cluster.primaryForKey(e.getKey());
            assertEquals(Long.toString(e.getValue().get()), owner.command("GET", e.getKey()),
                    "INCRs acknowledged for " + e.getKey());
        }
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
