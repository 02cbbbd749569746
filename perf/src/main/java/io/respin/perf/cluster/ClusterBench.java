package io.respin.perf.cluster;

import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.respin.testkit.RedisCluster;
import io.respin.testkit.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * Redis Cluster: respin's cluster client against Lettuce's {@code RedisClusterClient} and Jedis' {@code RedisClusterClient}, in one
 * run against one cluster the harness starts (3 primaries, 3 replicas each, {@code cluster-node-timeout} 1000 ms):
 *
 * <ul>
 *   <li>throughput: GET over 10,000 keys spread over every slot, 128 outstanding from one thread (async: respin and
 *       Lettuce; JedisCluster has no async API), and 16 threads sharing one client (sync);</li>
 *   <li>the failover gap: a writer SETs a key of one slot once a millisecond, another writer a key of a slot on another
 *       primary; the first slot's primary is killed ({@code kill -9}); the gap is the time from the end of the kill
 *       to the first write sent after it that succeeded, with the failed writes counted, and the longest pause
 *       between successful writes to the other primary (commands for other primaries must not stall). Each client
 *       gets its own kill (one of the slot's replicas is promoted each time); the order rotates.</li>
 * </ul>
 *
 * <pre>{@code
 * java -cp perf/target/respin-perf.jar io.respin.perf.cluster.ClusterBench [--seconds 3] [--rounds 1] [--no-failover]
 * }</pre>
 *
 * Lettuce runs with what its users are told to turn on for a cluster that fails over: periodic topology refresh
 * (1 s) and every adaptive trigger; Jedis ({@code RedisClusterClient}, the successor of {@code JedisCluster}) with a
 * pool of 32 connections per node, 5 attempts and a 1 s topology refresh period; every client with a 1 s command
 * timeout; respin with its defaults beyond that timeout.
 */
public final class ClusterBench {
    private static final int KEYS = 10_000;
    private static final int OUTSTANDING = 128;
    private static final int THREADS = 16;
    private static final long WRITE_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long GIVE_UP_NANOS = TimeUnit.SECONDS.toNanos(30);
    private static final List<String> CLIENTS = List.of("respin", "lettuce", "jedis");

    private ClusterBench() {
    }

    /** One cluster client under test. */
    interface Client extends AutoCloseable {
        String get(String key);

        void set(String key, String value);

        /** The async GET, or null when the client has none. */
        Supplier<CompletionStage<String>> asyncGet(String key);

        boolean hasAsync();

        @Override
        void close();
    }

    public static void main(String[] args) throws Exception {
        long seconds = 3;
        int rounds = 1;
        boolean failover = true;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--seconds" -> seconds = Long.parseLong(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--no-failover" -> failover = false;
                default -> {
                    System.err.println("usage: ClusterBench [--seconds 3] [--rounds 1] [--no-failover]");
                    System.exit(2);
                }
            }
        }
        int kills = failover ? rounds * CLIENTS.size() : 0;
        try (RedisCluster cluster = RedisCluster.builder().primaries(3).replicasPerPrimary(Math.max(1, kills))
                .config("cluster-node-timeout", "1000")
                // by default a cluster with an uncovered slot refuses every command (CLUSTERDOWN) until the failover
                // ends; off, the other primaries go on serving, and a pause there is the client's own
                .config("cluster-require-full-coverage", "no").start()) {
            System.out.printf(Locale.ROOT, "cluster of %d nodes (3 primaries), %d cores, %d s per measurement%n%n",
                    cluster.nodes().size(), Runtime.getRuntime().availableProcessors(), seconds);
            load(cluster);
            throughput(cluster, TimeUnit.SECONDS.toNanos(seconds));
            if (failover) {
                gaps(cluster, rounds);
            }
        }
    }

    static String key(int i) {
        return "k:" + i;
    }

    /** SETs every key the throughput runs read. */
    static void load(RedisCluster cluster) {
        try (Client c = open("respin", cluster)) {
            for (int i = 0; i < KEYS; i++) {
                c.set(key(i), "v".repeat(16));
            }
        }
    }

    // ------------------------------------------------------------------ throughput

    private static void throughput(RedisCluster cluster, long nanos) throws InterruptedException {
        System.out.println("| client | async, 128 outstanding (GET/s) | sync, 16 threads (GET/s) |");
        System.out.println("| --- | ---: | ---: |");
        for (String name : CLIENTS) {
            try (Client c = open(name, cluster)) {
                String async = "n/a (no async API)";
                if (c.hasAsync()) {
                    outstanding(c, nanos / 3); // warm-up
                    async = String.format(Locale.ROOT, "%,.0f", outstanding(c, nanos));
                }
                threads(c, nanos / 3);
                double sync = threads(c, nanos);
                System.out.printf(Locale.ROOT, "| %s | %s | %,.0f |%n", name, async, sync);
            }
        }
        System.out.println();
    }

    /** GETs with {@link #OUTSTANDING} in flight, each completion sending the next; returns GETs per second. */
    static double outstanding(Client c, long nanos) throws InterruptedException {
        AtomicLong done = new AtomicLong();
        AtomicLong inFlight = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        long end = System.nanoTime() + nanos;
        long start = System.nanoTime();
        for (int i = 0; i < OUTSTANDING; i++) {
            inFlight.incrementAndGet();
            chain(c, end, done, inFlight, failed);
        }
        while (inFlight.get() > 0 && System.nanoTime() - end < GIVE_UP_NANOS) {
            Thread.sleep(1);
        }
        if (failed.get() > 0) {
            throw new IllegalStateException(failed.get() + " async GETs failed or found no value");
        }
        return done.get() * 1e9 / (System.nanoTime() - start);
    }

    private static void chain(Client c, long end, AtomicLong done, AtomicLong inFlight, AtomicLong failed) {
        String k = key(ThreadLocalRandom.current().nextInt(KEYS));
        c.asyncGet(k).get().whenComplete((v, e) -> {
            if (e != null || v == null) {
                failed.incrementAndGet();
            } else {
                done.incrementAndGet();
            }
            if (System.nanoTime() - end < 0) {
                chain(c, end, done, inFlight, failed);
            } else {
                inFlight.decrementAndGet();
            }
        });
    }

    /** {@link #THREADS} threads sharing {@code c}, each GET after GET; returns GETs per second. */
    static double threads(Client c, long nanos) throws InterruptedException {
        AtomicLong done = new AtomicLong();
        AtomicLong missing = new AtomicLong();
        long start = System.nanoTime();
        long end = start + nanos;
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            threads.add(Thread.ofPlatform().start(() -> {
                ThreadLocalRandom r = ThreadLocalRandom.current();
                long n = 0;
                while (System.nanoTime() - end < 0) {
                    if (c.get(key(r.nextInt(KEYS))) != null) {
                        n++;
                    } else {
                        missing.incrementAndGet();
                    }
                }
                done.addAndGet(n);
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        if (missing.get() > 0) {
            throw new IllegalStateException(missing.get() + " GETs found no value");
        }
        return done.get() * 1e9 / (System.nanoTime() - start);
    }

    // ------------------------------------------------------------------ failover gap

    private static void gaps(RedisCluster cluster, int rounds) throws Exception {
        String victim = "{gap}:k";
        int victimSlot = cluster.slot(victim);
        List<String> order = new ArrayList<>(CLIENTS);
        Map<String, List<String>> rows = new LinkedHashMap<>();
        for (int round = 0; round < rounds; round++) {
            for (String name : order) {
                awaitServed(cluster, victimSlot);
                String other = otherPrimaryKey(cluster, victimSlot);
                Gap g = measure(name, cluster, victim, victimSlot, other);
                System.out.printf(Locale.ROOT, "%-8s round %d: %.0f ms without a successful write to the killed "
                        + "primary's slot (a replica was promoted at %.0f ms: the client's share %.0f ms), %d writes "
                        + "failed; longest pause on another primary %.0f ms%n", name, round + 1, g.gapMs,
                        g.promotedMs, g.gapMs - g.promotedMs, g.failed, g.otherPauseMs);
                rows.computeIfAbsent(name, k -> new ArrayList<>()).add(String.format(Locale.ROOT,
                        "%.0f ms (promoted at %.0f: +%.0f), %d failed, other primary's longest pause %.0f ms", g.gapMs,
                        g.promotedMs, g.gapMs - g.promotedMs, g.failed, g.otherPauseMs));
            }
            order.add(order.removeFirst());
        }
        System.out.println();
        System.out.println("| client | failover gap after kill -9 of a primary, each round |");
        System.out.println("| --- | --- |");
        rows.forEach((name, r) -> System.out.printf("| %s | %s |%n", name, String.join("; ", r)));
    }

    /**
     * {@code promotedMs}: when the first of the killed primary's replicas said {@code ROLE} master (polled every 5 ms
     * by the harness), from the kill; the cluster's own part of the gap. What comes after it is the client's.
     */
    record Gap(double gapMs, double promotedMs, long failed, double otherPauseMs) {
    }

    private static Gap measure(String name, RedisCluster cluster, String victim, int slot, String other)
            throws Exception {
        try (Client c = open(name, cluster)) {
            Writer v = new Writer(c, victim);
            Writer o = new Writer(c, other);
            Thread tv = Thread.ofPlatform().name("gap-" + name).start(v);
            Thread to = Thread.ofPlatform().name("other-" + name).start(o);
            Thread.sleep(1000); // writing, connected, warmed up
            RedisServer primary = cluster.primaryForSlot(slot);
            List<redis.clients.jedis.Jedis> replicas = replicasOf(cluster, primary); // one kept connection each
            primary.kill(); // returns once the process is gone
            long fault = System.nanoTime();
            v.faultAt = fault;
            o.faultAt = fault;
            long promoted = 0;
            while ((v.firstAfter == 0 || promoted == 0) && System.nanoTime() - fault < GIVE_UP_NANOS) {
                if (promoted == 0 && promotedNow(replicas)) {
                    promoted = System.nanoTime();
                }
                Thread.sleep(5);
            }
            Thread.sleep(200); // the other writer's pauses around the recovery count too
            v.stop = true;
            o.stop = true;
            tv.join();
            to.join();
            double gap = v.firstAfter == 0 ? Double.POSITIVE_INFINITY : (v.firstAfter - fault) / 1e6;
            replicas.forEach(redis.clients.jedis.Jedis::close);
            double promotedMs = promoted == 0 ? Double.NaN : (promoted - fault) / 1e6;
            return new Gap(gap, promotedMs, v.failedAfter, o.longestPauseAfter / 1e6);
        }
    }

    /** Connections to the live replicas of {@code primary} (by their {@code ROLE}), to ask when one is promoted. */
    private static List<redis.clients.jedis.Jedis> replicasOf(RedisCluster cluster, RedisServer primary) {
        List<redis.clients.jedis.Jedis> replicas = new ArrayList<>();
        for (RedisServer n : cluster.nodes()) {
            if (n != primary && n.isAlive() && n.command("ROLE") instanceof List<?> role && "slave".equals(role.getFirst())
                    && Long.valueOf(primary.port()).equals(role.get(2))) {
                replicas.add(new redis.clients.jedis.Jedis(n.host(), n.port()));
            }
        }
        return replicas;
    }

    private static boolean promotedNow(List<redis.clients.jedis.Jedis> replicas) {
        for (redis.clients.jedis.Jedis r : replicas) {
            try {
                List<Object> role = r.role();
                Object first = role.isEmpty() ? null : role.getFirst();
                String kind = first instanceof byte[] b ? new String(b, java.nio.charset.StandardCharsets.UTF_8)
                        : String.valueOf(first);
                if ("master".equals(kind)) {
                    return true;
                }
            } catch (RuntimeException e) {
                // busy or gone: ask the others
            }
        }
        return false;
    }

    /** Waits until a live primary serves {@code slot} and every live node says the cluster is ok. */
    private static void awaitServed(RedisCluster cluster, int slot) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            try {
                cluster.awaitOk();
                if (cluster.primaryForSlot(slot).isAlive()) {
                    return;
                }
            } catch (RuntimeException e) {
                // a node still says fail or the slot map is moving: ask again
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("slot " + slot + " got no live primary within 60 s");
    }

    /** A key whose slot is served by a primary other than {@code slot}'s. */
    private static String otherPrimaryKey(RedisCluster cluster, int slot) {
        RedisServer victim = cluster.primaryForSlot(slot);
        for (int i = 0; ; i++) {
            String k = "{other" + i + "}:k";
            if (cluster.primaryForKey(k) != victim) {
                return k;
            }
        }
    }

    /** Writes once a millisecond; after the fault notes the first success, the failures and the longest pause. */
    private static final class Writer implements Runnable {
        private final Client c;
        private final String key;
        volatile long faultAt = Long.MAX_VALUE;
        volatile long firstAfter;
        volatile long failedAfter;
        volatile long longestPauseAfter;
        volatile boolean stop;

        Writer(Client c, String key) {
            this.c = c;
            this.key = key;
        }

        @Override
        public void run() {
            long lastOk = System.nanoTime();
            for (long i = 0; !stop; i++) {
                long sent = System.nanoTime();
                try {
                    c.set(key, Long.toString(i));
                    long now = System.nanoTime();
                    if (sent - faultAt > 0) {
                        if (firstAfter == 0) {
                            firstAfter = now;
                        }
                        longestPauseAfter = Math.max(longestPauseAfter, now - Math.max(lastOk, faultAt));
                    }
                    lastOk = now;
                } catch (RuntimeException e) {
                    if (sent - faultAt > 0) {
                        failedAfter++;
                    }
                }
                LockSupport.parkNanos(WRITE_EVERY_NANOS);
            }
        }
    }

    // ------------------------------------------------------------------ clients

    /** The clients, in the order of the tables. */
    static List<String> clients() {
        return CLIENTS;
    }

    static Client open(String name, RedisCluster cluster) {
        return switch (name) {
            case "respin" -> respin(cluster);
            case "lettuce" -> lettuce(cluster);
            case "jedis" -> jedis(cluster);
            default -> throw new IllegalArgumentException(name);
        };
    }

    private static Client respin(RedisCluster cluster) {
        io.respin.client.RedisClient client = io.respin.client.RedisClient.builder("redis-cluster://"
                + String.join(",", cluster.seeds())).commandTimeout(Duration.ofSeconds(1)).build();
        var sync = client.sync();
        var async = client.async();
        return client(sync::get, sync::set, k -> () -> async.get(k), client::close);
    }

    @SuppressWarnings("deprecation") // Lettuce 7.7 deprecates the trigger methods without a replacement in its docs
    private static Client lettuce(RedisCluster cluster) {
        List<RedisURI> seeds = cluster.seeds().stream().map(s -> RedisURI.create("redis://" + s)).toList();
        RedisClusterClient client = RedisClusterClient.create(seeds);
        client.setOptions(ClusterClientOptions.builder()
                .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                        .enablePeriodicRefresh(Duration.ofSeconds(1))
                        .enableAllAdaptiveRefreshTriggers().build())
                .timeoutOptions(TimeoutOptions.enabled(Duration.ofSeconds(1)))
                .build());
        StatefulRedisClusterConnection<String, String> connection = client.connect();
        connection.setTimeout(Duration.ofSeconds(1));
        var sync = connection.sync();
        var async = connection.async();
        return client(sync::get, sync::set, k -> () -> async.get(k), () -> {
            connection.close();
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        });
    }

    private static Client jedis(RedisCluster cluster) {
        Set<redis.clients.jedis.HostAndPort> nodes = new LinkedHashSet<>();
        cluster.seeds().forEach(s -> nodes.add(redis.clients.jedis.HostAndPort.from(s)));
        var pool = new org.apache.commons.pool2.impl.GenericObjectPoolConfig<redis.clients.jedis.Connection>();
        pool.setMaxTotal(32);
        pool.setMaxIdle(32);
        redis.clients.jedis.RedisClusterClient client = redis.clients.jedis.RedisClusterClient.builder().nodes(nodes)
                .clientConfig(redis.clients.jedis.DefaultJedisClientConfig.builder().timeoutMillis(1000).build())
                .poolConfig(pool).maxAttempts(5).topologyRefreshPeriod(Duration.ofSeconds(1)).build();
        return client(client::get, client::set, null, client::close);
    }

    private static Client client(java.util.function.Function<String, String> get,
                                 java.util.function.BiConsumer<String, String> set,
                                 java.util.function.Function<String, Supplier<CompletionStage<String>>> asyncGet,
                                 Runnable close) {
        return new Client() {
            @Override public String get(String key) {
                return get.apply(key);
            }

            @Override public void set(String key, String value) {
                set.accept(key, value);
            }

            @Override public Supplier<CompletionStage<String>> asyncGet(String key) {
                return asyncGet.apply(key);
            }

            @Override public boolean hasAsync() {
                return asyncGet != null;
            }

            @Override public void close() {
                close.run();
            }
        };
    }
}
