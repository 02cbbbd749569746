package io.respin.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
