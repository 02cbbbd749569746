package io.respin.client.async;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.respin.RedisConnectionException;
import io.respin.testkit.RedisCluster;
import io.respin.testkit.RedisServer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code close()} while a cluster subscription is being moved: the window is held open on purpose with
 * {@link ClusterSubscriptions#beforeResubscribe} — the resubscription found the move (a {@code sunsubscribe} after a
 * slot move, or the node that left after a {@code kill -9}) and is held until close() has begun, then goes on. Then:
 * close returns within its bound, no thread of the client is left, no connection of it is left on any node
 * ({@code CLIENT LIST}), no resubscription is tried again, and no listener hears anything after close returned.
 */
class ClusterCloseRaceTest {
    private static final long CLOSE_BOUND_MS = 5_000;

    private RedisCluster cluster;

    @AfterEach
    void stop() {
        ClusterSubscriptions.beforeResubscribe = null;
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void closeWhileAShardChannelIsResubscribedAfterItsSlotMoved() throws Exception {
        cluster = RedisCluster.builder().primaries(3).start();
        closeDuringResubscribe(() -> {
            String channel = "{race}:ch";
            cluster.moveSlot(cluster.slot(channel), () -> { });
        }, "{race}:ch", true);
    }

    @Test
    void closeWhileSubscriptionsOfAKilledPrimaryAreResubscribed() throws Exception {
        cluster = RedisCluster.builder().primaries(3).replicasPerPrimary(1)
                .config("cluster-node-timeout", "1000").config("cluster-replica-validity-factor", "0").start();
        closeDuringResubscribe(() -> cluster.primaryForKey("{race}:ch").kill(), "{race}:ch", true);
    }

    /**
     * Subscribes {@code channel} (SSUBSCRIBE when {@code shard}) and a plain channel, runs {@code move}, holds the
     * first resubscription until close() has begun, and checks what close leaves behind.
     */
    private void closeDuringResubscribe(Runnable move, String channel, boolean shard) throws Exception {
        Set<Thread> before = new HashSet<>(Thread.getAllStackTraces().keySet());
        RedisClient client = RedisClient.create("redis-cluster://" + String.join(",", cluster.seeds()));
        AtomicBoolean closeReturned = new AtomicBoolean();
        List<String> afterClose = new CopyOnWriteArrayList<>();
        client.pubSub().addEventListener(new PubSubEvents() {
            @Override public void onDisconnected(RedisConnectionException why) {
                note("onDisconnected " + why);
            }

            @Override public void onDropped(long count) {
                note("onDropped " + count);
            }

            @Override public void onResubscribed(Resubscribed moved) {
                note("onResubscribed " + moved);
            }

            private void note(String what) {
                if (closeReturned.get()) {
                    afterClose.add(what);
                }
            }
        });
        if (shard) {
            client.pubSub().ssubscribe(m -> { }, channel);
        }
        client.pubSub().subscribe(m -> { }, "race-news");

        CountDownLatch held = new CountDownLatch(1);
        AtomicBoolean closing = new AtomicBoolean();
        List<Throwable> hookSaw = new CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicInteger triedAfterClose = new java.util.concurrent.atomic.AtomicInteger();
        ClusterSubscriptions.beforeResubscribe = () -> {
            if (closeReturned.get()) {
                triedAfterClose.incrementAndGet();
                return;
            }
            held.countDown();
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!closing.get() && System.nanoTime() < until) {
                Thread.onSpinWait();
            }
            try {
                Thread.sleep(50); // close() is under way: the resubscription goes on into it
            } catch (InterruptedException e) {
                hookSaw.add(e); // close() interrupted the topology thread: go on regardless
                Thread.currentThread().interrupt();
            }
        };
        move.run();
        assertTrue(held.await(30, TimeUnit.SECONDS), "a resubscription to start after the move");

        closing.set(true);
        long start = System.nanoTime();
        client.close();
        long closeMs = (System.nanoTime() - start) / 1_000_000;
        closeReturned.set(true);
        assertTrue(closeMs <= CLOSE_BOUND_MS, "close() took " + closeMs + " ms (bound " + CLOSE_BOUND_MS + ")");

        await(() -> leftThreads(before).isEmpty(), () -> "the client's threads to end: " + leftThreads(before));
        await(() -> clientConnections() == 0, () -> "every connection of the client to close: "
                + clientConnections() + " left");
        Thread.sleep(1_500); // a resubscription retry would come after 1 s
        assertEquals(0, clientConnections(), "no connection opened after close");
        assertEquals(List.of(), leftThreads(before), "no thread started after close");
        assertEquals(List.of(), afterClose, "no listener call after close returned");
        assertEquals(0, triedAfterClose.get(), "no resubscription tried again after close returned");
    }

    /** Threads alive now that were not before the client was made (the client's own). */
    private static List<String> leftThreads(Set<Thread> before) {
        List<String> left = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.isAlive() && !before.contains(t) && !t.getName().startsWith("ForkJoinPool")) {
                left.add(t.getName());
            }
        }
        return left;
    }

    /**
     * Connections to the live nodes other than the kit's own probe (the one asking {@code CLIENT LIST}) and the
     * replication links (flags S on a primary, M on a replica).
     */
    private int clientConnections() {
        int n = 0;
        for (RedisServer node : cluster.nodes()) {
            if (node.isAlive()) {
                n += (int) ((String) node.command("CLIENT", "LIST")).lines()
                        .filter(l -> !l.isBlank() && !l.contains("cmd=client|list") && !l.contains("flags=S")
                                && !l.contains("flags=M"))
                        .count();
            }
        }
        return n;
    }

    private static void await(BooleanSupplier done, java.util.function.Supplier<String> what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after 10 s waiting for " + what.get());
            }
            Thread.sleep(20);
        }
    }
}
