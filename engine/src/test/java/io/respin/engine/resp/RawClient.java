package io.respin.engine.resp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A plain blocking socket to a real redis-server whose replies go through {@link RespParser} and
 * {@link ReplyAssembler} the way a transport would feed them: a read buffer that is compacted after every parse
 * and grown only when {@link RespParser#bytesNeeded()} says a token cannot fit. Every byte received is kept in
 * {@link #captured()} so that tests can replay it. Public for the tests of other engine packages (cluster).
 */
public final class RawClient implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    final RespParser parser;
    private final ReplyAssembler assembler = new ReplyAssembler();
    private final ByteArrayOutputStream capture = new ByteArrayOutputStream();
    private byte[] buf;
    private int filled;

    RawClient(int port, long chunkThreshold, int bufferSize) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(20_000);
        socket.setTcpNoDelay(true);
        in = socket.getInputStream();
        out = socket.getOutputStream();
        parser = new RespParser().chunkThreshold(chunkThreshold);
        buf = new byte[bufferSize];
    }

    public RawClient(int port) throws IOException {
        this(port, Long.MAX_VALUE, 4096);
    }

    static byte[] command(Object... args) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (Object a : args) {
            byte[] v = a instanceof byte[] bytes ? bytes : a.toString().getBytes(StandardCharsets.UTF_8);
            b.writeBytes(("$" + v.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            b.writeBytes(v);
            b.writeBytes(new byte[] {'\r', '\n'});
        }
        return b.toByteArray();
    }

    public RawClient send(Object... args) throws IOException {
        return sendRaw(command(args));
    }

    RawClient sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    public Reply call(Object... args) throws IOException {
        return send(args).read();
    }

    List<Reply> read(int n) throws IOException {
        List<Reply> replies = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            replies.add(read());
        }
        return replies;
    }

    /** The next complete reply, reading from the socket as needed. */
    public Reply read() throws IOException {
        Reply r = assembler.poll();
        while (r == null) {
            receive();
            r = assembler.poll();
        }
        return r;
    }

    /** One socket read, parsed; the unconsumed tail moves to the buffer's start. */
    private void receive() throws IOException {
        if (filled == buf.length || parser.bytesNeeded() > buf.length) {
            buf = Arrays.copyOf(buf, (int) Math.max(2L * buf.length, parser.bytesNeeded()));
        }
        int n = in.read(buf, filled, buf.length - filled);
        if (n < 0) {
            throw new IOException("server closed the connection");
        }
        capture.write(buf, filled, n);
        filled += n;
        long used = parser.parse(buf, 0, filled, assembler);
        if (used == RespParser.FAILED) {
            throw parser.error();
        }
        System.arraycopy(buf, (int) used, buf, 0, filled - (int) used);
        filled -= (int) used;
    }

    int bufferSize() {
        return buf.length;
    }

    public byte[] captured() {
        return capture.toByteArray();
    }

    @Override public void close() throws IOException {
        socket.close();
    }
}
