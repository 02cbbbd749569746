package io.respin.testkit;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A deliberately tiny blocking RESP2 client the test kit uses to administer its own servers (readiness, INFO,
 * FLUSHALL, CLUSTER commands). It is independent of the engine on purpose: the kit must be able to drive a
 * server even while the code under test is broken.
 *
 * <p>Replies become plain Java values: simple and bulk strings are {@link String}, integers {@link Long},
 * arrays {@link List}, nil {@code null}; an error reply is thrown as {@link RespProbe.ErrorReply}.
 */
final class RespProbe implements AutoCloseable {

    /** An error reply ({@code -ERR ...}) from the server. */
    static final class ErrorReply extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        ErrorReply(String message) {
            super(message);
        }
    }

    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;

    /**
     * {@link RedisInstance#command}: one command over a fresh connection to {@code target}, authenticating with
     * {@code password} first when it is not null; {@code what} names the target in messages ("redis-server").
     */
    static Object command(RedisInstance target, String what, String password, String... args) {
        try (RespProbe probe = new RespProbe(target.host(), target.port(), 5000)) {
            if (password != null) {
                probe.call("AUTH", password);
            }
            return probe.call(args);
        } catch (ErrorReply e) {
            throw new IllegalStateException(what + " " + target.uri() + " answered " + args[0] + " with: "
                    + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("could not send " + args[0] + " to " + what + " " + target.uri()
                    + (target.isAlive() ? "" : " (the process is not running)"), e);
        }
    }

    RespProbe(String host, int port, int timeoutMillis) throws IOException {
        socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(host, port), timeoutMillis);
            socket.setSoTimeout(timeoutMillis);
            socket.setTcpNoDelay(true);
            out = socket.getOutputStream();
            in = new BufferedInputStream(socket.getInputStream());
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /** Sends one command and reads its reply. */
    Object call(String... args) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        buf.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (String a : args) {
            byte[] b = a.getBytes(StandardCharsets.UTF_8);
            buf.writeBytes(("$" + b.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            buf.writeBytes(b);
            buf.writeBytes(new byte[] {'\r', '\n'});
        }
        out.write(buf.toByteArray());
        out.flush();
        return read();
    }

    private Object read() throws IOException {
        int type = in.read();
        if (type < 0) {
            throw new EOFException("redis-server closed the connection");
        }
        String line = line();
        return switch (type) {
            case '+' -> line;
            case '-' -> throw new ErrorReply(line);
            case ':' -> Long.parseLong(line);
            case '$' -> bulk(Integer.parseInt(line));
            case '*' -> array(Integer.parseInt(line));
            default -> throw new IOException("unexpected RESP type byte '" + (char) type + "' followed by " + line);
        };
    }

    private String bulk(int len) throws IOException {
        if (len < 0) {
            return null;
        }
        byte[] b = in.readNBytes(len + 2);
        if (b.length < len + 2) {
            throw new EOFException("redis-server closed the connection inside a bulk string");
        }
        return new String(b, 0, len, StandardCharsets.UTF_8);
    }

    private List<Object> array(int len) throws IOException {
        if (len < 0) {
            return null;
        }
        List<Object> items = new ArrayList<>(len);
        for (int i = 0; i < len; i++) {
            try {
                items.add(read());
            } catch (ErrorReply e) {
                items.add(e); // an error inside an array (EXEC) is a value, not a failure of the whole reply
            }
        }
        return items;
    }

    private String line() throws IOException {
        StringBuilder sb = new StringBuilder();
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                throw new EOFException("redis-server closed the connection inside a reply line");
            }
            if (b != '\r') {
                sb.append((char) b);
            }
        }
        return sb.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
