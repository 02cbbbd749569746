package io.respin.engine.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.respin.engine.resp.RawClient;
import io.respin.engine.resp.Reply;
import io.respin.testkit.RedisServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link Slots} against a real cluster node's {@code CLUSTER KEYSLOT}: 4,000 random keys — binary (every byte
 * value, braces made frequent so that hash tags of every shape occur), and text with multi-byte characters.
 */
class SlotsRedisTest {
    private static RedisServer node;

    @BeforeAll
    static void start() {
        node = RedisServer.builder().cluster().start(); // KEYSLOT needs cluster mode, not assigned slots
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void binaryKeysMatchClusterKeyslot() throws IOException {
        Random random = new Random(17);
        List<byte[]> keys = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            byte[] k = new byte[random.nextInt(24)];
            for (int j = 0; j < k.length; j++) {
                int r = random.nextInt(8);
                k[j] = r == 0 ? (byte) '{' : r == 1 ? (byte) '}' : (byte) random.nextInt(256);
            }
            keys.add(k);
        }
        assertSameAsServer(keys, k -> Slots.slot(k));
    }

    @Test
    void textKeysMatchClusterKeyslot() throws IOException {
        Random random = new Random(18);
        String alphabet = "ab{}:é€日😀";
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            StringBuilder b = new StringBuilder();
            for (int n = random.nextInt(16); n > 0; n--) {
                b.appendCodePoint(alphabet.codePointAt(alphabet.offsetByCodePoints(0, random.nextInt(alphabet.codePointCount(0, alphabet.length())))));
            }
            texts.add(b.toString());
        }
        List<byte[]> keys = texts.stream().map(t -> t.getBytes(StandardCharsets.UTF_8)).toList();
        assertSameAsServer(keys, k -> Slots.slot(new String(k, StandardCharsets.UTF_8)));
    }

    private static void assertSameAsServer(List<byte[]> keys, java.util.function.ToIntFunction<byte[]> slot)
            throws IOException {
        try (RawClient c = new RawClient(node.port())) {
            for (byte[] k : keys) {
                c.send("CLUSTER", "KEYSLOT", k);
            }
            for (byte[] k : keys) {
                Reply r = c.read();
                assertEquals(((Reply.Int) r).value(), slot.applyAsInt(k), () -> java.util.HexFormat.of().formatHex(k));
            }
        }
    }
}
