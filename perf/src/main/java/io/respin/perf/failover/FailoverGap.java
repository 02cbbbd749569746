package io.respin.perf.failover;

import io.lettuce.core.RedisURI;
import io.respin.testkit.RedisSentinel;
import io.respin.testkit.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The failover gap: how long writes fail after {@code kill -9} of the primary, for respin's Sentinel client,
 * Lettuce's ({@code RedisURI.Builder.sentinel}) and Jedis' ({@code RedisSentinelClient}, the successor of
 * {@code JedisSentineled}), in one run against one set of servers (1 primary, replicas, 3 sentinels,
 * {@code down-after-milliseconds} 1000; one replica per round and client). Each client in turn writes {@code SET} once a millisecond on one thread; the
 * current primary is killed; the gap is the time from the end of the kill (the process is gone) to the first write sent after it that succeeds.
 * Killed nodes stay down (one replica per kill is started); before each round the servers settle on one primary
 * with every other live node replicating from it; the order of the clients rotates each round.
 *
 * <pre>{@code
 * java -cp "perf/target/respin-perf.jar:perf/target/lib/*" io.respin.perf.failover.FailoverGap [rounds]
 * java -Dgap.timeline=true ...   also prints, per client and round, what its writes saw and what the sentinels
 *                                published, in ms from the kill (for diagnosis)
 * }</pre>
 */
public final class FailoverGap {

    private static final long WRITE_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long GIVE_UP_NANOS = TimeUnit.SECONDS.toNanos(30);
    private static final boolean TIMELINE = Boolean.getBoolean("gap.timeline");
    /** Events kept per round: the outcome changes of the writes, the sentinels' messages. */
    private static final int TIMELINE_MAX = 200;

    private FailoverGap() {
    }

    /** One client under test: opens, writes one key (throws when the write failed), closes. */
    interface Writer extends AutoCloseable {
        void set(String key, String value);

        @Override
        void close();
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        List<String> order = new ArrayList<>(List.of("respin", "lettuce", "jedis"));
        int kills = rounds * order.size();
        // a killed node stays down (the kit restarts a replica as a replica of its first primary): one replica per kill
        List<RedisServer> nodes = new ArrayList<>();
        nodes.add(RedisServer.builder().start());
        for (int i = 0; i < kills; i++) {
            nodes.add(RedisServer.replicaOf(nodes.getFirst()));
        }
        try (RedisSentinel sentinels = RedisSentinel.builder(nodes.getFirst()).replicas(kills).sentinels(3).start()) {
            Map<String, List<Double>> gaps = new LinkedHashMap<>();
            for (int round = 0; round < rounds; round++) {
                for (String name : order) {
                    double ms = measure(name, sentinels, nodes);
                    gaps.computeIfAbsent(name, k -> new ArrayList<>()).add(ms);
                    System.out.printf("%-8s round %d: %.0f ms without a successful write%n", name, round + 1, ms);
                }
                order.add(order.removeFirst());
            }
            System.out.println();
            System.out.println("| client | failover gap after kill -9 (ms), each round | best |");
            System.out.println("| --- | --- | --- |");
            gaps.forEach((name, g) -> System.out.printf("| %s | %s | %.0f |%n", name,
                    String.join(", ", g.stream().map(x -> String.format("%.0f", x)).toList()),
                    g.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN)));
        } finally {
            nodes.forEach(RedisServer::close);
        }
    }

    private static double measure(String name, RedisSentinel sentinels, List<RedisServer> nodes) throws Exception {
        RedisServer primary = awaitSettled(sentinels, nodes);
        Timeline timeline = new Timeline();
        SentinelEvents events = TIMELINE ? new SentinelEvents(sentinels, timeline) : null;
        try (Writer w = open(name, sentinels)) {
            Round r = new Round(w, timeline);
            Thread t = Thread.ofPlatform().name("gap-" + name).start(r);
            Thread.sleep(1000); // writing, connected, warmed up
            primary.kill(); // returns once the process is gone: a write sent after it cannot reach that node
            long fault = System.nanoTime();
            r.faultAt = fault;
            timeline.fault = fault;
            timeline.add(fault, "kill -9 of the primary " + primary.hostAndPort() + " done");
            while (r.firstAfter == 0 && System.nanoTime() - fault < GIVE_UP_NANOS) {
                Thread.sleep(5);
            }
            r.stop = true;
            t.join();
            if (TIMELINE) {
                timeline.print(name);
            }
            return r.firstAfter == 0 ? Double.POSITIVE_INFINITY : (r.firstAfter - fault) / 1e6;
        } finally {
            if (events != null) {
                events.close();
            }
        }
    }

    /** The one live node that is a primary, once every other live node replicates from it and the sentinels agree. */
    private static RedisServer awaitSettled(RedisSentinel sentinels, List<RedisServer> nodes) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            List<RedisServer> live = nodes.stream().filter(RedisServer::isAlive).toList();
            List<RedisServer> primaries = live.stream().filter(n -> info(n).contains("role:master")).toList();
            if (primaries.size() == 1) {
                RedisServer p = primaries.getFirst();
                boolean linked = live.stream().filter(n -> n != p).allMatch(n -> info(n).contains("master_port:"
                        + p.port()) && info(n).contains("master_link_status:up"));
                if (linked) {
                    sentinels.awaitPrimary(p.port());
                    return p;
                }
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the servers did not settle on one primary with linked replicas within 60 s");
    }

    private static String info(RedisServer n) {
        return (String) n.command("INFO", "replication");
    }

    /** Writes once a millisecond; notes when the first write sent after the fault succeeded. */
    private static final class Round implements Runnable {
        private final Writer w;
        private final Timeline timeline;
        volatile long faultAt = Long.MAX_VALUE;
        volatile long firstAfter;
        volatile boolean stop;

        Round(Writer w, Timeline timeline) {
            this.w = w;
            this.timeline = timeline;
        }

        @Override
        public void run() {
            String last = "ok";
            int same = 0;
            for (long i = 0; !stop; i++) {
                long sent = System.nanoTime();
                String outcome;
                try {
                    w.set("gap", Long.toString(i));
                    outcome = "ok";
                    if (sent - faultAt > 0 && firstAfter == 0) {
                        firstAfter = System.nanoTime();
                        timeline.add(firstAfter, "first write sent after the kill succeeded");
                    }
                } catch (RuntimeException e) {
                    // the outage: keep trying, as an application would
                    outcome = e.getClass().getSimpleName() + ": " + String.valueOf(e.getMessage()).lines().findFirst()
                            .orElse("");
                }
                if (TIMELINE && !outcome.equals(last)) { // an outcome change, with how many writes the last one lasted
                    timeline.add(System.nanoTime(), "writes: " + abbreviate(outcome) + " (after " + same + " x "
                            + abbreviate(last) + ")");
                    last = outcome;
                    same = 0;
                }
                same++;
                LockSupport.parkNanos(WRITE_EVERY_NANOS);
            }
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 140 ? s.substring(0, 140) + "..." : s;
    }

    /** What happened in a round, in ms from the kill ({@code -Dgap.timeline=true}). */
    static final class Timeline {
        private final List<String> events = new ArrayList<>();
        private final List<Long> at = new ArrayList<>();
        volatile long fault;

        synchronized void add(long nanos, String what) {
            if (events.size() < TIMELINE_MAX) {
                at.add(nanos);
                events.add(what);
            }
        }

        synchronized void print(String client) {
            System.out.println("  timeline of " + client + " (ms from the kill):");
            Integer[] idx = new Integer[events.size()];
            for (int i = 0; i < idx.length; i++) {
                idx[i] = i;
            }
            java.util.Arrays.sort(idx, java.util.Comparator.comparingLong(at::get));
            for (int i : idx) {
                System.out.printf("    %+8.1f  %s%n", (at.get(i) - fault) / 1e6, events.get(i));
            }
        }
    }

    /** The first sentinel's messages about the master ({@code PSUBSCRIBE *}), into the timeline. */
    private static final class SentinelEvents implements AutoCloseable {
        private final redis.clients.jedis.Jedis jedis;
        private final redis.clients.jedis.JedisPubSub sub;
        private final Thread thread;

        SentinelEvents(RedisSentinel sentinels, Timeline timeline) throws InterruptedException {
            RedisServer s = sentinels.sentinels().getFirst();
            jedis = new redis.clients.jedis.Jedis(s.host(), s.port());
            java.util.concurrent.CountDownLatch on = new java.util.concurrent.CountDownLatch(1);
            sub = new redis.clients.jedis.JedisPubSub() {
                @Override public void onPSubscribe(String pattern, int count) {
                    on.countDown();
                }

                @Override public void onPMessage(String pattern, String channel, String message) {
                    if (!channel.startsWith("__sentinel__")) {
                        timeline.add(System.nanoTime(), "sentinel " + s.port() + ": " + channel + " " + message);
                    }
                }
            };
            thread = Thread.ofPlatform().daemon().name("gap-sentinel-events").start(() -> jedis.psubscribe(sub, "*"));
            on.await(5, TimeUnit.SECONDS);
        }

        @Override public void close() {
            sub.punsubscribe();
            try {
                thread.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            jedis.close();
        }
    }

    static Writer open(String name, RedisSentinel sentinels) {
        List<Integer> ports = sentinels.sentinels().stream().map(RedisServer::port).toList();
        return switch (name) {
            case "respin" -> respin(sentinels);
            case "lettuce" -> lettuce(sentinels.masterName(), ports);
            case "jedis" -> jedis(sentinels.masterName(), ports);
            default -> throw new IllegalArgumentException(name);
        };
    }

    private static Writer respin(RedisSentinel sentinels) {
        var client = io.respin.client.RedisClient.builder("redis-sentinel://" + String.join(",", sentinels.seeds()) + "/"
                + sentinels.masterName()).commandTimeout(Duration.ofSeconds(1)).build();
        var sync = client.sync();
        return writer(sync::set, client::close);
    }

    private static Writer lettuce(String master, List<Integer> ports) {
        RedisURI.Builder uri = RedisURI.Builder.sentinel("127.0.0.1", ports.getFirst(), master);
        for (int p : ports.subList(1, ports.size())) {
            uri.withSentinel("127.0.0.1", p);
        }
        uri.withTimeout(Duration.ofSeconds(1));
        io.lettuce.core.RedisClient client = io.lettuce.core.RedisClient.create(uri.build());
        var connection = client.connect();
        var sync = connection.sync();
        return writer(sync::set, () -> {
            connection.close();
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        });
    }

    private static Writer jedis(String master, List<Integer> ports) {
        Set<redis.clients.jedis.HostAndPort> seeds = new java.util.LinkedHashSet<>();
        ports.forEach(p -> seeds.add(new redis.clients.jedis.HostAndPort("127.0.0.1", p)));
        redis.clients.jedis.RedisSentinelClient client = redis.clients.jedis.RedisSentinelClient.builder()
                .masterName(master).sentinels(seeds)
                .clientConfig(redis.clients.jedis.DefaultJedisClientConfig.builder().timeoutMillis(1000).build())
                .build();
        return writer(client::set, client::close);
    }

    private static Writer writer(java.util.function.BiConsumer<String, String> set, Runnable close) {
        return new Writer() {
            @Override public void set(String key, String value) {
                set.accept(key, value);
            }

            @Override public void close() {
                close.run();
            }
        };
    }
}
