package io.respin.engine.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The slot of a key: Redis' CRC16 test vector, the hash tag rules of the Redis Cluster specification, and the
 * three key forms (bytes, segment, text) agreeing on every case.
 */
class SlotsTest {

    @Test
    void crc16OfTheStandardVectorIsRedisValue() {
        byte[] v = "123456789".getBytes(StandardCharsets.US_ASCII);
        assertEquals(0x31C3, Slots.crc16(v, 0, v.length));
        assertEquals(0, Slots.crc16(v, 0, 0));
        assertEquals(0x31C3 & 16383, Slots.slot(v));
    }

    @Test
    void knownSlotsFromTheSpecificationAndRedis() {
        assertEquals(12182, Slots.slot("foo"));        // CLUSTER KEYSLOT foo
        assertEquals(5061, Slots.slot("bar"));
        assertEquals(866, Slots.slot("hello"));
        assertEquals(12739, Slots.slot("123456789"));
        assertEquals(0, Slots.slot(""));
        assertEquals(Slots.slot("user1000"), Slots.slot("{user1000}.following"));
        assertEquals(Slots.slot("user1000"), Slots.slot("{user1000}.followers"));
    }

    @Test
    void hashTagRulesOfTheSpecification() {
        // first '{', then the first '}' after it; the bytes between are hashed when there is at least one
        assertTag("foo{bar}zap", "bar");
        assertTag("foo{}{bar}", "foo{}{bar}");      // empty tag: the whole key
        assertTag("foo{{bar}}zap", "{bar");         // from the first '{' to the first '}'
        assertTag("foo{bar}{zap}", "bar");          // only the first tag counts
        assertTag("{}", "{}");
        assertTag("{", "{");
        assertTag("}{", "}{");                      // a '}' before the '{' does not close it
        assertTag("a}b{c}", "c");
        assertTag("{a", "{a");
        assertTag("{{}}", "{");
        assertTag("x{y}", "y");
        assertTag("{€}suffix", "€");                // multi-byte text inside a tag
    }

    private static void assertTag(String key, String hashed) {
        byte[] h = hashed.getBytes(StandardCharsets.UTF_8);
        assertAllForms(key, Slots.crc16(h, 0, h.length) & 16383);
    }

    private static void assertAllForms(String key, int expected) {
        byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
        assertEquals(expected, Slots.slot(key), () -> "text " + key);
        assertEquals(expected, Slots.slot(bytes), () -> "bytes " + key);
        byte[] padded = new byte[bytes.length + 7];
        System.arraycopy(bytes, 0, padded, 3, bytes.length);
        assertEquals(expected, Slots.slot(padded, 3, bytes.length), () -> "bytes at an offset " + key);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(bytes.length + 11);
            MemorySegment.copy(bytes, 0, s, java.lang.foreign.ValueLayout.JAVA_BYTE, 5, bytes.length);
            assertEquals(expected, Slots.slot(s, 5, bytes.length), () -> "segment " + key);
            // the segment's slice ends the key: braces beyond it must not count
            assertEquals(expected, Slots.slot(MemorySegment.ofArray(padded), 3, bytes.length), () -> "heap segment " + key);
        }
    }

    @Test
    void textKeysHashTheirUtf8BytesAsSent() {
        for (String key : new String[] {"clé", "€uro", "😀{😀}", "日本語{キー}", "\u07FF\u0800\uFFFF", "a\uD800b",
            "\uDC00", "x\uD83D", "{\uD800}", "\uD83D\uDE00"}) {
            // the writer sends unpaired surrogates as '?', as String.getBytes does
            byte[] sent = key.getBytes(StandardCharsets.UTF_8);
            assertEquals(Slots.slot(sent), Slots.slot(key), key);
            assertEquals(Slots.slot(sent), Slots.slot(new StringBuilder(key)), key);
        }
    }

    @Test
    void bracesBeyondTheKeysRangeAreNotPartOfIt() {
        byte[] b = "ab}cd{x}".getBytes(StandardCharsets.US_ASCII);
        // "ab" then "{x" where the '}' that follows is outside the key
        assertEquals(Slots.slot("d{x"), Slots.slot(b, 4, 3));
        assertEquals(Slots.slot("d{x"), Slots.slot(MemorySegment.ofArray(b), 4, 3));
        assertEquals(Slots.slot("{x}"), Slots.slot(b, 5, 3));
    }
}
