package io.respin.perf.jmh;

import io.lettuce.core.RedisURI;
import io.lettuce.core.TrackingArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.support.caching.CacheAccessor;
import io.lettuce.core.support.caching.CacheFrontend;
import io.lettuce.core.support.caching.ClientSideCaching;
import io.respin.client.RedisClient;
import io.respin.client.async.CacheSettings;
import io.respin.client.sync.CachedCommands;
import io.respin.testkit.RedisServer;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Client-side caching (issue 19): GET over a hot keyspace with 90% hits — nine reads in ten of 1,000 hot keys
 * (cached after the first read), one in ten of a key never read before (a miss for every client) — through respin's
 * cache (with its default 60 s TTL, and {@code respin-cached-no-ttl} without a client TTL: a hit then reads no clock),
 * through respin without it, and through Lettuce's {@code ClientSideCaching} (a map frontend over one RESP3
 * connection with tracking), and through Jedis' cache ({@code jedis-cached}: a {@code RedisClient} over RESP3 with its
 * {@code DefaultCache}; Jedis refuses its cache on a server older than Redis 7.4 unless the cache reports
 * {@code compatibilityMode()}, which the benchmark's cache does: tracking itself is Redis 6.0's, and this machine has
 * 7.0). A redis-server is started for the run. Score is per GET; {@code -prof gc} gives B/op.
 *
 * <pre>{@code
 * java -cp perf/target/respin-perf.jar org.openjdk.jmh.Main CacheBenchmark -t 1 -prof gc
 * java -cp perf/target/respin-perf.jar org.openjdk.jmh.Main CacheBenchmark -t 16 -prof gc
 * java -cp perf/target/respin-perf.jar org.openjdk.jmh.Main 'CacheBenchmark.hit' -p client=respin-cached,lettuce-cached -t 1
 * java -cp perf/target/respin-perf.jar org.openjdk.jmh.Main 'CacheBenchmark.hit' -p client=respin-cached,lettuce-cached -t 16
 * }</pre>
 * {@code get} is the 90%-hit mix; {@code hit} reads only hot keys (every read a hit once warm).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class CacheBenchmark {
    static final int HOT = 1000;
    static final String[] HOT_KEYS = new String[HOT];

    static {
        for (int i = 0; i < HOT; i++) {
            HOT_KEYS[i] = "hot:" + i;
        }
    }

    @Param({"respin-cached", "respin-cached-no-ttl", "respin", "lettuce-cached", "jedis-cached"})
    public String client;

    private RedisServer server;
    private RedisClient respin;
    private io.lettuce.core.RedisClient lettuce;
    private StatefulRedisConnection<String, String> lettuceConnection;
    private redis.clients.jedis.RedisClient jedis;
    private Function<String, String> get;
    private final AtomicInteger threads = new AtomicInteger();

    @Setup(Level.Trial)
    public void setUp() {
        server = RedisServer.builder().start();
        Map<String, String> values = new HashMap<>();
        for (String k : HOT_KEYS) {
            values.put(k, "v".repeat(100));
        }
        switch (client) {
            case "respin-cached", "respin-cached-no-ttl" -> {
                CacheSettings.Builder settings = CacheSettings.builder().maxBytes(16L << 20); // default ttl: 60 s
                if (client.endsWith("no-ttl")) {
                    settings.ttl(CacheSettings.NO_TTL); // what Lettuce's map does: kept until the key changes
                }
                respin = RedisClient.builder(server.uri()).clientCache(settings.build()).build();
                respin.sync().mset(values);
                CachedCommands<String, String> cached = respin.cached();
                get = cached::get;
            }
            case "respin" -> {
                respin = RedisClient.create(server.uri());
                respin.sync().mset(values);
                get = respin.sync()::get;
            }
            case "lettuce-cached" -> {
                lettuce = io.lettuce.core.RedisClient.create(RedisURI.create(server.uri()));
                lettuceConnection = lettuce.connect();
                lettuceConnection.sync().mset(values);
                CacheFrontend<String, String> frontend = ClientSideCaching.enable(
                        CacheAccessor.forMap(new ConcurrentHashMap<>()), lettuceConnection, TrackingArgs.Builder.enabled());
                get = frontend::get;
            }
            case "jedis-cached" -> {
                // Jedis' own LRU cache of 10,000 entries (the hot keys fit); compatibilityMode: see the class comment
                redis.clients.jedis.csc.Cache cache = new redis.clients.jedis.csc.DefaultCache(10_000) {
                    @Override
                    public boolean compatibilityMode() {
                        return true;
                    }
                };
                jedis = redis.clients.jedis.RedisClient.builder()
                        .hostAndPort(server.host(), server.port())
                        .clientConfig(redis.clients.jedis.DefaultJedisClientConfig.builder()
                                .protocol(redis.clients.jedis.RedisProtocol.RESP3).build())
                        .cache(cache)
                        .build();
                jedis.mset(values.entrySet().stream()
                        .flatMap(e -> java.util.stream.Stream.of(e.getKey(), e.getValue())).toArray(String[]::new));
                get = jedis::get;
            }
            default -> throw new IllegalArgumentException(client);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (respin != null) {
            respin.close();
        }
        if (jedis != null) {
            jedis.close();
        }
        if (lettuceConnection != null) {
            lettuceConnection.close();
            lettuce.shutdown();
        }
        server.close();
    }

    /** One benchmark thread's place in its key sequence. */
    @State(Scope.Thread)
    public static class Cursor {
        long n;
        int id;
        long rnd;

        @Setup(Level.Trial)
        public void setUp(CacheBenchmark b) {
            id = b.threads.incrementAndGet();
            rnd = 0x9E3779B97F4A7C15L * id;
        }
    }

    @Benchmark
    public String get(Cursor c) {
        long i = c.n++;
        if (i % 10 == 9) {
            return get.apply("cold:" + c.id + ":" + i); // never read before: a miss
        }
        long r = c.rnd = c.rnd * 6364136223846793005L + 1442695040888963407L;
        return get.apply(HOT_KEYS[(int) ((r >>> 33) % HOT)]);
    }

    /** Every read a hit (the hot keys only, after the warm-up): what a hit itself costs. */
    @Benchmark
    public String hit(Cursor c) {
        long r = c.rnd = c.rnd * 6364136223846793005L + 1442695040888963407L;
        return get.apply(HOT_KEYS[(int) ((r >>> 33) % HOT)]);
    }
}
