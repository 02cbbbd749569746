package io.respin.client.async;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.respin.RedisConnectionException;
import io.respin.io.RedisEndpoint;
import io.respin.testkit.RedisServer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 13 item 2: a slow pub/sub listener must not delay the client's commands or its close; its backlog is
 * bounded, what overflows is counted and announced, and a subscriber the server drops is reported and resubscribed.
 */
class PubSubSlowListenerTest {

    /** Publishes ARGV[1] messages ARGV[2]..i (ARGV[3] bytes of padding) in one go: the burst a server can make. */
    private static final String BURST = "local pad = string.rep('x', tonumber(ARGV[3])) "
            + "for i = 1, tonumber(ARGV[1]) do redis.call('PUBLISH', KEYS[1], ARGV[2] .. i .. pad) end return 0";
    private static final int CAPACITY = 64;
    private static final long LISTENER_MS = 10;

    private static void burst(RedisClient publisher, String channel, int n, String prefix, int padding) {
        publisher.async().execute("EVAL", BURST, "1", channel, String.valueOf(n), prefix, String.valueOf(padding)).join();
    }

    @Test
    void aSlowListenerDelaysNoCommandItsBacklogIsBoundedAndCloseIsPrompt() throws Exception {
        int published = 5_000; // 50 s of listener work: a backlog the old shared queue would have kept
        String ch = "slow-listener";
        RedisClient client = RedisClient.builder(Redis.server().uri()).pushQueueCapacity(CAPACITY).build();
        RedisEndpoint endpoint = client.endpoint();
        AtomicLong delivered = new AtomicLong();
        AtomicLong announced = new AtomicLong();
        AtomicLong outOfOrder = new AtomicLong();
        long[] last = {0, 'm'};
        try {
            client.pubSub().addEventListener(new PubSubEvents() {
                @Override public void onDropped(long count) {
                    announced.addAndGet(count);
                }
            });
            client.subscribe(m -> {
                long n = Long.parseLong(m.message().substring(1));
                if (m.message().charAt(0) != last[1]) { // the second burst starts again at 1
                    last[0] = 0;
                    last[1] = m.message().charAt(0);
                }
                if (n <= last[0]) {
                    outOfOrder.incrementAndGet();
                }
                last[0] = n;
                delivered.incrementAndGet();
                sleep(LISTENER_MS);
            }, ch);
            burst(Redis.client(3), ch, published, "m", 0);
            // the IO thread reads the whole burst at once: CAPACITY messages wait for the listener, the rest is
            // dropped (waited for with a cap only, so that the old code gets to the PING below and fails there)
            awaitUpTo(Duration.ofSeconds(1), () -> delivered.get() + endpoint.droppedPushes() + endpoint.pushBacklog() >= published);

            long start = System.nanoTime();
            String pong = client.async().ping().get(2, TimeUnit.SECONDS);
            long pingMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            long backlog = endpoint.pushBacklog();
            long behind = published - delivered.get() - client.pubSub().dropped();
            assertEquals("PONG", pong);
            assertTrue(behind > 0 && backlog > 0, "the PING completed (in " + pingMs + " ms) while the listener was "
                    + "still behind: " + backlog + " queued, " + behind + " not delivered nor dropped");
            assertTrue(backlog <= CAPACITY + 1, "bounded by pushQueueCapacity (+ the one in the listener): " + backlog);
            assertTrue(client.pubSub().dropped() >= published - CAPACITY - 100, "the overflow is counted: "
                    + client.pubSub().dropped());

            // the listener hears of the drop once it has worked through what was queued before it (~CAPACITY x 10 ms)
            assertTrue(awaitUpTo(Duration.ofSeconds(5), () -> announced.get() > 0
                    && announced.get() == client.pubSub().dropped()), "onDropped was called");
            assertEquals(client.pubSub().dropped(), announced.get(), "every drop announced, exactly once");

            // a second burst, then close while the listener still has a backlog: close does not wait for it
            burst(Redis.client(3), ch, published, "n", 0);
            awaitUpTo(Duration.ofSeconds(5), () -> delivered.get() + endpoint.droppedPushes() + endpoint.pushBacklog() >= 2L * published);
            assertTrue(endpoint.pushBacklog() > 0, "still behind when closing");
        } catch (Throwable t) {
            Thread.ofPlatform().daemon().start(client::close); // report the failure, not a close that hangs after it
            throw t;
        }
        long start = System.nanoTime();
        assertTimeoutPreemptively(Duration.ofSeconds(3), client::close, "close() waits for no listener");
        System.out.printf("close took %d ms%n", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        // what was queued at close is discarded and counted: every message published is accounted for
        assertEquals(0, endpoint.pushBacklog());
        assertEquals(2L * published, delivered.get() + endpoint.droppedPushes(),
                delivered.get() + " delivered + " + endpoint.droppedPushes() + " dropped");
        assertEquals(0, outOfOrder.get(), "delivered in the order published");
    }

    @ParameterizedTest(name = "RESP{0}")
    @ValueSource(ints = {2, 3})
    void aSubscriberTheServerKillsIsToldAtOnceAndResubscribed(int resp) throws Exception {
        String ch = "killed" + resp;
        BlockingQueue<RedisConnectionException> disconnects = new LinkedBlockingQueue<>();
        BlockingQueue<String> got = new LinkedBlockingQueue<>();
        try (RedisClient client = RedisClient.builder(Redis.server().uri()).protocol(resp)
                .pushQueueCapacity(CAPACITY).build()) {
            RedisEndpoint endpoint = client.endpoint();
            client.pubSub().addEventListener(new PubSubEvents() {
                @Override public void onDisconnected(RedisConnectionException why) {
                    disconnects.add(why);
                }
            });
            client.subscribe(m -> {
                if (m.message().startsWith("burst")) {
                    sleep(LISTENER_MS); // slow for the burst only, so that the test ends soon after
                } else {
                    got.add(m.message());
                }
            }, ch);
            RedisClient admin = Redis.client(resp);
            int published = 2_000; // 20 s of listener work
            burst(admin, ch, published, "burst", 0);
            awaitUpTo(Duration.ofSeconds(1), () -> endpoint.droppedPushes() + endpoint.pushBacklog() >= published - 10);

            assertTrue(admin.async().execute("CLIENT", "KILL", "TYPE", "pubsub").join().asString().matches("[1-9]\\d*"));
            // told after the (bounded) backlog queued before the loss, not after all 2,000 messages
            RedisConnectionException why = disconnects.poll(3, TimeUnit.SECONDS);
            assertNotNull(why, "onDisconnected within 3 s although the listener was behind");
            assertTrue(why.getMessage().contains("closed the connection"), why.getMessage());

            // resubscribed by the IO runtime: PUBLISH counts the subscriber again, and the message arrives
            assertTrue(awaitUpTo(Duration.ofSeconds(10), () -> admin.async().publish(ch, "probe").join() > 0), "resubscribed");
            assertEquals(1L, admin.async().publish(ch, "after").join());
            String m;
            do {
                m = got.poll(5, TimeUnit.SECONDS);
            } while (m != null && !m.equals("after"));
            assertEquals("after", m);
        }
    }

    @Test
    void aSubscriberTheServerDropsAtItsOutputBufferLimitIsToldAndResubscribed() throws Exception {
        String ch = "overflowing";
        BlockingQueue<RedisConnectionException> disconnects = new LinkedBlockingQueue<>();
        BlockingQueue<String> got = new LinkedBlockingQueue<>();
        try (RedisServer server = RedisServer.builder().start();
             RedisClient admin = RedisClient.create(server.uri());
             RedisClient client = RedisClient.builder(server.uri()).pushQueueCapacity(CAPACITY).build()) {
            // as in the issue: large messages and a subscriber that cannot keep up; the server gives up on it
            admin.async().execute("CONFIG", "SET", "client-output-buffer-limit", "pubsub 1kb 1kb 0").join();
            client.pubSub().addEventListener(new PubSubEvents() {
                @Override public void onDisconnected(RedisConnectionException why) {
                    disconnects.add(why);
                }
            });
            client.subscribe(m -> {
                if (m.message().startsWith("big")) {
                    sleep(LISTENER_MS);
                } else {
                    got.add(m.message());
                }
            }, ch);
            burst(admin, ch, 1_000, "big", 3_000);

            RedisConnectionException why = disconnects.poll(5, TimeUnit.SECONDS);
            assertNotNull(why, "the listener is told that the server dropped the subscriber");
            assertTrue(why.getMessage().contains("closed the connection"), why.getMessage());
            assertTrue(awaitUpTo(Duration.ofSeconds(10), () -> admin.async().publish(ch, "probe").join() > 0), "resubscribed");
            assertEquals(1L, admin.async().publish(ch, "after").join());
            String m;
            do {
                m = got.poll(5, TimeUnit.SECONDS);
            } while (m != null && !m.equals("after"));
            assertEquals("after", m);
        }
    }

    @Test
    void thePushQueueCapacityReachesTheIoSettings() {
        assertEquals(65_536, RedisClient.builder(Redis.server().uri()).ioSettings().pushQueueCapacity());
        assertEquals(10, RedisClient.builder(Redis.server().uri()).pushQueueCapacity(10).ioSettings().pushQueueCapacity());
    }

    private static boolean awaitUpTo(Duration d, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + d.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.sleep(1);
        }
        return true;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
