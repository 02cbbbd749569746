package io.respin.client.async;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.respin.engine.command.Codec;
import io.respin.engine.command.ScanArgs;
import io.respin.engine.command.ScoredValue;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the blocking API has, the asynchronous one has too: pub/sub without waiting (listeners, Flow.Publisher),
 * MONITOR without waiting, lazy SCAN cursors and SCAN publishers; and pub/sub payloads through a codec. RESP2 and 3.
 */
class AsyncParityTest {

    @ParameterizedTest(name = "RESP{0}")
    @ValueSource(ints = {2, 3})
    void asyncSubscribeDeliversAndCloseAsyncUnsubscribes(int resp) throws InterruptedException {
        try (RedisClient client = RedisClient.builder(Redis.server().uri()).protocol(resp).build()) {
            var publisher = Redis.client(resp).async();
            BlockingQueue<PubSubMessage<String>> got = new LinkedBlockingQueue<>();
            String ch = "async-news" + resp;
            Subscription s = client.pubSub().subscribeAsync(got::add, ch).join();
            Subscription p = client.pubSub().psubscribeAsync(got::add, "async-orders" + resp + ".*").join();
            Subscription sh = client.pubSub().ssubscribeAsync(got::add, "async-shard" + resp).join();
            assertEquals(1L, publisher.publish(ch, "hello").join(), "subscribed once the future completed");
            assertEquals(new PubSubMessage<>(ch, null, "hello"), got.poll(5, TimeUnit.SECONDS));
            publisher.publish("async-orders" + resp + ".eu", "o1").join();
            assertEquals(new PubSubMessage<>("async-orders" + resp + ".eu", "async-orders" + resp + ".*", "o1"),
                    got.poll(5, TimeUnit.SECONDS));
            publisher.execute("SPUBLISH", "async-shard" + resp, "s1").join();
            assertEquals(new PubSubMessage<>("async-shard" + resp, null, "s1"), got.poll(5, TimeUnit.SECONDS));
            CompletableFuture.allOf(s.closeAsync(), p.closeAsync(), sh.closeAsync()).join();
            assertEquals(0L, publisher.publish(ch, "late").join(), "the server counts no subscriber after closeAsync");
            s.closeAsync().join(); // twice is harmless
            client.async().ping().join();
            assertNull(got.poll(100, TimeUnit.MILLISECONDS));
            IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                    () -> client.pubSub().subscribeAsync(got::add));
            assertTrue(none.getMessage().contains("at least one channel"), none.getMessage());
        }
    }

    @ParameterizedTest(name = "RESP{0}")
    @ValueSource(ints = {2, 3})
    void bytePayloadsGoThroughTheCodec(int resp) throws InterruptedException {
        try (RedisClient client = RedisClient.builder(Redis.server().uri()).protocol(resp).build()) {
            BlockingQueue<PubSubMessage<byte[]>> got = new LinkedBlockingQueue<>();
            BlockingQueue<PubSubMessage<String>> text = new LinkedBlockingQueue<>();
            String ch = "frames" + resp;
            try (Subscription bin = client.pubSub(Codec.bytes()).subscribe(got::add, ch);
                 Subscription str = client.subscribe(text::add, ch)) {
                byte[] frame = {0, (byte) 0xff, (byte) 0xc3, 0x28, '\r', '\n', 7}; // not valid UTF-8
                assertEquals(1L, Redis.client(resp).async(Codec.bytes())
                        .publish(ch, frame).join(), "one subscriber connection");
                PubSubMessage<byte[]> m = got.poll(5, TimeUnit.SECONDS);
                assertEquals(ch, m.channel());
                assertArrayEquals(frame, m.message(), "the bytes exactly as published");
                assertEquals(new String(frame, StandardCharsets.UTF_8), text.poll(5, TimeUnit.SECONDS).message(),
                        "the default codec decodes the same payload as UTF-8");
                assertEquals(List.of(ch), bin.names());
                assertEquals(List.of(ch), str.names());
            }
            // a codec of your own: payloads as numbers
            BlockingQueue<PubSubMessage<Long>> numbers = new LinkedBlockingQueue<>();
            Codec<String, Long> longs = new Codec<>() {
                @Override public io.respin.engine.resp.RespWriter writeKey(io.respin.engine.resp.RespWriter w, String k) {
                    return w.arg(k);
                }
                @Override public io.respin.engine.resp.RespWriter writeValue(io.respin.engine.resp.RespWriter w, Long v) {
                    return w.arg(Long.toString(v));
                }
                @Override public String decodeKey(java.lang.foreign.MemorySegment d, long o, long n) {
                    return Codec.utf8().decodeKey(d, o, n);
                }
                @Override public Long decodeValue(java.lang.foreign.MemorySegment d, long o, long n) {
                    return Long.parseLong(Codec.utf8().decodeValue(d, o, n));
                }
            };
            try (PubSubStream<Long> s = client.pubSub(longs).psubscribeStream(4, "counter" + resp + ".*")) {
                Redis.client(resp).async().publish("counter" + resp + ".a", "42").join();
                assertEquals(new PubSubMessage<>("counter" + resp + ".a", "counter" + resp + ".*", 42L), s.take());
            }
        }
    }

    @ParameterizedTest(name = "RESP{0}")
    @ValueSource(ints = {2, 3})
    void subscriptionAsAFlowPublisher(int resp) throws InterruptedException {
        try (RedisClient client = RedisClient.builder(Redis.server().uri()).protocol(resp).build()) {
            String ch = "flow" + resp;
            PubSubPublisher<String> pub = client.pubSub().subscribePublisher(16, ch).join();
            BlockingQueue<Object> signals = new LinkedBlockingQueue<>();
            Flow.Subscription[] handle = new Flow.Subscription[1];
            CompletableFuture<Void> subscribed = new CompletableFuture<>();
            pub.subscribe(new Flow.Subscriber<PubSubMessage<String>>() {
                @Override public void onSubscribe(Flow.Subscription s) {
                    handle[0] = s;
                    subscribed.complete(null);
                }
                @Override public void onNext(PubSubMessage<String> m) {
                    signals.add(m.message());
                }
                @Override public void onError(Throwable t) {
                    signals.add(t);
                }
                @Override public void onComplete() {
                    signals.add("complete");
                }
            });
            subscribed.join();
            var publisher = Redis.client(resp).async();
            publisher.publish(ch, "a").join();
            publisher.publish(ch, "b").join();
            client.async().ping().join(); // both pushes were read before this reply
            assertNull(signals.poll(100, TimeUnit.MILLISECONDS), "nothing delivered before request()");
            handle[0].request(1);
            assertEquals("a", signals.poll(5, TimeUnit.SECONDS));
            assertNull(signals.poll(100, TimeUnit.MILLISECONDS), "exactly the demand");
            handle[0].request(Long.MAX_VALUE);
            assertEquals("b", signals.poll(5, TimeUnit.SECONDS));
            publisher.publish(ch, "c").join();
            assertEquals("c", signals.poll(5, TimeUnit.SECONDS));
            assertEquals(List.of(ch), pub.names());
            pub.close();
            assertEquals("complete", signals.poll(5, TimeUnit.SECONDS));
            assertEquals(0L, publisher.publish(ch, "after close").join());
            assertEquals(0, pub.dropped());
        }
    }

    @ParameterizedTest(name = "RESP{0}")
    @ValueSource(ints = {2, 3})
    void aFlowSubscriberThatFallsBehindLosesTheNewestMessagesCounted(int resp) throws InterruptedException {
        try (RedisClient client = RedisClient.builder(Redis.server().uri()).protocol(resp).build()) {
            String ch = "flow-slow" + resp;
            try (PubSubPublisher<String> pub = client.pubSub().psubscribePublisher(2, ch + "*").join()) {
                Collector<PubSubMessage<String>> slow = new Collector<>();
                pub.subscribe(slow);
                slow.subscription.join(); // requests nothing yet
                var publisher = Redis.client(resp).async();
                for (int i = 0; i < 40; i++) {
                    publisher.publish(ch, "m" + i).join();
                }
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (pub.dropped() == 0 && System.nanoTime() < deadline) {
                    Thread.onSpinWait(); // the pushes are routed on the push thread
                }
                assertTrue(pub.dropped() > 0, "a buffer of about 2 cannot hold 40");
                slow.subscription.join().request(100);
                int kept = 0;
                int last = -1;
                while (kept + pub.dropped() < 40 && System.nanoTime() < deadline) {
                    Object m = slow.items.poll(100, TimeUnit.MILLISECONDS);
                    if (m instanceof PubSubMessage<?> msg) {
                        int n = Integer.parseInt(((String) msg.message()).substring(1));
                        assertTrue(kept > 0 || n == 0, "the oldest message is kept: " + msg);
                        assertTrue(n > last, "in order: " + n + " after " + last);
                        last = n;
                        kept++;
                    }
                }
                assertEquals(40, kept + pub.dropped(), kept + " delivered, " + pub.dropped() + " dropped");
            }
        }
    }

    @ParameterizedTest(name = "RESP{0}")
    @ValueSource(ints = {2, 3})
    void aRefusedSubscriptionOrMonitorFailsItsFutureAndKeepsNoListener(int resp) throws InterruptedException {
        var admin = Redis.client(resp).async();
        String user = "parity-limited" + resp;
        admin.aclSetuser(user, "reset", "on", ">pw", "~*", "&allowed*", "+@all", "-monitor").join();
        try (RedisClient client = RedisClient.builder(Redis.server().uri()).protocol(resp).credentials(user, "pw")
                .build()) {
            BlockingQueue<PubSubMessage<String>> got = new LinkedBlockingQueue<>();
            CompletionException refused = assertThrows(CompletionException.class,
                    () -> client.pubSub().subscribeAsync(got::add, "forbidden" + resp).join());
            assertEquals("NOPERM", ((io.respin.RedisServerException) refused.getCause()).prefix());
            assertEquals("NOPERM", assertThrows(io.respin.RedisServerException.class,
                    () -> client.psubscribe(got::add, "forbidden*")).prefix(), "the blocking form throws the same");
            assertEquals("NOPERM", assertThrows(io.respin.RedisServerException.class,
                    () -> client.monitor(e -> got.add(new PubSubMessage<>("monitor", null, e.line())))).prefix());
            try (Subscription ok = client.subscribe(got::add, "allowed" + resp)) {
                admin.publish("forbidden" + resp, "not for you").join();
                admin.publish("allowed" + resp, "yes").join();
                assertEquals(new PubSubMessage<>("allowed" + resp, null, "yes"), got.poll(5, TimeUnit.SECONDS),
                        "the refused listener got nothing, and neither did the refused MONITOR");
                assertEquals(List.of("allowed" + resp), ok.names());
            }
        } finally {
            admin.aclDeluser(user).join();
        }
    }

    @ParameterizedTest(name = "RESP{0}")
    @ValueSource(ints = {2, 3})
    void monitorAsync(int resp) throws InterruptedException {
        try (RedisClient watcher = RedisClient.builder(Redis.server().uri()).protocol(resp)
                .commandTimeout(Duration.ofSeconds(5)).build()) {
            BlockingQueue<MonitorEvent> events = new LinkedBlockingQueue<>();
            watcher.pubSub().monitorAsync(events::add).join();
            Redis.client(resp).async().set("monitored-async:" + resp, "v").join();
            MonitorEvent e;
            do {
                e = events.poll(5, TimeUnit.SECONDS);
            } while (e != null && !e.line().contains("monitored-async:" + resp));
            assertTrue(e != null, "MONITOR showed the SET");
            assertEquals(List.of("SET", "monitored-async:" + resp, "v"), e.args(), e.line());
        }
    }

    @ParameterizedTest(name = "RESP{0}")
    @ValueSource(ints = {2, 3})
    void scanCursorsWalkPageByPage(int resp) {
        RedisAsyncCommands<String, String> redis = Redis.client(resp).async();
        String prefix = "parity-cursor" + resp + ":";
        RedisPipeline<String, String> p = Redis.client(resp).pipeline();
        Set<String> expected = new HashSet<>();
        for (int i = 0; i < 1_000; i++) {
            p.set(prefix + i, "v");
            expected.add(prefix + i);
        }
        p.hset(prefix + "h", Map.of("f1", "a", "f2", "b"));
        p.sadd(prefix + "s", "x", "y");
        p.zadd(prefix + "z", new io.respin.engine.command.ZAddArgs(), Map.of("m", 1.5));
        p.awaitAll();

        AsyncScanCursor<String> cursor = redis.scanCursor(new ScanArgs().match(prefix + "*").type("string").count(100));
        List<String> seen = new ArrayList<>();
        int pages = 0;
        while (!cursor.isDone()) {
            seen.addAll(cursor.next().join()); // one page in flight at a time
            pages++;
        }
        assertEquals(expected, new HashSet<>(seen));
        assertEquals(1_000, seen.size());
        assertTrue(pages > 1, "lazy: " + pages + " pages");
        CompletionException over = assertThrows(CompletionException.class, () -> cursor.next().join());
        assertTrue(over.getCause() instanceof IllegalStateException);

        List<Map.Entry<String, String>> fields = new ArrayList<>();
        redis.hscanCursor(prefix + "h", new ScanArgs()).forEachPage(fields::addAll).join();
        assertEquals(Set.of(Map.entry("f1", "a"), Map.entry("f2", "b")), new HashSet<>(fields));
        List<String> members = new ArrayList<>();
        redis.sscanCursor(prefix + "s", new ScanArgs()).forEachPage(members::addAll).join();
        assertEquals(Set.of("x", "y"), new HashSet<>(members));
        List<ScoredValue<String>> scored = new ArrayList<>();
        redis.zscanCursor(prefix + "z", new ScanArgs()).forEachPage(scored::addAll).join();
        assertEquals(List.of(new ScoredValue<>("m", 1.5)), scored);
        removeKeys(resp, prefix);
    }

    @ParameterizedTest(name = "RESP{0}")
    @ValueSource(ints = {2, 3})
    void scanPublisherHonoursDemand(int resp) throws InterruptedException {
        RedisAsyncCommands<String, String> redis = Redis.client(resp).async();
        String prefix = "parity-publisher" + resp + ":";
        RedisPipeline<String, String> p = Redis.client(resp).pipeline();
        for (int i = 0; i < 300; i++) {
            p.set(prefix + i, "v");
        }
        p.sadd(prefix + "set", "a", "b", "c");
        p.awaitAll();
        Collector<String> keys = new Collector<>();
        redis.scanPublisher(new ScanArgs().match(prefix + "*").type("string").count(50)).subscribe(keys);
        keys.subscription.join().request(5);
        for (int i = 0; i < 5; i++) {
            assertTrue(keys.items.poll(5, TimeUnit.SECONDS) instanceof String);
        }
        assertNull(keys.items.poll(100, TimeUnit.MILLISECONDS), "no more than requested");
        keys.subscription.join().request(Long.MAX_VALUE);
        Set<Object> rest = new HashSet<>();
        Object o;
        while ((o = keys.items.poll(5, TimeUnit.SECONDS)) != Collector.COMPLETE) {
            assertTrue(o instanceof String, String.valueOf(o));
            rest.add(o);
        }
        assertEquals(295, rest.size(), "every key once, then onComplete");

        Collector<String> members = new Collector<>();
        redis.sscanPublisher(prefix + "set", new ScanArgs()).subscribe(members);
        members.subscription.join().request(Long.MAX_VALUE);
        Set<Object> got = new HashSet<>();
        while ((o = members.items.poll(5, TimeUnit.SECONDS)) != Collector.COMPLETE) {
            got.add(o);
        }
        assertEquals(Set.of("a", "b", "c"), got);

        // a failure ends the stream with onError (HSCAN of a set is WRONGTYPE)
        Collector<Map.Entry<String, String>> wrong = new Collector<>();
        redis.hscanPublisher(prefix + "set", new ScanArgs()).subscribe(wrong);
        wrong.subscription.join().request(1);
        Object err = wrong.items.poll(5, TimeUnit.SECONDS);
        assertTrue(err instanceof io.respin.RedisServerException, String.valueOf(err));

        // cancel stops the walk: nothing more is signalled, not even onComplete
        Collector<String> cancelled = new Collector<>();
        redis.scanPublisher(new ScanArgs().match(prefix + "*").count(10)).subscribe(cancelled);
        cancelled.subscription.join().request(1);
        assertTrue(cancelled.items.poll(5, TimeUnit.SECONDS) instanceof String);
        cancelled.subscription.join().cancel();
        cancelled.subscription.join().request(10);
        assertNull(cancelled.items.poll(100, TimeUnit.MILLISECONDS));

        Collector<ScoredValue<String>> empty = new Collector<>();
        redis.zscanPublisher(prefix + "missing", new ScanArgs()).subscribe(empty);
        empty.subscription.join().request(3);
        assertEquals(Collector.COMPLETE, empty.items.poll(5, TimeUnit.SECONDS), "a missing key: just onComplete");
        removeKeys(resp, prefix);
    }

    /** The shared server's keyspace stays small for the other tests' single-page SCANs. */
    private static void removeKeys(int resp, String prefix) {
        var redis = Redis.client(resp).async();
        List<String> keys = new java.util.concurrent.CopyOnWriteArrayList<>();
        redis.scanEach(new ScanArgs().match(prefix + "*").count(1000), keys::add).join();
        assertEquals((long) keys.size(), redis.unlink(keys.toArray(String[]::new)).join());
    }

    /** A Flow subscriber that records what it is signalled. */
    private static final class Collector<T> implements Flow.Subscriber<T> {
        static final Object COMPLETE = new Object();
        final CompletableFuture<Flow.Subscription> subscription = new CompletableFuture<>();
        final BlockingQueue<Object> items = new LinkedBlockingQueue<>();

        @Override public void onSubscribe(Flow.Subscription s) {
            subscription.complete(s);
        }

        @Override public void onNext(T item) {
            items.add(item);
        }

        @Override public void onError(Throwable t) {
            items.add(t);
        }

        @Override public void onComplete() {
            items.add(COMPLETE);
        }
    }
}
