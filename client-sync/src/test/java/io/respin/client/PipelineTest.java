package io.respin.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.respin.client.async.RedisPipeline;
import io.respin.testkit.RedisServer;
import java.util.ArrayList;
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
