package io.respin.io.net;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * Bytes to and from one non-blocking socket: as they are ({@link Plain}) or through TLS ({@link TlsTransport}).
 * The IO thread calls these only when it has something to move; none of them blocks.
 */
interface Transport {

    /** Reads into {@code dst}; returns bytes read, 0 when nothing is available, -1 at end of stream. */
    int read(ByteBuffer dst) throws IOException;

    /** Writes from {@code src}; returns bytes of {@code src} taken (possibly buffered, for TLS). */
    int write(ByteBuffer src) throws IOException;

    /**
     * Moves the transport's own handshake along (TLS); returns true once it is complete. A plain socket has none.
     */
    boolean handshake() throws IOException;

    /** True while bytes the transport took are not yet on the wire (TLS records). */
    boolean hasPendingOutput();

    /** Writes bytes the transport buffered; returns true when none are left. */
    boolean flushPending() throws IOException;

    /** True when the transport holds decrypted bytes that a {@link #read} can return without the socket. */
    boolean hasBufferedInput();

    /** An unencrypted socket. */
    record Plain(SocketChannel channel) implements Transport {
        @Override public int read(ByteBuffer dst) throws IOException { return channel.read(dst); }

        @Override public int write(ByteBuffer src) throws IOException { return channel.write(src); }

        @Override public boolean handshake() { return true; }

        @Override public boolean hasPendingOutput() { return false; }

        @Override public boolean flushPending() { return true; }

        @Override public boolean hasBufferedInput() { return false; }
    }
}
