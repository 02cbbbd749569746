package io.respin.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** SUBSCRIBE / PSUBSCRIBE / SSUBSCRIBE with listeners, on RESP2 and RESP3; MONITOR as a stream of lines. */
class PubSubTest {

    @ParameterizedTest(name = "RESP{0}")
    @ValueSource(ints = {2, 3})
    void channelsPatternsAndShardChannels(int resp) throws InterruptedException {
        try (RedisClient client = RedisClient.builder(Redis.server().uri()).protocol(resp).build()) {
            BlockingQueue<PubSubMessage> got = new LinkedBlockingQueue<>();
            var publisher = Redis.client(resp).sync();
            try (Subscription s = client.subscribe(got::add, "news", "sport");
                 Subscription p = client.psubscribe(got::add, "orders.*");
                 Subscription sh = client.ssubscribe(got::add, "shard")) {
                assertEquals("1", publisher.execute("PUBLISH", "news", "hello").asString(), "one subscriber");
                assertEquals(new PubSubMessage("news", null, "hello"), got.poll(5, TimeUnit.SECONDS));
                publisher.execute("PUBLISH", "orders.eu", "o1");
                assertEquals(new PubSubMessage("orders.eu", "orders.*", "o1"), got.poll(5, TimeUnit.SECONDS));
                publisher.execute("SPUBLISH", "shard", "s1");
                assertEquals(new PubSubMessage("shard", null, "s1"), got.poll(5, TimeUnit.SECONDS));
                // the shared connection still runs ordinary commands while subscribed
                assertEquals("PONG", client.sync().ping());
                assertEquals(s.names().size(), 2);
                assertTrue(p.names().contains("orders.*"));
                assertEquals(java.util.List.of("shard"), sh.names());
            }
            // unsubscribed: nothing more arrives
            publisher.execute("PUBLISH", "news", "late");
            client.sync().ping();
            assertNull(got.poll(200, TimeUnit.MILLISECONDS));
        }
    }

    @ParameterizedTest(name = "RESP{0}")
    @ValueSource(ints = {2, 3})
    void monitorStreamsCommands(int resp) throws InterruptedException {
        try (RedisClient watcher = RedisClient.builder(Redis.server().uri()).protocol(resp)
                .commandTimeout(Duration.ofSeconds(5)).build()) {
            BlockingQueue<String> lines = new LinkedBlockingQueue<>();
            watcher.monitor(lines::add);
            Redis.client(resp).sync().set("monitored:" + resp, "v");
            String line;
            do {
                line = lines.poll(5, TimeUnit.SECONDS);
            } while (line != null && !line.contains("monitored:" + resp));
            assertTrue(line != null && line.contains("\"SET\""), "MONITOR showed the SET: " + line);
        }
    }
}
