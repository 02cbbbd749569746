package io.respin.perf.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.respin.perf.client.AsyncBenchClient;
import io.respin.perf.client.BenchClient;
import io.respin.perf.client.JedisPipelinedClient;
import io.respin.perf.client.JedisPooledClient;
import io.respin.perf.client.LettuceAsyncClient;
import io.respin.perf.client.SyncBenchClient;
import io.respin.perf.measure.RunResult;
import io.respin.testkit.RedisServer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The seed workload checks every value it read and every value the server holds after it. */
class SeedTest {
    private static final int N = 300;
    private static RedisServer server;
    private static AdminConnection admin;

    @BeforeAll
    static void start() throws Exception {
        server = RedisServer.builder().start();
        admin = AdminConnection.open(server.uri());
    }

    @AfterAll
    static void stop() throws Exception {
        admin.close();
        server.close();
    }

    private static RunContext ctx() {
        return new RunContext(server.uri(), admin, new KeySpace(10, 3), 0, 1, N, 4, Clock.SYSTEM, c -> 0);
    }

    @Test
    void correctClientsPassInEveryShape() {
        try (BenchClient async = new LettuceAsyncClient(server.uri());
             BenchClient sync = new JedisPooledClient(server.uri(), 16);
             BenchClient pipelined = new JedisPipelinedClient(server.uri())) {
            for (BenchClient c : new BenchClient[] {async, sync, pipelined}) {
                RunResult r = Seed.run("seed", c, ctx());
                assertEquals(0, r.errors(), c.name() + ": " + r.note());
                assertTrue(r.operations() >= N && r.operations() % N == 0, c.name() + " ops " + r.operations());
            }
        }
    }

    @Test
    void aWrongValueReadIsCounted() throws Exception {
        try (LettuceAsyncClient real = new LettuceAsyncClient(server.uri())) {
            AsyncBenchClient lying = new AsyncBenchClient() {
                @Override
                public CompletionStage<byte[]> get(byte[] key) {
                    // the reply for seed:000000000007 comes back altered
                    return real.get(key).thenApply(v -> isSeven(key) ? "r:0:7".getBytes(StandardCharsets.US_ASCII) : v);
                }

                @Override
                public CompletionStage<?> set(byte[] key, byte[] value) {
                    return real.set(key, value);
                }

                @Override
                public CompletionStage<?> setex(byte[] key, long seconds, byte[] value) {
                    return real.setex(key, seconds, value);
                }

                @Override
                public String name() {
                    return "lying-reader";
                }

                @Override
                public void close() {
                }
            };
            RunResult r = Seed.run("seed", lying, ctx());
            assertTrue(r.errors() >= 1, "errors " + r.errors());
            assertTrue(r.note().contains("GET returned 'r:0:7'"), r.note());
        }
    }

    @Test
    void aWrongValueWrittenIsCounted() {
        try (JedisPooledClient real = new JedisPooledClient(server.uri(), 16)) {
            SyncBenchClient lying = new SyncBenchClient() {
                @Override
                public byte[] get(byte[] key) {
                    return real.get(key);
                }

                @Override
                public void set(byte[] key, byte[] value) {
                    real.set(key, value);
                }

                @Override
                public void setex(byte[] key, long seconds, byte[] value) {
                    // seed:000000000007 is never written: the server keeps the old value
                    if (!isSeven(key)) {
                        real.setex(key, seconds, value);
                    }
                }

                @Override
                public String name() {
                    return "lying-writer";
                }

                @Override
                public void close() {
                }
            };
            RunResult r = Seed.run("seed", lying, ctx());
            assertTrue(r.errors() >= 1, "errors " + r.errors());
            assertTrue(r.note().contains("after SETEX"), r.note());
        }
    }

    @Test
    void aSetWithoutExpiryIsCounted() {
        try (JedisPooledClient real = new JedisPooledClient(server.uri(), 16)) {
            SyncBenchClient noTtl = new SyncBenchClient() {
                @Override
                public byte[] get(byte[] key) {
                    return real.get(key);
                }

                @Override
                public void set(byte[] key, byte[] value) {
                    real.set(key, value);
                }

                @Override
                public void setex(byte[] key, long seconds, byte[] value) {
                    real.set(key, value); // the right value, but no TTL
                }

                @Override
                public String name() {
                    return "no-ttl";
                }

                @Override
                public void close() {
                }
            };
            RunResult r = Seed.run("seed", noTtl, ctx());
            assertTrue(r.errors() >= 2, "errors " + r.errors());
            assertTrue(r.note().contains("TTL of seed:000000000000 is -1"), r.note());
        }
    }

    private static boolean isSeven(byte[] key) {
        return Arrays.equals(key, KeySpace.name("seed", 7));
    }
}
