package io.respin.perf;

import io.respin.testkit.RedisServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * The README's main job. For now a smoke run: start a local redis-server, measure PING round trips, stop it.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws Exception {
        try (RedisServer server = RedisServer.builder().start();
             Socket s = new Socket()) {
            s.connect(new InetSocketAddress(server.host(), server.port()));
            s.setTcpNoDelay(true);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            byte[] ping = "*1\r\n$4\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII);
            byte[] reply = new byte[7];
            long best = Long.MAX_VALUE;
            for (int i = 0; i < 10_000; i++) {
                long t0 = System.nanoTime();
                out.write(ping);
                int n = 0;
                while (n < reply.length) {
                    n += in.read(reply, n, reply.length - n);
                }
                best = Math.min(best, System.nanoTime() - t0);
            }
            System.out.printf("redis-server %s on port %d: PING round trip %s, best of 10,000: %.1f us%n",
                    server.pid(), server.port(), new String(reply, StandardCharsets.US_ASCII).trim(), best / 1000.0);
        }
    }
}
