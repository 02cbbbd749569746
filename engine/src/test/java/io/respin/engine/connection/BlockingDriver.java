package io.respin.engine.connection;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.function.BooleanSupplier;

/**
 * The smallest transport there is, for tests: one blocking SocketChannel, two direct buffers and a Connection.
 * {@link #send} encodes and writes; {@link #await} reads and feeds the connection until a condition holds.
 */
final class BlockingDriver implements AutoCloseable {
    final Events events = new Events();
    final Connection connection;
    private final SocketChannel channel;
    private ByteBuffer out = ByteBuffer.allocateDirect(64 * 1024);
    private ByteBuffer in = ByteBuffer.allocateDirect(64 * 1024);

    BlockingDriver(int port, ConnectionSettings settings) {
        connection = new Connection(settings, events);
        try {
            channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        connection.startHandshake();
        send();
        await(() -> events.ready != null || events.handshakeFailure != null);
    }

    /** Writes the pending handshake commands (if any) and then {@code requests}, in one write per buffer-full. */
    void send(Request... requests) {
        MemorySegment seg = whole(out);
        long pos = 0;
        long n;
        while ((n = connection.encodePending(seg, pos, seg.byteSize())) < 0) {
            grow(-n);
            seg = whole(out);
        }
        pos += n;
        for (Request r : requests) {
            n = connection.encode(r, seg, pos, seg.byteSize());
            if (n == Connection.REFUSED) {
                continue;
            }
            if (n < 0) { // full: flush what we have, then retry into an empty (maybe bigger) buffer
                write(pos);
                pos = 0;
                if (-n > seg.byteSize()) {
                    grow(-n);
                    seg = whole(out);
                }
                n = connection.encode(r, seg, 0, seg.byteSize());
            }
            pos += n;
        }
        write(pos);
    }

    /** The buffer's whole capacity as a segment (ofBuffer alone would start at the buffer's position). */
    private static MemorySegment whole(ByteBuffer b) {
        return MemorySegment.ofBuffer(b.duplicate().clear());
    }

    private void grow(long need) {
        out = ByteBuffer.allocateDirect((int) Math.max(need, out.capacity() * 2L));
    }

    private void write(long n) {
        out.clear().limit((int) n);
        try {
            while (out.hasRemaining()) {
                channel.write(out);
            }
        } catch (IOException e) {
            connection.fail(e);
        }
    }

    /** Reads until {@code done} holds (the test's @Timeout guards against a server that never answers). */
    void await(BooleanSupplier done) {
        while (!done.getAsBoolean()) {
            if (connection.failure() != null) {
                throw new IllegalStateException("connection failed: " + connection.failure().getMessage());
            }
            readOnce();
        }
    }

    /** Reads until nothing is in flight. */
    void drain() {
        await(() -> connection.inFlight() == 0);
    }

    private void readOnce() {
        if (!in.hasRemaining()) {
            ByteBuffer bigger = ByteBuffer.allocateDirect(in.capacity() * 2);
            in.flip();
            bigger.put(in);
            in = bigger;
        }
        int read;
        try {
            read = channel.read(in);
        } catch (IOException e) {
            connection.fail(e);
            throw new UncheckedIOException(e);
        }
        if (read < 0) {
            connection.fail("the server closed the connection");
            throw new IllegalStateException("server closed the connection; events: " + events.lines);
        }
        long used = connection.receive(whole(in), 0, in.position());
        if (used == Connection.FAILED) {
            return; // await() reports it unless the caller was waiting for exactly this
        }
        in.flip().position((int) used);
        in.compact();
        if (connection.hasPendingWrites()) {
            send();
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
