package io.respin.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.respin.RedisBackpressureException;
import io.respin.RedisTimeoutException;
import io.respin.client.async.RedisPipeline;
import io.respin.io.IoSettings;
import io.respin.testkit.FaultProxy;
import io.respin.testkit.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * An explicit pipeline holds its commands until it is flushed, then sends them with one wake-up, in one write: the
 * server sees none of them before the flush, and all 128 arrive in a read or two.
 */
class PipelineTest {

    @Test
    void aPipelineHoldsItsCommandsUntilTheFlushThenSendsThemInOneWrite() throws Exception {
        try (RedisServer server = RedisServer.builder().start();
             RedisClient client = RedisClient.create(server.uri())) {
            client.sync().set("p:k", "v");
            RedisPipeline<String, String> p = client.pipeline();
            List<CompletableFuture<String>> gets = new ArrayList<>();
            for (int i = 0; i < 128; i++) {
                gets.add(p.get("p:k"));
            }
            Thread.sleep(100);
            assertEquals(0, RetryReadOnlyTest.calls(server, "get"), "nothing is sent before the flush");
            assertTrue(gets.stream().noneMatch(CompletableFuture::isDone));
            long readsBefore = stat(server, "total_reads_processed");
            p.flush();
            for (CompletableFuture<String> g : gets) {
                assertEquals("v", g.get(5, TimeUnit.SECONDS));
            }
            long reads = stat(server, "total_reads_processed") - readsBefore - 1; // the INFO read itself
            assertEquals(128, RetryReadOnlyTest.calls(server, "get"));
            assertTrue(reads <= 2, "the 128 GETs took " + reads + " reads on the server: they went out in one write");
            assertEquals(128, p.awaitAll().size(), "awaitAll returns every outcome of the batch");
        }
    }

    /**
     * awaitAll runs the batch's completions on its own thread, in submit order (a Gather): the completion thread
     * never sees them, so the wait costs one wake-up of the caller. A callback attached before awaitAll has run when
     * it returns, on the caller's thread.
     */
    @Test
    void awaitAllCompletesTheBatchOnTheCallingThreadInOrder() {
        try (RedisServer server = RedisServer.builder().start();
             RedisClient client = RedisClient.create(server.uri())) {
            client.sync().set("p:k", "v");
            Thread caller = Thread.currentThread();
            for (int round = 0; round < 20; round++) {
                RedisPipeline<String, String> p = client.pipeline();
                List<Thread> ranOn = Collections.synchronizedList(new ArrayList<>());
                List<Integer> order = Collections.synchronizedList(new ArrayList<>());
                for (int i = 0; i < 128; i++) {
                    int n = i;
                    p.get("p:k").thenRun(() -> {
                        ranOn.add(Thread.currentThread());
                        order.add(n);
                    });
                }
                List<Object> out = p.awaitAll();
                assertEquals(128, out.size());
                assertTrue(out.stream().allMatch("v"::equals), "every GET returned its value: " + out);
                assertEquals(128, ranOn.size(), "every callback has run when awaitAll returns");
                assertTrue(ranOn.stream().allMatch(t -> t == caller),
                        "callbacks ran on " + ranOn.stream().filter(t -> t != caller).findFirst().orElse(null)
                                + ", not on the caller " + caller);
                for (int i = 0; i < 128; i++) {
                    assertEquals(i, order.get(i), "completions in submit order");
                }
            }
        }
    }

    /** A gathered batch against a server that stopped answering ends by the commands' deadlines: no hang. */
    @Test
    void aGatheredBatchEndsByItsDeadlinesWhenTheServerStalls() {
        try (RedisServer server = RedisServer.builder().start();
             FaultProxy proxy = FaultProxy.start(server);
             RedisClient client = RedisClient.builder(proxy.uri()).commandTimeout(Duration.ofMillis(300)).build()) {
            client.sync().set("p:k", "v");
            proxy.stall(FaultProxy.Direction.TO_CLIENT);
            RedisPipeline<String, String> p = client.pipeline();
            for (int i = 0; i < 16; i++) {
                p.get("p:k");
            }
            List<Object> out = p.awaitAll();
            assertEquals(16, out.size());
            assertTrue(out.stream().allMatch(o -> o instanceof RedisTimeoutException), "each timed out: " + out);
            proxy.resume();
            RedisPipeline<String, String> again = client.pipeline();
            again.get("p:k");
            assertEquals(List.of("v"), again.awaitAll(), "the client recovers");
        }
    }

    /** Commands refused at the flush (FAIL_FAST at the bound) count as ended: awaitAll returns every outcome. */
    @Test
    void refusedCommandsOfAGatheredBatchFailTheirOwnFuturesOnly() {
        try (RedisServer server = RedisServer.builder().start();
             FaultProxy proxy = FaultProxy.start(server);
             RedisClient client = RedisClient.builder(proxy.uri()).commandTimeout(Duration.ofMillis(500))
                     .maxPendingCommands(8).backpressure(IoSettings.Backpressure.FAIL_FAST).build()) {
            client.sync().set("p:k", "v");
            proxy.stall(FaultProxy.Direction.TO_CLIENT);
            RedisPipeline<String, String> p = client.pipeline();
            for (int i = 0; i < 32; i++) {
                p.get("p:k");
            }
            List<Object> out = p.awaitAll();
            assertEquals(32, out.size());
            long refused = out.stream().filter(o -> o instanceof RedisBackpressureException).count();
            long timedOut = out.stream().filter(o -> o instanceof RedisTimeoutException).count();
            assertEquals(24, refused, "beyond the bound of 8: " + out);
            assertEquals(8, timedOut, "the 8 let in ended by their deadline: " + out);
        }
    }

    private static long stat(RedisServer server, String name) {
        String info = server.info("stats");
        int at = info.indexOf(name + ":") + name.length() + 1;
        int end = at;
        while (end < info.length() && Character.isDigit(info.charAt(end))) {
            end++;
        }
        return Long.parseLong(info.substring(at, end));
    }
}
