package io.respin.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.respin.client.sync.RedisCommands;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * 10,000 virtual threads doing SET then GET through one sync client: one connection, auto-pipelined, every
 * thread reads back its own value.
 */
class VirtualThreadsTest {

    @Test
    void tenThousandVirtualThreadsShareOneSyncClient() throws Exception {
        RedisCommands<String, String> redis = Redis.client(3).sync();
        long clientsBefore = connectedClients(redis);
        AtomicInteger correct = new AtomicInteger();
        try (ExecutorService vts = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> tasks = new ArrayList<>();
            for (int i = 0; i < 10_000; i++) {
                String key = "vt:" + i;
                String value = "value-" + i;
                tasks.add(vts.submit(() -> {
                    redis.set(key, value);
                    if (value.equals(redis.get(key))) {
                        correct.incrementAndGet();
                    }
                }));
            }
            for (Future<?> f : tasks) {
                f.get(); // rethrows any command's failure
            }
        }
        assertEquals(10_000, correct.get());
        assertEquals(clientsBefore, connectedClients(redis), "no extra connections were opened");
        var p = Redis.client(3).pipeline();
        for (int i = 0; i < 10_000; i++) {
            p.del("vt:" + i);
        }
        p.awaitAll();
    }

    private static long connectedClients(RedisCommands<String, String> redis) {
        return Long.parseLong(redis.info("clients").get("connected_clients"));
    }
}
