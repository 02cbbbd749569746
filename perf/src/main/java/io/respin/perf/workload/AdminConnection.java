package io.respin.perf.workload;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The harness's own connection, independent of every client under test: it flushes, loads the key space and reads
 * back what a workload wrote, so that verification never trusts the client being verified. Plain blocking RESP2 over
 * a socket; it runs outside measured windows only.
 *
 * <pre>{@code
 * try (AdminConnection admin = AdminConnection.open("redis://127.0.0.1:6390")) {
 *     admin.call("FLUSHALL");
 * }
 * }</pre>
 */
public final class AdminConnection implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;

    private AdminConnection(Socket socket) throws IOException {
        this.socket = socket;
        this.out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
        this.in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
    }

    /** Connects to a {@code redis://[user:password@]host:port} URI and authenticates if it carries a password. */
    public static AdminConnection open(String uri) throws IOException {
        RedisAddress address = RedisAddress.parse(uri);
        Socket s = new Socket();
        s.connect(new InetSocketAddress(address.host(), address.port()), 5_000);
        s.setSoTimeout(60_000);
        s.setTcpNoDelay(true);
        AdminConnection c = new AdminConnection(s);
        if (address.password() != null) {
            if (address.user() != null) {
                c.call("AUTH", address.user(), address.password());
            } else {
                c.call("AUTH", address.password());
            }
        }
        return c;
    }

    /** Sends one command and returns its reply (String, Long, byte[], List or null). */
    public Object call(Object... args) throws IOException {
        write(args);
        out.flush();
        return read();
    }

    /** Queues a command without flushing; read its reply later with {@link #read()} after {@link #flush()}. */
    public void write(Object... args) throws IOException {
        out.write(('*' + Integer.toString(args.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (Object a : args) {
            byte[] b = a instanceof byte[] bytes ? bytes : String.valueOf(a).getBytes(StandardCharsets.UTF_8);
            out.write(('$' + Integer.toString(b.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(b);
            out.write('\r');
            out.write('\n');
        }
    }

    public void flush() throws IOException {
        out.flush();
    }

    /** Reads one reply; a server error becomes an {@link IOException} carrying the server's message. */
    public Object read() throws IOException {
        int type = in.read();
        String line = readLine();
        return switch (type) {
            case '+' -> line;
            case '-' -> throw new IOException("server replied with an error: " + line);
            case ':' -> Long.parseLong(line);
            case '$' -> {
                int n = Integer.parseInt(line);
                if (n < 0) {
                    yield null;
                }
                byte[] b = in.readNBytes(n);
                readLine();
                yield b;
            }
            case '*' -> {
                int n = Integer.parseInt(line);
                if (n < 0) {
                    yield null;
                }
                List<Object> items = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    items.add(read());
                }
                yield items;
            }
            case -1 -> throw new IOException("the server closed the admin connection");
            default -> throw new IOException("unexpected reply type '" + (char) type + "' from the server");
        };
    }

    private String readLine() throws IOException {
        StringBuilder sb = new StringBuilder();
        int b;
        while ((b = in.read()) != '\r') {
            if (b == -1) {
                throw new IOException("the server closed the admin connection mid-reply");
            }
            sb.append((char) b);
        }
        in.read(); // '\n'
        return sb.toString();
    }

    /** Sets every key to its value with pipelined SETs, in chunks so neither side buffers everything. */
    public void setAll(byte[][] keys, byte[][] values) throws IOException {
        int chunk = 1000;
        for (int from = 0; from < keys.length; from += chunk) {
            int to = Math.min(keys.length, from + chunk);
            for (int i = from; i < to; i++) {
                write("SET", keys[i], values[i]);
            }
            flush();
            for (int i = from; i < to; i++) {
                read();
            }
        }
    }

    /** Reads every key's value with MGET, in chunks. */
    public byte[][] getAll(byte[][] keys) throws IOException {
        byte[][] values = new byte[keys.length][];
        int chunk = 1000;
        for (int from = 0; from < keys.length; from += chunk) {
            int to = Math.min(keys.length, from + chunk);
            Object[] args = new Object[to - from + 1];
            args[0] = "MGET";
            System.arraycopy(keys, from, args, 1, to - from);
            List<?> reply = (List<?>) call(args);
            for (int i = from; i < to; i++) {
                values[i] = (byte[]) reply.get(i - from);
            }
        }
        return values;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** The parts of a {@code redis://} URI the harness needs. */
    public record RedisAddress(String host, int port, String user, String password) {

        /** Parses {@code redis://[[user]:password@]host[:port][/db]}; the port defaults to 6379. */
        public static RedisAddress parse(String uri) {
            URI u = URI.create(uri);
            if (!"redis".equals(u.getScheme()) || u.getHost() == null) {
                throw new IllegalArgumentException("'" + uri + "' is not a redis://host:port URI");
            }
            String user = null;
            String password = null;
            if (u.getUserInfo() != null) {
                String info = u.getUserInfo();
                int colon = info.indexOf(':');
                if (colon < 0) {
                    password = info;
                } else {
                    user = colon == 0 ? null : info.substring(0, colon);
                    password = info.substring(colon + 1);
                }
            }
            return new RedisAddress(u.getHost(), u.getPort() < 0 ? 6379 : u.getPort(), user, password);
        }
    }
}
