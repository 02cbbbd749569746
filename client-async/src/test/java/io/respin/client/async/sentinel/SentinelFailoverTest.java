package io.respin.client.async.sentinel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.respin.RedisConnectionException;
import io.respin.RedisException;
import io.respin.RedisTimeoutException;
import io.respin.client.async.PubSubMessage;
import io.respin.client.async.RedisClient;
import io.respin.client.async.Subscription;
import io.respin.testkit.RedisSentinel;
import io.respin.testkit.RedisServer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The client follows the primary through a failover under load: 8 threads of GET/SET/INCR, then SENTINEL FAILOVER,
 * or kill -9 of the primary. The INCR ledger shows every acknowledged INCR in the new primary's counter once and only
 * once (those whose outcome the client reported unknown may or may not be there); the client ends on the new primary
 * with no connection left on the old one; the time from the fault to the first successful write is printed.
 *
 * <p>Both faults start with {@code CLIENT PAUSE WRITE} on the old primary and wait until the replicas have every
 * write: Redis replicates asynchronously, so without it a write the old primary acknowledged just before the fault
 * (kill -9), or after a replica was promoted (SENTINEL FAILOVER does not stop the old primary from taking writes
 * until the client hears of the switch), can be lost by the servers whatever a client does. The pause makes what the
 * ledger checks the client's doing: what it sent where, what it resent, what it reported.
 */
class SentinelFailoverTest {

    RedisServer primary;
    List<RedisServer> replicas;
    RedisSentinel sentinels;
    RedisClient client;

    @BeforeEach
    void start() {
        primary = RedisServer.builder().start();
        replicas = List.of(RedisServer.replicaOf(primary), RedisServer.replicaOf(primary));
        sentinels = RedisSentinel.builder(primary).replicas(2).sentinels(3).start();
        client = RedisClient.builder("redis-sentinel://" + String.join(",", sentinels.seeds()) + "/"
                + sentinels.masterName()).clientName("follower").build();
    }

    @AfterEach
    void stop() {
        client.close();
        sentinels.close();
        replicas.forEach(RedisServer::close);
        primary.close();
    }

    @Test
    void sentinelFailoverUnderLoad() throws Exception {
        LinkedBlockingQueue<PubSubMessage<String>> got = new LinkedBlockingQueue<>();
        try (Load load = new Load(client); Subscription news = client.subscribe(got::add, "news")) {
            load.awaitAcked(300);
            pauseAndSync(primary);
            Object before = primary.command("GET", "ledger");
            long fault = load.fault();
            sentinels.sentinels().get(0).command("SENTINEL", "FAILOVER", sentinels.masterName());
            load.awaitWriteAfterFault();
            load.report("SENTINEL FAILOVER", fault);
            assertUnwritten(primary, before);
            load.awaitAcked(load.acked.size() + 300);
            load.stop();
            assertUnwritten(primary, before);
            RedisServer now = newPrimary();
            assertEquals(now.port(), client.endpoint().uri().port(), "the client is on the new primary");
            assertEquals(0, clientsNamed(primary, "follower"), "no connection of the client is left on the old primary");
            load.checkLedger(now);
            assertEquals(1L, now.command("PUBLISH", "news", "after"), "the subscription moved to the new primary");
            assertEquals("after", got.poll(10, TimeUnit.SECONDS).message());
            assertEquals(List.of("news"), news.names());
        } finally {
            primary.command("CLIENT", "UNPAUSE");
        }
        assertEquals(0, clientsNamed(primary, "follower"), "nor after the pause ended");
    }

    @Test
    void killOfThePrimaryUnderLoad() throws Exception {
        try (Load load = new Load(client)) {
            load.awaitAcked(300);
            pauseAndSync(primary);
            long fault = load.fault();
            primary.kill();
            load.awaitWriteAfterFault();
            load.report("kill -9", fault);
            // the old primary comes back (empty, as a primary until the sentinels turn it into a replica): the client
            // must not go back to it
            primary.restart();
            load.awaitAcked(load.acked.size() + 300);
            load.stop();
            RedisServer now = newPrimary();
            assertEquals(now.port(), client.endpoint().uri().port(), "the client is on the new primary");
            assertEquals(0, clientsNamed(primary, "follower"), "nothing of the client on the restarted old primary");
            load.checkLedger(now);
        }
    }

    /**
     * The old primary's counter is what it was at the fault while it is still a primary (once the sentinels made it a
     * replica it takes no writes from clients at all, and copies the new primary's data).
     */
    private static void assertUnwritten(RedisServer old, Object ledgerAtFault) {
        Object now = old.command("GET", "ledger");
        if (((String) old.command("INFO", "replication")).contains("role:master")) {
            assertEquals(ledgerAtFault, now, "an INCR landed on the old primary after the fault");
        }
    }

    /** The promoted replica, once every sentinel names it (the client may have moved there before they do). */
    private RedisServer newPrimary() {
        int port = client.endpoint().uri().port();
        assertNotEquals(primary.port(), port, "the client left the old primary");
        sentinels.awaitPrimary(port); // the sentinels name the node the client is on
        return replicas.stream().filter(r -> r.port() == port).findFirst().orElseThrow();
    }

    /** Holds writes on {@code p} and waits until both replicas have everything it acknowledged. */
    private void pauseAndSync(RedisServer p) throws InterruptedException {
        p.command("CLIENT", "PAUSE", "30000", "WRITE");
        long offset = offset((String) p.command("INFO", "replication"), "master_repl_offset:");
        for (RedisServer r : replicas) {
            for (int i = 0; i < 1000 && offset(r.command("INFO", "replication").toString(), "slave_repl_offset:") < offset;
                 i++) {
                Thread.sleep(5);
            }
            assertTrue(offset(r.command("INFO", "replication").toString(), "slave_repl_offset:") >= offset, r.toString());
        }
    }

    private static long offset(String info, String field) {
        return info.lines().filter(l -> l.startsWith(field)).mapToLong(l -> Long.parseLong(l.substring(field.length())
                .trim())).findFirst().orElse(-1);
    }

    static long clientsNamed(RedisServer s, String name) {
        String list = (String) s.command("CLIENT", "LIST");
        return list.lines().filter(l -> l.contains(" name=" + name + " ")).count();
    }

    /** 8 threads of GET/SET/INCR; each INCR's outcome in the ledger. */
    static final class Load implements AutoCloseable {
        final ConcurrentLinkedQueue<Long> acked = new ConcurrentLinkedQueue<>();
        final AtomicLong unknown = new AtomicLong();
        final AtomicLong refused = new AtomicLong();
        final ConcurrentLinkedQueue<String> unexpected = new ConcurrentLinkedQueue<>();
        private final List<Thread> threads = new ArrayList<>();
        private volatile boolean stopped;
        private volatile long faultAt = Long.MAX_VALUE;
        volatile long firstWriteAfterFault;
        final ConcurrentLinkedQueue<Long> writeTimes = new ConcurrentLinkedQueue<>();

        Load(RedisClient client) {
            var redis = client.async();
            for (int t = 0; t < 8; t++) {
                String key = "k:" + t;
                threads.add(Thread.ofPlatform().name("load-" + t).start(() -> {
                    for (long i = 0; !stopped; i++) {
                        long sent = System.nanoTime();
                        try {
                            switch ((int) (i % 3)) {
                                case 0 -> {
                                    redis.set(key, Long.toString(i)).join();
                                    wrote(sent);
                                }
                                case 1 -> redis.get(key).join();
                                default -> {
                                    acked.add(redis.incr("ledger").join());
                                    wrote(sent);
                                }
                            }
                        } catch (CompletionException e) {
                            boolean incr = i % 3 == 2;
                            if (e.getCause() instanceof RedisConnectionException c && c.outcomeUnknown()
                                    || e.getCause() instanceof RedisTimeoutException) {
                                if (incr) {
                                    unknown.incrementAndGet();
                                }
                            } else if (e.getCause() instanceof RedisException) {
                                if (incr) {
                                    refused.incrementAndGet(); // not run: READONLY, not sent...
                                }
                                unexpected.add(e.getCause().toString());
                            } else {
                                unexpected.add(String.valueOf(e.getCause()));
                            }
                        }
                    }
                }));
            }
        }

        /** A write sent at {@code sent} succeeded; the first one sent after the fault ends the gap. */
        private void wrote(long sent) {
            long now = System.nanoTime();
            writeTimes.add(now);
            if (sent - faultAt > 0 && firstWriteAfterFault == 0) {
                firstWriteAfterFault = now;
            }
        }

        /** Prints the time from the fault to the first successful write, and the longest time without one. */
        void report(String what, long fault) {
            List<Long> times = writeTimes.stream().sorted().toList();
            long gap = 0;
            for (int i = 1; i < times.size(); i++) {
                gap = Math.max(gap, times.get(i) - times.get(i - 1));
            }
            System.out.printf("%s: the first write sent after the fault succeeded %.1f ms after it; longest time "
                    + "without a successful write %.1f ms%n",
                    what, (firstWriteAfterFault - fault) / 1e6, gap / 1e6);
        }

        long fault() {
            faultAt = System.nanoTime();
            return faultAt;
        }

        void awaitAcked(int n) throws InterruptedException {
            for (int i = 0; i < 3000 && acked.size() < n; i++) {
                Thread.sleep(10);
            }
            assertTrue(acked.size() >= n, "acknowledged INCRs: " + acked.size() + " of " + n + "; errors: " + errors());
        }

        void awaitWriteAfterFault() throws InterruptedException {
            for (int i = 0; i < 3000 && firstWriteAfterFault == 0; i++) {
                Thread.sleep(10);
            }
            assertTrue(firstWriteAfterFault != 0, "no write succeeded within 30 s of the fault; errors: " + errors());
        }

        /** Every acknowledged INCR is in {@code now}'s counter once; unknown ones may be. */
        void checkLedger(RedisServer now) {
            Set<Long> distinct = new HashSet<>(acked);
            assertEquals(acked.size(), distinct.size(), "an INCR value was acknowledged twice: an INCR was lost");
            long counter = Long.parseLong((String) now.command("GET", "ledger"));
            long max = distinct.stream().mapToLong(Long::longValue).max().orElse(0);
            assertTrue(counter >= max && counter >= acked.size() && counter <= acked.size() + unknown.get(),
                    "counter " + counter + ", acknowledged " + acked.size() + " (max " + max + "), unknown "
                            + unknown.get() + ": an acknowledged INCR is missing or one ran twice");
            System.out.printf("ledger: %d acknowledged, %d unknown, %d refused, counter %d; errors: %s%n", acked.size(),
                    unknown.get(), refused.get(), counter, errors());
        }

        private String errors() {
            return unexpected.stream().distinct().limit(5).toList().toString();
        }

        void stop() throws InterruptedException {
            stopped = true;
            for (Thread t : threads) {
                t.join();
            }
        }

        @Override
        public void close() {
            try {
                stop();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
