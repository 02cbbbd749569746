package io.respin.io;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.respin.RedisConnectionException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A peer that is not Redis (here an HTTP server answering the handshake with a status line) is named as such:
 * the message asks whether the port is a Redis server's, and still carries the parser's words.
 */
class NotRedisPeerTest {

    @Test
    void anHttpServerAnsweringTheHandshakeIsNamedNotRedis() throws Exception {
        try (ServerSocket http = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             IoRuntime io = IoRuntime.start(IoSettings.builder().connectTimeout(Duration.ofSeconds(3)).build())) {
            Thread server = Thread.ofPlatform().daemon().start(() -> answerLikeHttp(http));
            String address = "127.0.0.1:" + http.getLocalPort();
            RedisConnectionException e = assertThrows(RedisConnectionException.class,
                    () -> io.connect("redis://" + address));
            assertTrue(e.getMessage().startsWith("the server at " + address + " did not answer in RESP; is it a "
                    + "Redis server (and the right port)? "), e.getMessage());
            assertTrue(e.getMessage().contains(e.getCause().getMessage()), "the parser's detail: " + e.getMessage());
            server.join(5_000);
        }
    }

    private static void answerLikeHttp(ServerSocket http) {
        try (Socket s = http.accept()) {
            InputStream in = s.getInputStream();
            in.read(new byte[1024]); // the handshake (HELLO 3 ...)
            OutputStream out = s.getOutputStream();
            out.write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            in.read(new byte[1024]); // until the client closes
        } catch (IOException ignored) {
            // the client closed first
        }
    }
}
