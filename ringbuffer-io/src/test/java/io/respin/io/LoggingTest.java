package io.respin.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.respin.RedisException;
import io.respin.RedisProtocolException;
import io.respin.engine.connection.CommandKind;
import io.respin.engine.resp.RespHandler;
import io.respin.engine.resp.RespWriter;
import io.respin.testkit.RecordingLoggerFinder;
import io.respin.testkit.RedisServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue 20, logging: connection events go to System.Logger ("io.respin.connection"), a callback that throws to
 * "io.respin.callbacks" — and no password ever appears in a line, its message or its causes' messages.
 */
class LoggingTest {

    private static final String PASSWORD = "Pw-l0g-s3cret";

    @Test
    void aLossAReconnectAndARefusedHandshakeAreLoggedWithoutThePassword() throws Exception {
        int from = RecordingLoggerFinder.LINES.size();
        try (RedisServer server = RedisServer.builder().requirePass(PASSWORD).start();
             IoRuntime io = IoRuntime.start(IoSettings.builder().commandTimeout(Duration.ofSeconds(5)).build());
             RedisEndpoint redis = io.connect("redis://:" + PASSWORD + "@127.0.0.1:" + server.port());
             RedisEndpoint admin = io.connect("redis://:" + PASSWORD + "@127.0.0.1:" + server.port())) {
            assertEquals("PONG", Cmd.str(new Cmd.Generic("PING").run(admin)));
            assertEquals("PONG", Cmd.str(new Cmd.Generic("PING").run(redis)));
            assertEquals(2, RecordingLoggerFinder.since(from, "io.respin.connection").stream()
                    .filter(l -> l.startsWith("DEBUG") && l.contains("connected to 127.0.0.1:" + server.port()
                            + " (shared, RESP")).count(), "each endpoint's connect is logged at DEBUG");
            new Cmd.Generic("CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes").run(admin);
            awaitLine(from, "io.respin.connection", "reconnected to 127.0.0.1:" + server.port() + " after 1 attempt");
            assertEquals("PONG", Cmd.str(ClearErrorsTest.retryPing(redis)));
            List<String> lost = RecordingLoggerFinder.since(from, "io.respin.connection").stream()
                    .filter(l -> l.startsWith("WARNING") && l.contains("connection to 127.0.0.1:" + server.port()
                            + " lost")).toList();
            assertEquals(1, lost.size(), "one loss logged: " + RecordingLoggerFinder.since(from, "io.respin"));

            new Cmd.Generic("CONFIG", "SET", "requirepass", "rotated-" + PASSWORD).run(admin);
            new Cmd.Generic("CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes").run(admin);
            awaitLine(from, "io.respin.connection", "refused the handshake of a reconnect");
            String refused = RecordingLoggerFinder.since(from, "io.respin.connection").stream()
                    .filter(l -> l.contains("refused the handshake")).findFirst().orElseThrow();
            assertTrue(refused.startsWith("WARNING") && refused.contains("WRONGPASS"), refused);
        }
        List<String> all = RecordingLoggerFinder.since(from, "io.respin");
        assertTrue(all.size() >= 3, all.toString());
        for (String line : all) {
            assertTrue(!line.contains(PASSWORD), "a logged line shows the password: " + line);
        }
    }

    @Test
    void aCallbackThatThrowsIsLoggedAsAnError() throws Exception {
        int from = RecordingLoggerFinder.LINES.size();
        try (RedisServer server = RedisServer.builder().start();
             IoRuntime io = IoRuntime.start(IoSettings.defaults());
             RedisEndpoint redis = io.connect(server.uri())) {
            AsyncCommand throwing = new AsyncCommand() {
                @Override public void encode(RespWriter w) { w.array(1).arg("PING"); }
                @Override public RespHandler replyHandler() {
                    return new RespHandler.Adapter();
                }
                @Override public CommandKind kind() {
                    return CommandKind.PLAIN;
                }
                @Override protected void onCompleted() { throw new IllegalStateException("callback bug"); }
                @Override protected void onFailed(RedisException error) { }
            };
            redis.submit(throwing);
            awaitLine(from, "io.respin.callbacks", "a completion callback threw");
            String line = RecordingLoggerFinder.since(from, "io.respin.callbacks").getFirst();
            assertTrue(line.startsWith("ERROR") && line.contains("callback bug"), line);
            assertEquals("PONG", Cmd.str(new Cmd.Generic("PING").run(redis)), "the completion thread carries on");
        }
    }

    /** A fake server answers GET with bytes that are not RESP: the loss is logged with the parser's offset. */
    @Test
    void aProtocolErrorIsLoggedWithItsOffset() throws Exception {
        int from = RecordingLoggerFinder.LINES.size();
        try (ServerSocket fake = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             IoRuntime io = IoRuntime.start(IoSettings.builder().commandTimeout(Duration.ofSeconds(5)).build())) {
            Thread server = new Thread(() -> serveBadBytes(fake), "bad-bytes-server");
            server.setDaemon(true);
            server.start();
            try (RedisEndpoint redis = io.connect("redis://127.0.0.1:" + fake.getLocalPort())) {
                RedisProtocolException e = assertThrows(RedisProtocolException.class,
                        () -> new Cmd.Generic("GET", "k").run(redis));
                assertTrue(e.offset() > 0, "offset " + e.offset());
                awaitLine(from, "io.respin.connection", "lost");
                String line = RecordingLoggerFinder.since(from, "io.respin.connection").stream()
                        .filter(l -> l.contains("lost")).findFirst().orElseThrow();
                assertTrue(line.startsWith("WARNING") && line.contains("at offset " + e.offset()), line);
            }
        }
    }

    /** Answers HELLO and PING as Redis does, and GET with a bulk string whose length is not a number. */
    private static void serveBadBytes(ServerSocket fake) {
        while (!fake.isClosed()) {
            try (Socket s = fake.accept();
                 BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(),
                         StandardCharsets.US_ASCII))) {
                OutputStream out = s.getOutputStream();
                String head;
                while ((head = in.readLine()) != null) {
                    int n = Integer.parseInt(head.substring(1));
                    String name = null;
                    for (int i = 0; i < n; i++) {
                        in.readLine();
                        String arg = in.readLine();
                        name = name == null ? arg.toUpperCase(Locale.ROOT) : name;
                    }
                    String reply = switch (name) {
                        case "HELLO" -> "%1\r\n+proto\r\n:3\r\n";
                        case "GET" -> "$12x\r\n";
                        default -> "+PONG\r\n";
                    };
                    out.write(reply.getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                }
            } catch (IOException | RuntimeException closed) {
                // the client dropped the connection after the bad bytes (or the test ended): accept the next
            }
        }
    }

    private static void awaitLine(int from, String logger, String text) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < until) {
            if (RecordingLoggerFinder.since(from, logger).stream().anyMatch(l -> l.contains(text))) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no " + logger + " line with '" + text + "': " + RecordingLoggerFinder.since(from,
                "io.respin"));
    }
}
