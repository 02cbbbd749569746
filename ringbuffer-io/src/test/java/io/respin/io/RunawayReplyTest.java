package io.respin.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.respin.RedisConnectionException;
import io.respin.RedisTimeoutException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A fake server answers the first GET with {@code *2147483647} and then {@code :1} forever. The GET times out;
 * the connection must then be dropped and reconnected within a bound, so that later commands work. Before the fix
 * every later command on it timed out too, for as long as the server kept streaming.
 */
class RunawayReplyTest {

    /** Speaks just enough RESP for the handshake, PING and one runaway GET. */
    static final class RunawayServer implements AutoCloseable {
        final ServerSocket socket;
        final AtomicInteger connections = new AtomicInteger();
        final AtomicInteger runawayGets = new AtomicInteger();
        private final List<Socket> open = new ArrayList<>();

        RunawayServer() throws IOException {
            socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread t = new Thread(this::accept, "runaway-server");
            t.setDaemon(true);
            t.start();
        }

        String uri() {
            return "redis://127.0.0.1:" + socket.getLocalPort();
        }

        private void accept() {
            while (!socket.isClosed()) {
                try {
                    Socket s = socket.accept();
                    synchronized (open) {
                        open.add(s);
                    }
                    connections.incrementAndGet();
                    Thread t = new Thread(() -> serve(s), "runaway-conn");
                    t.setDaemon(true);
                    t.start();
                } catch (IOException closed) {
                    return;
                }
            }
        }

        private void serve(Socket s) {
            try (s) {
                InputStream in = new BufferedInputStream(s.getInputStream());
                OutputStream out = s.getOutputStream();
                while (true) {
                    List<String> cmd = readCommand(in);
                    if (cmd == null) {
                        return;
                    }
                    String name = cmd.get(0).toUpperCase();
                    switch (name) {
                        case "HELLO" -> out.write("%1\r\n+proto\r\n:3\r\n".getBytes(StandardCharsets.US_ASCII));
                        case "PING" -> out.write("+PONG\r\n".getBytes(StandardCharsets.US_ASCII));
                        case "GET" -> {
                            runawayGets.incrementAndGet();
                            out.write("*2147483647\r\n".getBytes(StandardCharsets.US_ASCII));
                            byte[] chunk = ":1\r\n".repeat(4096).getBytes(StandardCharsets.US_ASCII);
                            while (true) {
                                out.write(chunk); // until the client closes the socket
                                Thread.sleep(1);
                            }
                        }
                        default -> out.write("+OK\r\n".getBytes(StandardCharsets.US_ASCII));
                    }
                    out.flush();
                }
            } catch (IOException | InterruptedException gone) {
                // the client dropped the connection
            }
        }

        private static List<String> readCommand(InputStream in) throws IOException {
            String header = line(in);
            if (header == null) {
                return null;
            }
            int n = Integer.parseInt(header.substring(1));
            List<String> args = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int len = Integer.parseInt(line(in).substring(1));
                byte[] b = in.readNBytes(len + 2);
                args.add(new String(b, 0, len, StandardCharsets.UTF_8));
            }
            return args;
        }

        private static String line(InputStream in) throws IOException {
            StringBuilder sb = new StringBuilder();
            int c;
            while ((c = in.read()) != -1) {
                if (c == '\n') {
                    return sb.substring(0, sb.length() - 1);
                }
                sb.append((char) c);
            }
            return null;
        }

        @Override
        public void close() throws IOException {
            socket.close();
            synchronized (open) {
                for (Socket s : open) {
                    s.close();
                }
            }
        }
    }

    @Test
    void aReplyThatNeverEndsAfterItsCommandTimedOutDropsTheConnection() throws Exception {
        try (RunawayServer server = new RunawayServer();
             IoRuntime io = IoRuntime.start(IoSettings.builder().commandTimeout(Duration.ofMillis(300)).build())) {
            RedisEndpoint redis = io.connect(server.uri());
            Cmd.Get get = new Cmd.Get();
            get.key = "k".getBytes(StandardCharsets.UTF_8);
            redis.submit(get);
            assertThrows(RedisTimeoutException.class, get::await);
            assertEquals(1, server.connections.get(), "the timeout alone did not reconnect: the server was not silent");
            // a command behind the runaway reply, with more patience than the bound: it is failed by the drop and
            // told why (before the fix it timed out, and so did every later command)
            Cmd.Generic behind = new Cmd.Generic("PING");
            behind.timeout(Duration.ofSeconds(3));
            redis.submit(behind);
            RedisConnectionException dropped = assertThrows(RedisConnectionException.class, behind::await);
            assertTrue(dropped.getMessage().contains("kept sending the reply"), dropped.getMessage());
            assertEquals("PONG", Cmd.str(new Cmd.Generic("PING").run(redis)), "commands work again");
            assertEquals(2, server.connections.get(), "exactly one reconnect");
        }
    }
}
