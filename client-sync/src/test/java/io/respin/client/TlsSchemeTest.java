package io.respin.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.respin.RedisConnectionException;
import io.respin.testkit.RedisServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * A scheme that does not match the port fails {@link RedisClient#create} and {@code build()} at once with a message
 * about TLS (issue 14 item 5): before, {@code rediss://} to a plain port hung for the 10 s connect timeout, and
 * {@code redis://} to a TLS port failed with "Connection reset".
 */
class TlsSchemeTest {

    @Test
    void redissToAPlainPortFailsAtOnceSayingSo() {
        String plain = "rediss://127.0.0.1:" + Redis.server().port();
        assertFailsFastAboutTls(() -> RedisClient.create(plain).close());
        assertFailsFastAboutTls(() -> RedisClient.builder(plain).credentials("default", "Pw-s3cret").build().close());
    }

    @Test
    void redisToATlsPortFailsSayingSo() {
        try (RedisServer tls = RedisServer.builder().tls().start()) {
            String m = assertFailsFastAboutTls(() -> RedisClient.create("redis://127.0.0.1:" + tls.tlsPort()).close());
            assertTrue(m.contains("rediss://"), m);
            try (RedisClient ok = RedisClient.builder("rediss://127.0.0.1:" + tls.tlsPort()).tls(tls.sslContext()).build()) {
                assertEquals("PONG", ok.sync().ping());
            }
        }
    }

    @Test
    void aMalformedUriAtTheBuilderShowsNoPassword() {
        var e = assertThrows(IllegalArgumentException.class, () -> RedisClient.builder("redis://u:Sl4shy/pw@host:6379"));
        assertFalse(e.getMessage().contains("Sl4shy"), e.getMessage());
        assertTrue(e.getMessage().contains("%2F"), e.getMessage());
    }

    private static String assertFailsFastAboutTls(Executable connect) {
        long start = System.nanoTime();
        RedisConnectionException e = assertThrows(RedisConnectionException.class, connect);
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertTrue(ms < 3_000, "a hang, not a failure: " + ms + " ms; " + e.getMessage());
        assertTrue(e.getMessage().contains("TLS"), e.getMessage());
        assertFalse(e.getMessage().contains("Pw-s3cret"), e.getMessage());
        return e.getMessage();
    }
}
