package io.respin.testkit;

import static io.respin.testkit.FaultProxy.Direction.TO_CLIENT;
import static io.respin.testkit.FaultProxy.Direction.TO_SERVER;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FaultProxyTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static RedisServer server;
    private FaultProxy proxy;

    @BeforeAll
    static void startServer() {
        server = RedisServer.builder().start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @BeforeEach
    void startProxy() {
        server.flushAll();
        proxy = FaultProxy.start(server);
    }

    @AfterEach
    void stopProxy() {
        proxy.close();
    }

    @Test
    void forwardsBothWaysAndCountsBytes() throws IOException {
        try (RespProbe c = new RespProbe(proxy.host(), proxy.port(), 5000)) {
            assertEquals("OK", c.call("SET", "k", "v"));
            assertEquals("v", c.call("GET", "k"));
            assertEquals(1, proxy.openConnections());
        }
        assertTrue(proxy.awaitOpenConnections(0, WAIT), "the client's close reaches the proxy");
        // *3 $3 SET $1 k $1 v = 27 bytes, *2 $3 GET $1 k = 20 bytes; +OK = 5, $1 v = 7 (with CRLFs)
        assertEquals(47, proxy.bytesForwarded(TO_SERVER));
        assertEquals(12, proxy.bytesForwarded(TO_CLIENT));
        assertEquals(proxy.bytesReceived(TO_CLIENT), proxy.bytesForwarded(TO_CLIENT));
        assertEquals(1, proxy.acceptedConnections());
    }

    @Test
    void manyConnectionsAreKeptApart() throws IOException {
        java.util.List<RespProbe> clients = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                clients.add(new RespProbe(proxy.host(), proxy.port(), 5000));
            }
            for (int i = 0; i < clients.size(); i++) {
                clients.get(i).call("SET", "key" + i, "value" + i);
            }
            assertEquals(20, proxy.openConnections());
            for (int i = clients.size() - 1; i >= 0; i--) {
                assertEquals("value" + i, clients.get(i).call("GET", "key" + i));
            }
        } finally {
            for (RespProbe c : clients) {
                c.close();
            }
        }
        assertTrue(proxy.awaitOpenConnections(0, WAIT));
    }

    @Test
    void largeValuesSurviveBackpressureIntact() throws IOException {
        byte[] big = new byte[3 << 20];
        Arrays.fill(big, (byte) 'x');
        big[big.length - 1] = 'y';
        String value = new String(big, StandardCharsets.US_ASCII);
        try (RespProbe c = new RespProbe(proxy.host(), proxy.port(), 10000)) {
            assertEquals("OK", c.call("SET", "big", value));
            assertEquals(value, c.call("GET", "big"));
        }
    }

    @Test
    void cutAllClosesEveryConnectionButAcceptsNewOnes() throws IOException {
        try (RespProbe a = new RespProbe(proxy.host(), proxy.port(), 5000);
             RespProbe b = new RespProbe(proxy.host(), proxy.port(), 5000)) {
            assertEquals("PONG", a.call("PING"));
            assertEquals("PONG", b.call("PING"));
            proxy.cutAll();
            assertEquals(0, proxy.openConnections());
            assertThrows(IOException.class, () -> a.call("PING"));
            assertThrows(IOException.class, () -> b.call("PING"));
        }
        try (RespProbe again = new RespProbe(proxy.host(), proxy.port(), 5000)) {
            assertEquals("PONG", again.call("PING"));
        }
    }

    @Test
    void resetAllMakesTheClientSeeAConnectionReset() throws IOException {
        try (Socket s = connect()) {
            send(s, "PING\r\n");
            assertEquals("+PONG\r\n", readExactly(s, 7));
            proxy.resetAll();
            assertEquals(0, proxy.openConnections());
            java.net.SocketException reset = assertThrows(java.net.SocketException.class, () -> s.getInputStream().read());
            assertTrue(reset.getMessage().contains("reset"), reset.getMessage());
        }
        try (RespProbe again = new RespProbe(proxy.host(), proxy.port(), 5000)) {
            assertEquals("PONG", again.call("PING"));
        }
    }

    @Test
    void stalledRepliesDoNotPassUntilResume() throws IOException {
        try (Socket s = connect()) {
            proxy.stall(TO_CLIENT);
            send(s, "PING\r\n");
            // the server answered and the proxy holds the answer ...
            assertTrue(proxy.awaitBytesReceived(TO_CLIENT, 7, WAIT), "server's PONG reached the proxy");
            assertEquals(0, proxy.bytesForwarded(TO_CLIENT));
            assertEquals(0, s.getInputStream().available(), "not one byte may reach the client while stalled");
            assertEquals(1, proxy.openConnections(), "a stall keeps the sockets open");
            // ... and hands it over once resumed
            proxy.resume();
            assertEquals("+PONG\r\n", readExactly(s, 7));
        }
    }

    @Test
    void stalledCommandsDoNotReachTheServerUntilResume() throws IOException {
        try (Socket s = connect()) {
            proxy.stall(TO_SERVER);
            send(s, "SET stalled 1\r\n");
            assertTrue(proxy.awaitBytesReceived(TO_SERVER, 15, WAIT));
            assertEquals(0, proxy.bytesForwarded(TO_SERVER));
            assertEquals(null, server.command("GET", "stalled"), "the server must not have seen the command");
            proxy.resume(TO_SERVER);
            assertEquals("+OK\r\n", readExactly(s, 5));
            assertEquals("1", server.command("GET", "stalled"));
        }
    }

    @Test
    void stallBoundsWhatTheProxyBuffersSoTcpPushesBack() throws IOException {
        server.command("SET", "big", "x".repeat(3 << 20));
        try (Socket s = connect()) {
            proxy.stall(TO_CLIENT);
            send(s, "GET big\r\n");
            assertTrue(proxy.awaitBytesReceived(TO_CLIENT, 1 << 20, WAIT));
            assertTrue(proxy.bytesReceived(TO_CLIENT) < (3 << 20),
                    "proxy kept reading while stalled: " + proxy.bytesReceived(TO_CLIENT));
            proxy.resume();
            byte[] reply = readExactly(s, 10 + (3 << 20) + 2).getBytes(StandardCharsets.US_ASCII);
            assertEquals("$3145728\r\n", new String(reply, 0, 10, StandardCharsets.US_ASCII));
            assertEquals('x', reply[reply.length - 3]);
        }
    }

    @Test
    void delayHoldsEveryByteAtLeastThatLong() throws IOException {
        Duration delay = Duration.ofMillis(300);
        try (Socket s = connect()) {
            proxy.delay(TO_CLIENT, delay);
            long start = System.nanoTime();
            send(s, "PING\r\n");
            assertEquals("+PONG\r\n", readExactly(s, 7));
            long elapsed = System.nanoTime() - start;
            // a lower bound only: the proxy guarantees it, however slow the machine is
            assertTrue(elapsed >= delay.toNanos(), "reply came after " + elapsed / 1_000_000 + " ms");

            proxy.delay(Duration.ZERO);
            send(s, "PING\r\n");
            assertEquals("+PONG\r\n", readExactly(s, 7));
        }
    }

    @Test
    void cutAfterBytesDeliversHalfAReplyThenEof() throws IOException {
        server.command("SET", "k", "0123456789".repeat(10));
        try (Socket s = connect()) {
            proxy.cutAfterBytes(TO_CLIENT, 10);
            send(s, "GET k\r\n");
            InputStream in = s.getInputStream();
            byte[] got = in.readAllBytes(); // until EOF
            assertEquals("$100\r\n0123", new String(got, StandardCharsets.US_ASCII));
            assertEquals(10, proxy.bytesForwarded(TO_CLIENT));
        }
        assertTrue(proxy.awaitOpenConnections(0, WAIT));
        // one-shot: the next connection is whole again
        try (RespProbe c = new RespProbe(proxy.host(), proxy.port(), 5000)) {
            assertEquals("0123456789".repeat(10), c.call("GET", "k"));
        }
    }

    @Test
    void refuseNewRefusesConnectionsButKeepsExistingOnes() throws IOException {
        try (RespProbe existing = new RespProbe(proxy.host(), proxy.port(), 5000)) {
            proxy.refuseNew(true);
            assertThrows(ConnectException.class, this::connect);
            assertEquals("PONG", existing.call("PING"));
            proxy.refuseNew(false);
            try (RespProbe fresh = new RespProbe(proxy.host(), proxy.port(), 5000)) {
                assertEquals("PONG", fresh.call("PING"));
            }
        }
    }

    @Test
    void targetDownClosesTheClientConnection() throws IOException {
        try (RedisServer doomed = RedisServer.builder().start();
             FaultProxy p = FaultProxy.start(doomed)) {
            doomed.kill();
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(p.host(), p.port()), 5000);
                s.setSoTimeout(5000);
                send(s, "PING\r\n");
                assertEquals(-1, s.getInputStream().read(), "the client sees EOF when the target is gone");
            } catch (IOException reset) {
                // also acceptable: the closed socket may answer the write with a reset
            }
        }
    }

    @Test
    void idleProxySleepsInsteadOfSpinning() throws Exception {
        try (Socket s = connect()) {
            proxy.stall(TO_CLIENT);
            send(s, "PING\r\n");
            assertTrue(proxy.awaitBytesReceived(TO_CLIENT, 7, WAIT));
            long before = proxy.loopIterations();
            Thread.sleep(300); // observing the absence of activity needs a stretch of time
            long turns = proxy.loopIterations() - before;
            assertTrue(turns <= 3, "proxy loop turned " + turns + " times while idle");
        }
    }

    @Test
    void closeStopsTheThreadAndEveryConnection() throws IOException {
        try (Socket s = connect()) {
            send(s, "PING\r\n");
            assertEquals("+PONG\r\n", readExactly(s, 7));
            proxy.close();
            assertFalse(proxy.loopThreadAlive());
            assertEquals(-1, s.getInputStream().read());
            assertThrows(ConnectException.class, this::connect);
            assertThrows(IllegalStateException.class, () -> proxy.stall(TO_CLIENT));
        }
    }

    private Socket connect() throws IOException {
        Socket s = new Socket();
        try {
            s.connect(new InetSocketAddress(proxy.host(), proxy.port()), 5000);
            s.setSoTimeout(5000);
            return s;
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }

    private static void send(Socket s, String text) throws IOException {
        s.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
    }

    private static String readExactly(Socket s, int n) throws IOException {
        byte[] b = s.getInputStream().readNBytes(n);
        assertArrayEquals(new int[] {n}, new int[] {b.length}, "connection ended early");
        return new String(b, StandardCharsets.US_ASCII);
    }
}
