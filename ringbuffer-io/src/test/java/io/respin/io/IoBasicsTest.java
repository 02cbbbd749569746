package io.respin.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.respin.RedisServerException;
import io.respin.testkit.RedisServer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class IoBasicsTest {

    static RedisServer server;
    static IoRuntime io;
    static RedisEndpoint redis;

    @BeforeAll
    static void start() {
        server = RedisServer.builder().start();
        io = IoRuntime.start(IoSettings.defaults());
        redis = io.connect(server.uri());
    }

    @AfterAll
    static void stop() {
        io.close();
        server.close();
    }

    @Test
    void setThenGetReturnsTheValue() {
        Cmd.Set set = new Cmd.Set();
        set.key = "greeting".getBytes(StandardCharsets.UTF_8);
        set.value = "hello".getBytes(StandardCharsets.UTF_8);
        redis.submit(set);
        set.await();
        assertTrue(set.ok);
        Cmd.Get get = new Cmd.Get();
        get.key = set.key;
        redis.submit(get);
        get.await();
        assertEquals("hello", get.text());
        get.key = "missing".getBytes(StandardCharsets.UTF_8);
        redis.submit(get); // reuse after completion
        get.await();
        assertNull(get.text());
    }

    @Test
    void serverErrorReachesTheCommandWithTheServersWords() {
        new Cmd.Generic("SET", "str", "x").run(redis);
        Cmd.Generic bad = new Cmd.Generic("LPUSH", "str", "y");
        redis.submit(bad);
        RedisServerException e = org.junit.jupiter.api.Assertions.assertThrows(RedisServerException.class, bad::await);
        assertEquals("WRONGTYPE", e.prefix());
        assertEquals("PONG", Cmd.str(new Cmd.Generic("PING").run(redis)), "the connection stays usable");
    }

    @Test
    void hundredThousandCommandsFromEightThreadsAreEachMatchedToTheirOwnReply() throws Exception {
        int threads = 8;
        int perThread = 12_500;
        AtomicInteger mismatches = new AtomicInteger();
        Thread[] ts = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            int id = t;
            ts[t] = Thread.ofPlatform().start(() -> {
                Cmd.Set set = new Cmd.Set();
                Cmd.Get get = new Cmd.Get();
                for (int i = 0; i < perThread; i += 2) {
                    byte[] key = ("k:" + id + ":" + i).getBytes(StandardCharsets.UTF_8);
                    String v = "v" + id + "-" + i;
                    set.key = key;
                    set.value = v.getBytes(StandardCharsets.UTF_8);
                    redis.submit(set);
                    set.await();
                    get.key = key;
                    redis.submit(get);
                    get.await();
                    if (!set.ok || !v.equals(get.text())) {
                        mismatches.incrementAndGet();
                    }
                }
            });
        }
        for (Thread t : ts) {
            t.join();
        }
        assertEquals(0, mismatches.get());
        assertEquals((long) threads * perThread / 2,
                ((Number) server.command("EVAL", "return #redis.call('KEYS', 'k:*')", "0")).longValue());
    }

    @Test
    void commandsThatQueuedUpTogetherGoOutInOneWrite() throws Exception {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(1);
        io.control(() -> { // hold the IO thread while the batch queues up
            held.countDown();
            ClearErrorsTest.awaitQuietly(release);
        });
        held.await();
        long writesBefore = io.agent().socketWrites;
        java.util.List<Cmd.Incr> batch = new java.util.ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            Cmd.Incr incr = new Cmd.Incr("pipelined");
            redis.submit(incr);
            batch.add(incr);
        }
        release.countDown();
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).await();
            assertEquals(i + 1, batch.get(i).value, "replies in submit order");
        }
        long writes = io.agent().socketWrites - writesBefore;
        // 1,000 commands, batch limit 1,024: one write (a second only if the socket took part of it)
        assertTrue(writes >= 1 && writes <= 2, writes + " socket writes for 1,000 queued commands");
    }

    @Test
    void oneRuntimeServesManyEndpointsAtOnce() throws Exception {
        try (RedisServer second = RedisServer.builder().start()) {
            java.util.List<RedisEndpoint> endpoints = new java.util.ArrayList<>();
            for (int i = 0; i < 6; i++) {
                endpoints.add(io.connect((i % 2 == 0 ? server : second).uri() + "/" + i));
            }
            for (int round = 0; round < 3; round++) {
                for (int i = 0; i < endpoints.size(); i++) {
                    new Cmd.Generic("SET", "owner", "endpoint-" + i).run(endpoints.get(i));
                }
            }
            for (int i = 0; i < endpoints.size(); i++) {
                assertEquals("endpoint-" + i, Cmd.str(new Cmd.Generic("GET", "owner").run(endpoints.get(i))),
                        "each endpoint has its own database");
                endpoints.get(i).close();
            }
        }
    }
}
