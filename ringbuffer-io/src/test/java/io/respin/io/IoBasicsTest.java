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
        assertEquals((long) threads * perThread / 2, ((Number) server.command("DBSIZE")).longValue() - baseline());
    }

    private static long baseline() {
        // keys other tests of this class may have set
        long n = 0;
        for (String k : new String[] {"greeting", "str"}) {
            n += ((Number) server.command("EXISTS", k)).longValue();
        }
        return n;
    }
}
