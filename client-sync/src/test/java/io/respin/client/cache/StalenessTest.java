package io.respin.client.cache;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.respin.client.RedisClient;
import io.respin.client.async.CacheSettings;
import io.respin.client.async.CacheStats;
import io.respin.client.sync.CachedCommands;
import io.respin.testkit.FaultProxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.Test;

/**
 * The property client-side caching exists for: once a write is acknowledged and a PING on the reader's connection has
 * come back (so that the write's invalidation, sent before the PING's reply, has been parsed), no reader sees a value
 * older than that write. A writer on another connection (and sometimes the reader's own client) changes keys while 8
 * readers read through the cache; a proxy in front of the readers' connection delays replies and pushes, and commands,
 * by amounts that change at random; many seeds, each a different interleaving.
 */
class StalenessTest {
    private static final int READERS = 8;
    private static final int KEYS = 12;

    @Test
    void afterAnAcknowledgedWriteAndAPingNoReaderSeesTheOldValue() throws Exception {
        check(CacheSettings.defaults(), 8, "default");
    }

    /** OPTIN: every cached read goes out right after CLIENT CACHING YES, with nothing between them. */
    @Test
    void theSameWithOptInTracking() throws Exception {
        check(CacheSettings.builder().mode(CacheSettings.Mode.OPTIN).build(), 3, "optin");
    }

    /** BCAST over the keys' prefix: the server tells of every write under it, read or not. */
    @Test
    void theSameWithBroadcastTracking() throws Exception {
        check(CacheSettings.builder().broadcast("st:").build(), 3, "bcast");
    }

    private static void check(CacheSettings settings, int seeds, String name) throws Exception {
        long hits = 0;
        long invalidations = 0;
        long checks = 0;
        for (int seed = 1; seed <= seeds; seed++) {
            long[] r = run(settings, name, seed, 1_500);
            checks += r[0];
            hits += r[1];
            invalidations += r[2];
        }
        System.out.printf("staleness (%s): %d checked reads, %d hits, %d invalidations over %d seeds%n",
                name, checks, hits, invalidations, seeds);
        assertTrue(hits > 1000 && invalidations > 100 && checks > 1000,
                "the runs used the cache: " + hits + " hits, " + invalidations + " invalidations, " + checks + " checks");
    }

    /** One interleaving: returns {checked reads, hits, invalidations}; fails on the first stale read. */
    private static long[] run(CacheSettings settings, String name, int seed, long millis) throws Exception {
        String prefix = "st:" + name + ":" + seed + ":";
        try (FaultProxy proxy = FaultProxy.start(CacheServer.get());
             RedisClient client = RedisClient.builder(proxy.uri()).clientCache(settings).build();
             RedisClient writer = RedisClient.create(CacheServer.get().uri())) {
            CachedCommands<String, String> cached = client.cached();
            AtomicLongArray acked = new AtomicLongArray(KEYS);
            Map<String, String> initial = new java.util.HashMap<>();
            for (int k = 0; k < KEYS; k++) {
                initial.put(prefix + k, "0");
            }
            writer.sync().mset(initial);
            AtomicBoolean stop = new AtomicBoolean();
            ConcurrentLinkedQueue<String> stale = new ConcurrentLinkedQueue<>();
            ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
            java.util.concurrent.atomic.AtomicLong checks = new java.util.concurrent.atomic.AtomicLong();
            List<Thread> threads = new ArrayList<>();
            threads.add(Thread.ofPlatform().name("writer").start(() -> {
                Random rnd = new Random(seed);
                long[] version = new long[KEYS];
                try {
                    while (!stop.get()) {
                        int k = rnd.nextInt(KEYS);
                        long v = ++version[k];
                        // mostly another connection; sometimes the cached client's own (its write invalidates at the reply)
                        (rnd.nextInt(5) == 0 ? client : writer).sync().set(prefix + k, Long.toString(v));
                        acked.set(k, v);
                        if (rnd.nextInt(4) == 0) {
                            Thread.sleep(0, rnd.nextInt(200_000));
                        }
                    }
                } catch (Throwable t) {
                    errors.add(t);
                }
            }));
            threads.add(Thread.ofPlatform().name("chaos").start(() -> {
                Random rnd = new Random(seed * 31L);
                try {
                    while (!stop.get()) {
                        proxy.delay(FaultProxy.Direction.TO_CLIENT, Duration.ofNanos(1000L * (rnd.nextInt(4) == 0 ? 0 : rnd.nextInt(3_000))));
                        proxy.delay(FaultProxy.Direction.TO_SERVER, Duration.ofNanos(1000L * (rnd.nextInt(2) == 0 ? 0 : rnd.nextInt(1_000))));
                        Thread.sleep(5 + rnd.nextInt(40));
                    }
                    proxy.delay(Duration.ZERO);
                } catch (Throwable t) {
                    errors.add(t);
                }
            }));
            for (int i = 0; i < READERS; i++) {
                int reader = i;
                threads.add(Thread.ofPlatform().name("reader-" + i).start(() -> {
                    Random rnd = new Random(seed * 1000L + reader);
                    try {
                        while (!stop.get()) {
                            int k = rnd.nextInt(KEYS);
                            if (rnd.nextInt(3) == 0) {
                                cached.get(prefix + k); // unchecked: more interleavings of loads, hits and pushes
                                continue;
                            }
                            long floor = acked.get(k);
                            client.sync().ping();
                            String v = cached.get(prefix + k);
                            checks.incrementAndGet();
                            if (Long.parseLong(v) < floor) {
                                stale.add(prefix + k + " read " + v + " after write " + floor + " was acknowledged");
                            }
                        }
                    } catch (Throwable t) {
                        errors.add(t);
                    }
                }));
            }
            Thread.sleep(millis);
            stop.set(true);
            for (Thread t : threads) {
                t.join(30_000);
            }
            CacheStats s = cached.stats();
            assertTrue(errors.isEmpty(), "seed " + seed + ": " + errors);
            assertTrue(stale.isEmpty(), "seed " + seed + ": " + stale.size() + " stale reads, e.g. " + stale.peek()
                    + " (" + s + ")");
            return new long[] {checks.get(), s.hits(), s.invalidations()};
        }
    }
}
