package io.respin.io.net;

import io.respin.RedisConnectionException;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;

/**
 * The socket under a link: a non-blocking channel, its selection key, and the {@link Transport} (plain or
 * TLS) that moves bytes through it. It knows nothing of Redis — the link decides what to write and what the bytes
 * it reads mean — and a reconnect opens a new one. Duty-confined, like its link (the IO thread, or a submitter
 * holding the duty while the IO thread sleeps).
 *
 * <p>It also tells a URI whose scheme does not match the port, which would otherwise look like a hang or a reset:
 * a {@code rediss://} handshake that hears nothing is probed in plain RESP ({@link PlainRedisProbe}); a
 * {@code redis://} connection whose server answers with a TLS record, or closes without a byte, says TLS may be
 * expected.
 *
 * <pre>{@code
 * LinkSocket s = LinkSocket.open(false, keepAlive, selector, link);
 * if (s.connect(address) || s.finishConnect()) {   // finishConnect once OP_CONNECT fired
 *     boolean tls = s.startTransport(peer);   // null: plain
 * }
 * }</pre>
 */
public final class LinkSocket {
    private static final int READ_WRITE = SelectionKey.OP_READ | SelectionKey.OP_WRITE;
    /** The lead selector has one key: that select returned is all the waiter needs to know. */
    private static final java.util.function.Consumer<SelectionKey> IGNORE_KEY = k -> { };

    /** How long a TLS handshake may hear nothing before a plain connection asks whether Redis is there. */
    private static final long PROBE_AFTER_NANOS = 300_000_000L;

    private final SocketChannel channel;
    private final SelectionKey key;
    private final boolean unix;
    /** Null until connected. */
    private Transport transport;
    /** Bytes written and whether any came back: a plain server that closes unheard may be a TLS port. */
    private long written;
    private boolean heard;
    /** The TLS handshake's silence: since when, and the probe asking the port in plain RESP (at most one). */
    private long silentSince = -1;
    private PlainRedisProbe probe;
    private boolean probed;
    /** Whether the IO thread's selector watches reads (off only while the runtime is idle: see {@link #watchReads}). */
    private boolean reads = true;
    /** Whether it watches for room to write. */
    private boolean writes;
    /** A selector of this socket's own, for a caller that waits for its reply itself (made when first needed). */
    private volatile Selector lead;
    private SelectionKey leadKey;

    private LinkSocket(SocketChannel channel, SelectionKey key, boolean unix) {
        this.channel = channel;
        this.key = key;
        this.unix = unix;
    }

    /**
     * A new non-blocking socket (TCP_NODELAY, keepalive by setting; neither for a Unix socket) registered with
     * {@code selector}, its key carrying {@code attachment} (the link it serves).
     */
    public static LinkSocket open(boolean unix, boolean keepAlive, Selector selector, Object attachment) throws IOException {
        SocketChannel channel = unix ? SocketChannel.open(StandardProtocolFamily.UNIX) : SocketChannel.open();
        try {
            channel.configureBlocking(false);
            if (!unix) {
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                channel.setOption(StandardSocketOptions.SO_KEEPALIVE, keepAlive);
            }
            return new LinkSocket(channel, channel.register(selector, 0, attachment), unix);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** Starts connecting; true when connected at once, else OP_CONNECT is watched and {@link #finishConnect} follows. */
    public boolean connect(SocketAddress address) throws IOException {
        if (channel.connect(address)) {
            return true;
        }
        key.interestOps(SelectionKey.OP_CONNECT);
        return false;
    }

    public boolean finishConnect() throws IOException {
        return channel.finishConnect();
    }

    /**
     * Connected: puts the transport on the socket and watches reads; {@code tls} is null for a plain socket. True
     * for TLS, whose handshake comes next.
     */
    public boolean startTransport(TlsPeer tls) throws IOException {
        reads = true;
        key.interestOps(SelectionKey.OP_READ);
        if (tls != null) {
            transport = TlsTransport.create(channel, tls);
            return true;
        }
        transport = new Transport.Plain(channel);
        return false;
    }

    /** Moves the TLS handshake along; true once it is complete, else the socket waits for what it needs. */
    public boolean continueTls() throws IOException {
        if (transport.handshake()) {
            closeProbe();
            return true;
        }
        watchWrites(transport.hasPendingOutput());
        return false;
    }

    /** True once connected (a transport carries the bytes). */
    public boolean hasTransport() {
        return transport != null;
    }

    public int read(ByteBuffer dst) throws IOException {
        if (heard || !(transport instanceof Transport.Plain)) {
            return transport.read(dst);
        }
        int from = dst.position();
        int n;
        try {
            n = transport.read(dst);
        } catch (IOException e) {
            if (written > 0 && !unix) {
                throw closedUnheard(" (" + e.getMessage() + ")", e);
            }
            throw e;
        }
        if (n < 0 && written > 0 && !unix) {
            throw closedUnheard("", null);
        }
        if (n > 0) {
            heard = true;
            refuseTlsRecord(dst, from, n);
        }
        return n;
    }

    /** A RESP server never starts with 0x15 (alert) or 0x16 (handshake) and version 3: a TLS server does. */
    private static void refuseTlsRecord(ByteBuffer dst, int from, int n) {
        int type = dst.get(from) & 0xff;
        if ((type == 0x15 || type == 0x16) && (n < 2 || dst.get(from + 1) == 3)) {
            throw new RedisConnectionException("the server answered with a TLS record ("
                    + TlsTransport.printable(dst, from, from + n) + "), not RESP: the port expects TLS."
                    + TlsTransport.CHECK_TLS, false);
        }
    }

    /** The server closed (or reset) a TCP connection without a byte after we wrote: a TLS port does that. */
    private static RedisConnectionException closedUnheard(String how, IOException cause) {
        return new RedisConnectionException("the server closed the connection" + how + " without answering the "
                + "handshake: a TLS port does that to a plain client." + TlsTransport.CHECK_TLS, false, cause);
    }

    /**
     * From the link's maintenance pass during the TLS handshake: a message once a server that never answered the
     * handshake turned out to be a plain Redis server, else null (the handshake may still succeed, or time out).
     */
    public String plainRedisInsteadOfTls(long now) {
        if (!(transport instanceof TlsTransport tls) || tls.heardFromServer() || probed && probe == null) {
            closeProbe();
            return null;
        }
        if (silentSince < 0) {
            silentSince = now;
        }
        if (probe == null) {
            if (now - silentSince < PROBE_AFTER_NANOS) {
                return null;
            }
            probed = true;
            try {
                probe = PlainRedisProbe.open(channel.getRemoteAddress());
            } catch (IOException | RuntimeException e) {
                return null; // no verdict: the connect timeout stays the bound
            }
        }
        return switch (probe.poll()) {
            case PENDING -> null;
            case NOT_PLAIN -> {
                closeProbe();
                yield null;
            }
            case PLAIN_REDIS -> {
                String said = probe.answer();
                closeProbe();
                yield "the server does not speak TLS on this port: it answered nothing to the TLS handshake, and a "
                        + "plain connection to the same port got a Redis reply (" + said + ")." + TlsTransport.CHECK_TLS;
            }
        };
    }

    private void closeProbe() {
        if (probe != null) {
            probe.close();
            probe = null;
        }
    }

    /** True when the transport holds decrypted bytes that no socket event will announce (TLS). */
    public boolean hasBufferedInput() {
        return transport != null && transport.hasBufferedInput();
    }

    /**
     * Writes what the transport itself still holds (TLS records); true when nothing is left. Otherwise the
     * socket waits for OP_WRITE.
     */
    public boolean flushPending() throws IOException {
        if (transport.hasPendingOutput() && !transport.flushPending()) {
            reads = true;
            writes = true;
            key.interestOps(READ_WRITE);
            return false;
        }
        return true;
    }

    /** Writes what TLS buffered during its handshake, as far as the socket takes it. */
    public void flushHandshake() throws IOException {
        transport.flushPending();
    }

    /** Writes from {@code src}: bytes taken (possibly buffered by TLS). */
    public int write(ByteBuffer src) throws IOException {
        int n = transport.write(src);
        written += n;
        return n;
    }

    public boolean hasPendingOutput() {
        return transport.hasPendingOutput();
    }

    /** Watches OP_WRITE as well as OP_READ while {@code pending} bytes wait for room in the socket. */
    public void watchWrites(boolean pending) {
        writes = pending;
        reads |= pending; // a partial write: the IO thread takes over this socket entirely
        key.interestOps((reads ? SelectionKey.OP_READ : 0) | (pending ? SelectionKey.OP_WRITE : 0));
    }

    /**
     * Whether the IO thread's selector watches this socket's reads. Off only for the length of one sleep of an
     * idle runtime, so that a caller that sends a command while it sleeps can wait for the reply on
     * {@link #awaitReadable} without the reply also waking the IO thread. Takes effect at the selector's next
     * select. Duty holder only.
     */
    public void watchReads(boolean on) {
        if (reads != on) {
            reads = on;
            key.interestOps((on ? SelectionKey.OP_READ : 0) | (writes ? SelectionKey.OP_WRITE : 0));
        }
    }

    /** False while the IO thread's selector does not watch this socket's reads. */
    public boolean readsWatched() {
        return reads;
    }

    /**
     * Blocks the calling thread until the socket has bytes to read, {@link #wakeLead} is called, or
     * {@code timeoutMs} pass, on a selector of the socket's own ({@link #prepareLead} first). Duty holder only
     * (one thread at a time).
     */
    public void awaitReadable(long timeoutMs) throws IOException {
        lead.select(IGNORE_KEY, timeoutMs); // the action form: no selected-key set, nothing allocated
    }

    /** Before the first {@link #awaitReadable}: the socket's own selector, made once per socket. */
    public void prepareLead() throws IOException {
        if (lead == null) {
            Selector s = Selector.open();
            leadKey = channel.register(s, SelectionKey.OP_READ);
            lead = s;
        }
    }

    /** Any thread: makes a current (or the next) {@link #awaitReadable} return at once. */
    public void wakeLead() {
        Selector s = lead;
        if (s != null) {
            s.wakeup();
        }
    }

    /** Closes the socket; closing a broken one can fail, and it is closed either way. */
    public void close() {
        closeProbe();
        key.cancel();
        if (lead != null) {
            leadKey.cancel();
            try {
                lead.close();
            } catch (IOException ignored) {
                // the selector's descriptors are released either way
            }
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing left to do with it
        }
        transport = null;
    }
}
