package io.respin.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.respin.engine.command.Codec;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.Random;
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
}
