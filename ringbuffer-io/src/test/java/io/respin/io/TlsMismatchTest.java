package io.respin.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.respin.RedisConnectionException;
import io.respin.testkit.RedisServer;
import io.respin.testkit.TestCertificates;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * A URI whose scheme does not match the port fails the connect at once, with a message about TLS, instead of
 * waiting out the connect timeout (10 s by default) or failing with "Connection reset". A plain redis-server says
 * nothing at all to a TLS ClientHello (it reads it as an inline command whose line never ends), so the client asks
 * the port in plain RESP; a TLS port resets a plain client.
 */
class TlsMismatchTest {

    private static RedisServer server;
    private static IoRuntime io;

    @BeforeAll
    static void start() {
        server = RedisServer.builder().tls().start();
        io = IoRuntime.start(IoSettings.defaults());
    }

    @AfterAll
    static void stop() {
        io.close();
        server.close();
    }

    private static ConnectionOptions trusted() {
        return ConnectionOptions.builder()
                .trustStore(server.trustStore(), TestCertificates.STORE_PASSWORD.toCharArray()).build();
    }

    @Test
    void redissToAPlainRedisPortFailsAtOnceSayingItDoesNotSpeakTls() {
        String m = failsFast(() -> io.connect(RedisUri.parse("rediss://127.0.0.1:" + server.port()), trusted()).close());
        assertTrue(m.contains("does not speak TLS") && m.contains("'+PONG'"), m);
        assertTrue(m.contains("redis://") && m.contains("rediss://") && m.contains("tls-port"), m);
        assertTrue(m.contains("127.0.0.1:" + server.port()), m);
        assertEquals("PONG", server.command("PING"), "the probe left the server as it was");
    }

    @Test
    void redissToAPlainPortThatNeedsAPasswordSaysSoToo() {
        try (RedisServer locked = RedisServer.builder().requirePass("s3cret").start()) {
            String m = failsFast(() -> io.connect("rediss://:s3cret@127.0.0.1:" + locked.port()).close());
            assertTrue(m.contains("does not speak TLS") && m.contains("('-NOAUTH Authentication required.')"), m);
            assertTrue(!m.contains("s3cret"), m);
        }
    }

    @Test
    void redissToAServerAnsweringTheHelloWithAnErrorQuotesIt() throws IOException {
        try (FakeServer fake = new FakeServer("-ERR unknown command '\u0016\u0003\u0001'\r\n".getBytes())) {
            String m = failsFast(() -> io.connect(RedisUri.parse("rediss://127.0.0.1:" + fake.port()), trusted()).close());
            assertTrue(m.contains("answered the TLS handshake with non-TLS bytes ('-ERR unknown command '\\x16\\x03\\x01'')"), m);
            assertTrue(m.contains("is TLS enabled on it?") && m.contains("tls-port"), m);
        }
    }

    @Test
    void redisToATlsPortFailsSayingThePortExpectsTls() {
        String m = failsFast(() -> io.connect("redis://127.0.0.1:" + server.tlsPort()).close());
        assertTrue(m.contains("a TLS port does that to a plain client") && m.contains("rediss://"), m);
        assertTrue(m.contains("127.0.0.1:" + server.tlsPort()), m);
    }

    @Test
    void redisToAServerAnsweringWithATlsAlertNamesIt() throws IOException {
        byte[] alert = {0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x46}; // fatal protocol_version
        try (FakeServer fake = new FakeServer(alert)) {
            String m = failsFast(() -> io.connect("redis://127.0.0.1:" + fake.port()).close());
            assertTrue(m.contains("answered with a TLS record ('\\x15\\x03\\x03\\x00\\x02\\x02F')"), m);
            assertTrue(m.contains("the port expects TLS") && m.contains("rediss://"), m);
        }
    }

    @Test
    void aMatchingSchemeStillWorksAndProbesNothing() {
        try (RedisEndpoint tls = io.connect(RedisUri.parse(server.tlsUri()), trusted());
             RedisEndpoint plain = io.connect(server.uri())) {
            assertEquals("PONG", Cmd.str(new Cmd.Generic("PING").run(tls)));
            assertEquals("PONG", Cmd.str(new Cmd.Generic("PING").run(plain)));
        }
    }

    /** The connect fails with a RedisConnectionException mentioning TLS, well before the 10 s connect timeout. */
    static String failsFast(Executable connect) {
        long start = System.nanoTime();
        RedisConnectionException e = assertThrows(RedisConnectionException.class, connect);
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertTrue(ms < 3_000, "a hang, not a failure: " + ms + " ms; " + e.getMessage());
        assertTrue(e.getMessage().contains("TLS"), e.getMessage());
        return e.getMessage();
    }

    /** Answers the first bytes of every connection with {@code answer} and keeps the connection open. */
    static final class FakeServer implements AutoCloseable {
        private final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        final AtomicInteger connections = new AtomicInteger();

        FakeServer(byte[] answer) throws IOException {
            Thread.ofPlatform().daemon().name("fake-server").start(() -> {
                while (!socket.isClosed()) {
                    try {
                        Socket s = socket.accept();
                        connections.incrementAndGet();
                        Thread.ofPlatform().daemon().start(() -> serve(s, answer));
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
        }

        private static void serve(Socket s, byte[] answer) {
            try (s) {
                if (s.getInputStream().read() >= 0) {
                    s.getOutputStream().write(answer);
                    s.getOutputStream().flush();
                    while (s.getInputStream().read(new byte[1024]) >= 0) {
                        // hold the connection open until the client leaves
                    }
                }
            } catch (IOException gone) {
                // the client left
            }
        }

        int port() {
            return socket.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
