package io.respin.io;

import java.io.IOException;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;

/**
 * The socket under a {@link Link}: a non-blocking channel, its selection key, and the {@link Transport} (plain or
 * TLS) that moves bytes through it. It knows nothing of Redis — the link decides what to write and what the bytes
 * it reads mean — and a reconnect opens a new one. Duty-confined, like its link (the IO thread, or a submitter
 * holding the duty while the IO thread sleeps).
 *
 * <pre>{@code
 * LinkSocket s = LinkSocket.open(uri, address, keepAlive, selector, link);
 * if (s.connect(address) || s.finishConnect()) {   // finishConnect once OP_CONNECT fired
 *     boolean tls = s.startTransport(uri, options);
 * }
 * }</pre>
 */
final class LinkSocket {
    private static final int READ_WRITE = SelectionKey.OP_READ | SelectionKey.OP_WRITE;

    private final SocketChannel channel;
    private final SelectionKey key;
    /** Null until connected. */
    private Transport transport;

    private LinkSocket(SocketChannel channel, SelectionKey key) {
        this.channel = channel;
        this.key = key;
    }

    /** A new non-blocking socket (TCP_NODELAY, keepalive by setting) registered with {@code selector} for {@code link}. */
    static LinkSocket open(RedisUri uri, boolean keepAlive, Selector selector, Link link) throws IOException {
        SocketChannel channel = uri.isUnixSocket() ? SocketChannel.open(StandardProtocolFamily.UNIX) : SocketChannel.open();
        try {
            channel.configureBlocking(false);
            if (!uri.isUnixSocket()) {
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                channel.setOption(StandardSocketOptions.SO_KEEPALIVE, keepAlive);
            }
            return new LinkSocket(channel, channel.register(selector, 0, link));
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** Starts connecting; true when connected at once, else OP_CONNECT is watched and {@link #finishConnect} follows. */
    boolean connect(SocketAddress address) throws IOException {
        if (channel.connect(address)) {
            return true;
        }
        key.interestOps(SelectionKey.OP_CONNECT);
        return false;
    }

    boolean finishConnect() throws IOException {
        return channel.finishConnect();
    }

    /** Connected: puts the transport on the socket and watches reads. True for TLS, whose handshake comes next. */
    boolean startTransport(RedisUri uri, ConnectionOptions options) throws IOException {
        key.interestOps(SelectionKey.OP_READ);
        if (uri.tls()) {
            transport = TlsTransport.create(channel, uri, options);
            return true;
        }
        transport = new Transport.Plain(channel);
        return false;
    }

    /** Moves the TLS handshake along; true once it is complete, else the socket waits for what it needs. */
    boolean continueTls() throws IOException {
        if (transport.handshake()) {
            return true;
        }
        watchWrites(transport.hasPendingOutput());
        return false;
    }

    /** True once connected (a transport carries the bytes). */
    boolean hasTransport() {
        return transport != null;
    }

    int read(ByteBuffer dst) throws IOException {
        return transport.read(dst);
    }

    /** True when the transport holds decrypted bytes that no socket event will announce (TLS). */
    boolean hasBufferedInput() {
        return transport != null && transport.hasBufferedInput();
    }

    /**
     * Writes what the transport itself still holds (TLS records); true when nothing is left. Otherwise the
     * socket waits for OP_WRITE.
     */
    boolean flushPending() throws IOException {
        if (transport.hasPendingOutput() && !transport.flushPending()) {
            key.interestOps(READ_WRITE);
            return false;
        }
        return true;
    }

    /** Writes what TLS buffered during its handshake, as far as the socket takes it. */
    void flushHandshake() throws IOException {
        transport.flushPending();
    }

    /** Writes from {@code src}: bytes taken (possibly buffered by TLS). */
    int write(ByteBuffer src) throws IOException {
        return transport.write(src);
    }

    boolean hasPendingOutput() {
        return transport.hasPendingOutput();
    }

    /** Watches OP_WRITE as well as OP_READ while {@code pending} bytes wait for room in the socket. */
    void watchWrites(boolean pending) {
        key.interestOps(pending ? READ_WRITE : SelectionKey.OP_READ);
    }

    /** Closes the socket; closing a broken one can fail, and it is closed either way. */
    void close() {
        key.cancel();
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing left to do with it
        }
        transport = null;
    }
}
