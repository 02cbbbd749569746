package io.respin.client.async.sentinel;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A sentinel whose answer the test sets: {@code SENTINEL get-master-addr-by-name <name>} gets the address given
 * last (e.g. a node that is a replica now, as a sentinel that has not seen a failover would say), {@code SENTINEL
 * sentinels} an empty list, {@code SUBSCRIBE} a confirmation and then silence (it never publishes
 * {@code +switch-master}), anything else (HELLO...) an error.
 */
final class FakeSentinel implements AutoCloseable {
    private final ServerSocket server;
    private final String name;
    private volatile String host;
    private volatile int port;
    private final java.util.List<OutputStream> subscribers = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final AtomicInteger asked = new AtomicInteger();
    private final AtomicInteger subscribed = new AtomicInteger();
    private volatile List<Integer> replicas = List.of();

    FakeSentinel(String name, String host, int port) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.name = name;
        this.host = host;
        this.port = port;
        Thread.ofPlatform().daemon().name("fake-sentinel").start(this::accept);
    }

    int port() {
        return server.getLocalPort();
    }

    /** SUBSCRIBE commands answered so far. */
    int subscribed() {
        return subscribed.get();
    }

    /** {@code SENTINEL replicas} lists these ports on 127.0.0.1, each flagged a usable replica. */
    void replicas(List<Integer> ports) {
        this.replicas = List.copyOf(ports);
    }

    /** From now on, name {@code host:port} as the primary. */
    void name(String host, int port) {
        this.host = host;
        this.port = port;
    }

    /** get-master-addr-by-name questions answered so far. */
    int asked() {
        return asked.get();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                Thread.ofPlatform().daemon().start(() -> serve(s));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s; InputStream in = new BufferedInputStream(s.getInputStream()); OutputStream out = s.getOutputStream()) {
            while (true) {
                List<String> cmd = read(in);
                if (cmd == null) {
                    return;
                }
                String reply;
                if (cmd.size() == 3 && cmd.get(0).equalsIgnoreCase("SENTINEL")
                        && cmd.get(1).equalsIgnoreCase("get-master-addr-by-name")) {
                    asked.incrementAndGet();
                    reply = cmd.get(2).equals(name) ? "*2\r\n" + bulk(host) + bulk(Integer.toString(port)) : "*-1\r\n";
                } else if (cmd.size() == 3 && cmd.get(0).equalsIgnoreCase("SENTINEL")
                        && cmd.get(1).equalsIgnoreCase("sentinels")) {
                    reply = "*0\r\n";
                } else if (cmd.size() == 3 && cmd.get(0).equalsIgnoreCase("SENTINEL")
                        && cmd.get(1).equalsIgnoreCase("replicas")) {
                    StringBuilder r = new StringBuilder("*" + replicas.size() + "\r\n");
                    for (int p : replicas) {
                        r.append("*8\r\n").append(bulk("ip")).append(bulk("127.0.0.1")).append(bulk("port"))
                                .append(bulk(Integer.toString(p))).append(bulk("flags")).append(bulk("slave"))
                                .append(bulk("master-link-status")).append(bulk("ok"));
                    }
                    reply = r.toString();
                } else if (cmd.size() >= 2 && cmd.get(0).equalsIgnoreCase("SUBSCRIBE")) {
                    StringBuilder r = new StringBuilder();
                    for (int i = 1; i < cmd.size(); i++) {
                        r.append("*3\r\n").append(bulk("subscribe")).append(bulk(cmd.get(i))).append(':').append(i)
                                .append("\r\n");
                    }
                    reply = r.toString();
                    subscribed.incrementAndGet();
                    subscribers.add(out);
                } else {
                    reply = "-ERR unknown command '" + cmd.get(0) + "'\r\n"; // HELLO too: a client falls back to RESP2
                }
                synchronized (out) {
                    out.write(reply.getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
            }
        } catch (IOException e) {
            // the client went away
        }
    }

    /** Sends a {@code message} push on {@code channel} to every subscribed connection, as a sentinel publishes events. */
    void publish(String channel, String message) throws IOException {
        String push = "*3\r\n" + bulk("message") + bulk(channel) + bulk(message);
        for (OutputStream out : subscribers) {
            synchronized (out) {
                out.write(push.getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        }
    }

    private static String bulk(String s) {
        return "$" + s.length() + "\r\n" + s + "\r\n";
    }

    private static List<String> read(InputStream in) throws IOException {
        String header = line(in);
        if (header == null) {
            return null;
        }
        int n = Integer.parseInt(header.substring(1));
        List<String> args = new ArrayList<>(n);
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
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                return sb.toString().stripTrailing();
            }
            sb.append((char) c);
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
