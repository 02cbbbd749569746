package io.respin.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.respin.engine.command.Codec;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Values larger than the read buffer arrive in pieces: the decoders gather them (or, for getInto, copy each piece
 * straight into the destination) and give the same bytes back.
 */
class LargeValuesTest {

    @ParameterizedTest(name = "RESP{0}")
    @ValueSource(ints = {2, 3})
    void fourMegabyteValuesRoundTrip(int resp) {
        byte[] big = new byte[4 << 20];
        new Random(resp).nextBytes(big);
        var bytes = Redis.client(resp).sync(Codec.bytes());
        byte[] key = ("big:" + resp).getBytes();
        bytes.set(key, big);
        assertArrayEquals(big, bytes.get(key));
        assertEquals(List.of(big.length), bytes.mget(key, key).stream().map(b -> b.length).distinct().toList());
        try (Arena arena = Arena.ofShared()) {
            MemorySegment dst = arena.allocate(big.length);
            assertEquals(big.length, bytes.getInto(key, dst));
            assertArrayEquals(big, dst.toArray(ValueLayout.JAVA_BYTE));
        }
        String text = "é".repeat(1 << 20); // 2 MiB of UTF-8, split across pieces mid-character
        var r = Redis.client(resp).sync();
        r.set("bigtext:" + resp, text);
        assertEquals(text, r.get("bigtext:" + resp));
        bytes.del(key);
        r.del("bigtext:" + resp);
    }

    /**
     * A 100 MiB value, bigger than the largest read buffer (64 MiB), with default settings, while 2,000 small GETs
     * share the connection: before, the reply overflowed the read buffer, the connection was failed as a protocol
     * error and every GET in flight with it. Now it streams through in chunks (direct memory stays at the buffers).
     */
    @Test
    void aValueLargerThanTheReadBufferStreamsAndHurtsNoOtherCommand() {
        var admin = Redis.client(3).sync();
        int size = 100 << 20;
        admin.execute("SETRANGE", "huge:v", Integer.toString(size - 1), "z"); // made on the server: no big SET needed
        admin.set("huge:small", "s");
        try (RedisClient client = RedisClient.builder(Redis.server().uri()).build()) {
            var async = client.async();
            java.util.List<java.util.concurrent.CompletableFuture<String>> small = new java.util.ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                small.add(async.get("huge:small"));
            }
            var huge = client.async(Codec.bytes()).get("huge:v".getBytes());
            for (int i = 0; i < 1000; i++) {
                small.add(async.get("huge:small"));
            }
            byte[] v = huge.join();
            assertEquals(size, v.length);
            assertEquals('z', v[size - 1]);
            assertEquals(0, v[0]);
            for (var f : small) {
                assertEquals("s", f.join());
            }
            long id = ((io.respin.engine.resp.Reply.Int) client.sync().execute("CLIENT", "ID")).value();
            assertEquals(size, client.sync(Codec.bytes()).get("huge:v".getBytes()).length);
            assertEquals(id, ((io.respin.engine.resp.Reply.Int) client.sync().execute("CLIENT", "ID")).value(),
                    "the same connection carried both");
        } finally {
            admin.del("huge:v", "huge:small");
        }
    }

    /**
     * A 100 MiB SET with default settings (the largest write buffer is 64 MiB), as bytes and as a String, while
     * 2,000 small GETs share the connection. Before, it failed with the base RedisException pointing at IoSettings;
     * raised buffers then hit OutOfMemoryError for a 128 MiB direct buffer. Now the value is streamed from its own
     * memory through the write buffer in parts: the write buffer never grows past a part, and nothing else suffers.
     */
    @Test
    void aValueLargerThanTheWriteBufferIsStreamedFromItsOwnMemory() throws Exception {
        int size = 100 << 20;
        byte[] big = new byte[size];
        new Random(1).nextBytes(big);
        String text = "ab€😀".repeat(size / 16); // 2 + 3 + 4 bytes per 5 chars... 56 MiB of chars, ~90 MiB of UTF-8
        var admin = Redis.client(3).sync();
        admin.set("huge:small", "s");
        // a correctness test, not a timed one: the GETs behind ~190 MiB of SETs may wait long on a loaded machine
        try (RedisClient client = RedisClient.builder(Redis.server().uri())
                .commandTimeout(java.time.Duration.ofSeconds(120)).build()) {
            var async = client.async();
            long id = ((io.respin.engine.resp.Reply.Int) client.sync().execute("CLIENT", "ID")).value();
            java.util.List<java.util.concurrent.CompletableFuture<String>> small = new java.util.ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                small.add(async.get("huge:small"));
            }
            long directBefore = directMemoryUsed();
            long setStart = System.nanoTime();
            var setBytes = client.async(Codec.bytes()).set("huge:w".getBytes(), big);
            var setText = async.set("huge:t", text);
            for (int i = 0; i < 1000; i++) {
                small.add(async.get("huge:small"));
            }
            assertEquals("OK", setBytes.get(120, java.util.concurrent.TimeUnit.SECONDS));
            assertEquals("OK", setText.get(120, java.util.concurrent.TimeUnit.SECONDS));
            System.out.println("two streamed SETs (~190 MiB) took " + (System.nanoTime() - setStart) / 1_000_000 + " ms");
            long grown = directMemoryUsed() - directBefore;
            assertTrue(grown <= 4 << 20, "direct memory grew by " + grown + " bytes for two ~100 MiB values: the "
                    + "write buffer grows to a part (1 MiB), not to the value");
            for (var f : small) {
                assertEquals("s", f.join(), "the GETs around the big SETs");
            }
            assertEquals(size, admin.strlen("huge:w"));
            assertEquals(text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length, admin.strlen("huge:t"));
            assertArrayEquals(java.security.MessageDigest.getInstance("SHA-1").digest(big),
                    java.security.MessageDigest.getInstance("SHA-1").digest(client.sync(Codec.bytes())
                            .get("huge:w".getBytes())), "the server holds the very bytes");
            assertEquals(text, client.sync().get("huge:t"));
            assertEquals(id, ((io.respin.engine.resp.Reply.Int) client.sync().execute("CLIENT", "ID")).value(),
                    "the same connection carried them all");
        } finally {
            admin.del("huge:w", "huge:t", "huge:small");
        }
    }

    /** The same over TLS, whose engine may hold encrypted output back: 20 MiB (over the 16 MiB streaming mark). */
    @Test
    void aStreamedValueGoesThroughTls() {
        byte[] big = new byte[20 << 20];
        new Random(2).nextBytes(big);
        try (io.respin.testkit.RedisServer tls = io.respin.testkit.RedisServer.builder().tls().start();
             RedisClient client = RedisClient.builder("rediss://127.0.0.1:" + tls.tlsPort()).tls(tls.sslContext())
                     .build()) {
            var bytes = client.sync(Codec.bytes());
            assertEquals("OK", bytes.set("tls:big".getBytes(), big));
            assertArrayEquals(big, bytes.get("tls:big".getBytes()));
            assertEquals("PONG", client.sync().ping());
        }
    }

    /**
     * A streamed SET whose deadline passes half-way through its value (the server is frozen with SIGSTOP, so the
     * socket fills and the stream stops): the timeout says the command was half-written and never runs, the
     * connection is closed so that the server never runs half a command (it sees no SET at all once it wakes), and
     * the client carries on on a new connection.
     */
    @Test
    void aStreamedCommandThatTimesOutHalfWayClosesItsConnectionAndRunsNowhere() throws Exception {
        byte[] big = new byte[64 << 20];
        try (io.respin.testkit.RedisServer server = io.respin.testkit.RedisServer.builder().start();
             RedisClient client = RedisClient.builder(server.uri()).commandTimeout(java.time.Duration.ofMillis(500))
                     .build()) {
            long id = ((io.respin.engine.resp.Reply.Int) client.sync().execute("CLIENT", "ID")).value();
            signal("STOP", server.pid());
            io.respin.RedisTimeoutException e;
            try {
                e = org.junit.jupiter.api.Assertions.assertThrows(io.respin.RedisTimeoutException.class,
                        () -> client.sync(Codec.bytes()).set("half:set".getBytes(), big));
            } finally {
                signal("CONT", server.pid());
            }
            assertTrue(e.getMessage().contains("half-written") && e.getMessage().contains("did not run"),
                    e.getMessage());
            assertEquals("PONG", client.sync().ping(), "the client carries on");
            long again = ((io.respin.engine.resp.Reply.Int) client.sync().execute("CLIENT", "ID")).value();
            assertTrue(again != id, "a new connection: the half-written SET went with the old one");
            assertEquals(0L, client.sync().exists("half:set"), "the server never ran half a SET");
        }
    }

    /**
     * A value over maxBulk fails only its command, with RedisLimitException naming the setting; the 1,000 GETs
     * around it on the same connection succeed and the connection stays (same CLIENT ID). Before, a value over the
     * limit was a protocol error: the connection was dropped with every command in flight on it.
     */
    @Test
    void aValueOverMaxBulkFailsOnlyItsCommand() {
        var admin = Redis.client(3).sync();
        admin.set("limit:big", "x".repeat(2 << 20));
        admin.set("limit:small", "s");
        try (RedisClient client = RedisClient.builder(Redis.server().uri()).maxBulk(1 << 20).build()) {
            var async = client.async();
            long id = ((io.respin.engine.resp.Reply.Int) client.sync().execute("CLIENT", "ID")).value();
            java.util.List<java.util.concurrent.CompletableFuture<String>> small = new java.util.ArrayList<>();
            for (int i = 0; i < 500; i++) {
                small.add(async.get("limit:small"));
            }
            var big = async.get("limit:big");
            for (int i = 0; i < 500; i++) {
                small.add(async.get("limit:small"));
            }
            var e = org.junit.jupiter.api.Assertions.assertThrows(java.util.concurrent.CompletionException.class,
                    big::join);
            var limit = org.junit.jupiter.api.Assertions.assertInstanceOf(io.respin.RedisLimitException.class,
                    e.getCause());
            assertTrue(limit.getMessage().contains("GET") && limit.getMessage().contains("maxBulk")
                    && limit.getMessage().contains("RedisClientBuilder.maxBulk"), limit.getMessage());
            for (var f : small) {
                assertEquals("s", f.join(), "the GETs around the big one");
            }
            assertEquals(id, ((io.respin.engine.resp.Reply.Int) client.sync().execute("CLIENT", "ID")).value(),
                    "the same connection");
            client.sync().set("limit:ok", "y".repeat(1 << 20));
            assertEquals(1 << 20, client.sync().get("limit:ok").length(), "exactly maxBulk is allowed");
        } finally {
            admin.del("limit:big", "limit:small", "limit:ok");
        }
    }

    private static void signal(String name, long pid) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).inheritIO().start();
        assertEquals(0, kill.waitFor());
    }

    private static long directMemoryUsed() {
        for (var pool : java.lang.management.ManagementFactory.getPlatformMXBeans(
                java.lang.management.BufferPoolMXBean.class)) {
            if (pool.getName().equals("direct")) {
                return pool.getMemoryUsed();
            }
        }
        throw new AssertionError("no direct buffer pool");
    }
}
