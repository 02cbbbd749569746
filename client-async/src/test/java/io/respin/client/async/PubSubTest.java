package io.respin.client.async;

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
            BlockingQueue<PubSubMessage<String>> got = new LinkedBlockingQueue<>();
            var publisher = Redis.client(resp).async();
            Subscription failing = client.subscribe(m -> {
                throw new IllegalStateException("a listener with a bug");
            }, "news");
            try (Subscription s = client.subscribe(got::add, "news", "sport");
                 Subscription p = client.psubscribe(got::add, "orders.*");
                 Subscription sh = client.ssubscribe(got::add, "shard")) {
                assertEquals("1", publisher.execute("PUBLISH", "news", "hello").join().asString(), "one subscriber connection");
                assertEquals(new PubSubMessage<>("news", null, "hello"), got.poll(5, TimeUnit.SECONDS));
                publisher.execute("PUBLISH", "orders.eu", "o1").join();
                assertEquals(new PubSubMessage<>("orders.eu", "orders.*", "o1"), got.poll(5, TimeUnit.SECONDS));
                publisher.execute("SPUBLISH", "shard", "s1").join();
                assertEquals(new PubSubMessage<>("shard", null, "s1"), got.poll(5, TimeUnit.SECONDS));
                // the shared connection still runs ordinary commands while subscribed
                assertEquals("PONG", client.async().ping().join());
                assertEquals(s.names().size(), 2);
                assertTrue(p.names().contains("orders.*"));
                assertEquals(java.util.List.of("shard"), sh.names());
            }
            failing.close();
            // unsubscribed: nothing more arrives
            publisher.execute("PUBLISH", "news", "late").join();
            client.async().ping().join();
            assertNull(got.poll(200, TimeUnit.MILLISECONDS));
        }
    }

    @ParameterizedTest(name = "RESP{0}")
    @ValueSource(ints = {2, 3})
    void blockingStreamWithABoundedQueue(int resp) throws InterruptedException {
        try (RedisClient client = RedisClient.builder(Redis.server().uri()).protocol(resp).build()) {
            var publisher = Redis.client(resp).async();
            try (PubSubStream<String> stream = client.subscribeStream(2, "stream" + resp)) {
                for (int i = 0; i < 5; i++) {
                    publisher.publish("stream" + resp, "m" + i).join();
                }
                // nobody takes yet: the queue holds 2, the other 3 are dropped and counted as they arrive
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (stream.dropped() < 3 && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
                assertEquals(3, stream.dropped());
                assertEquals("m0", stream.take().message());
                assertEquals("m1", stream.poll(Duration.ofSeconds(5)).message());
                assertNull(stream.poll(Duration.ofMillis(50)));
                assertEquals(java.util.List.of("stream" + resp), stream.names());
            }
            try (PubSubStream<String> p = client.psubscribeStream(10, "pat" + resp + ".*")) {
                publisher.publish("pat" + resp + ".x", "hi").join();
                assertEquals(new PubSubMessage<>("pat" + resp + ".x", "pat" + resp + ".*", "hi"), p.take());
            }
        }
    }

    @ParameterizedTest(name = "RESP{0}")
    @ValueSource(ints = {2, 3})
    void subscriptionsComeBackAfterTheConnectionIsKilled(int resp) throws InterruptedException {
        try (RedisClient client = RedisClient.builder(Redis.server().uri()).protocol(resp).build()) {
            BlockingQueue<PubSubMessage<String>> got = new LinkedBlockingQueue<>();
            var admin = Redis.client(resp).async();
            String channel = "reconnect" + resp;
            try (Subscription s = client.subscribe(got::add, channel)) {
                assertEquals(1L, admin.publish(channel, "before").join());
                assertEquals("before", got.poll(5, TimeUnit.SECONDS).message());
                assertTrue(admin.execute("CLIENT", "KILL", "TYPE", "pubsub").join().asString().matches("[1-9]\\d*"));
                // wait for the IO runtime to reconnect and resubscribe: PUBLISH counts the subscriber again
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (admin.publish(channel, "probe").join() == 0 && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
                assertEquals(1L, admin.publish(channel, "after").join());
                String m;
                do {
                    m = got.poll(5, TimeUnit.SECONDS).message();
                } while (m.equals("probe") || m.equals("before"));
                assertEquals("after", m);
                assertEquals(1, s.names().size());
            }
        }
    }

    @ParameterizedTest(name = "RESP{0}")
    @ValueSource(ints = {2, 3})
    void monitorStreamsCommands(int resp) throws InterruptedException {
        try (RedisClient watcher = RedisClient.builder(Redis.server().uri()).protocol(resp)
                .commandTimeout(Duration.ofSeconds(5)).build()) {
            BlockingQueue<MonitorEvent> events = new LinkedBlockingQueue<>();
            watcher.monitor(events::add);
            Redis.client(resp).async().set("monitored:" + resp, "v \"quoted\"\n").join();
            MonitorEvent e;
            do {
                e = events.poll(5, TimeUnit.SECONDS);
            } while (e != null && !e.line().contains("monitored:" + resp));
            assertTrue(e != null, "MONITOR showed the SET");
            assertEquals(java.util.List.of("SET", "monitored:" + resp, "v \"quoted\"\n"), e.args(), e.line());
            assertEquals(0, e.db());
            assertTrue(e.client().startsWith("127.0.0.1:"), e.client());
            assertTrue(e.timestampMicros() > 1_600_000_000_000_000L);
        }
    }
}
