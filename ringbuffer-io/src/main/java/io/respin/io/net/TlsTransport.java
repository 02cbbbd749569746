package io.respin.io.net;

import io.respin.RedisConnectionException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

/**
 * TLS on the IO thread's own loop: an {@link SSLEngine} between the connection's buffers and the socket, with SNI
 * and hostname verification on by default. Three buffers of its own:
 * <pre>
 *   netIn  (socket → engine, filled by read, kept in write mode)
 *   appIn  (engine → caller, decrypted bytes not yet taken, kept in write mode)
 *   netOut (engine → socket, encrypted bytes not yet written, kept in read mode)
 * </pre>
 * Delegated tasks (certificate checks) run inline: they happen once per connect, a cold path.
 */
final class TlsTransport implements Transport {

    private final SocketChannel channel;
    private final SSLEngine engine;
    private final ByteBuffer netIn;
    private final ByteBuffer appIn;
    private final ByteBuffer netOut;
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
    static final String CHECK_TLS = " Check the URI's scheme: redis:// for a plain port, rediss:// for the server's "
            + "tls-port";
    /** Whether the server sent anything yet: a plain Redis server says nothing to a ClientHello (see LinkSocket). */
    private boolean heard;

    private TlsTransport(SocketChannel channel, SSLEngine engine) {
        this.channel = channel;
        this.engine = engine;
        int packet = engine.getSession().getPacketBufferSize();
        int app = engine.getSession().getApplicationBufferSize();
        this.netIn = ByteBuffer.allocateDirect(packet * 2);
        this.appIn = ByteBuffer.allocateDirect(app * 2);
        this.netOut = ByteBuffer.allocateDirect(packet * 2);
        this.netOut.flip();
    }

    static TlsTransport create(SocketChannel channel, TlsPeer peer) throws SSLException {
        SSLContext ctx = peer.context();
        if (ctx == null) {
            try {
                ctx = SSLContext.getDefault();
            } catch (NoSuchAlgorithmException e) {
                throw new SSLException("no default TLS context in this JVM", e);
            }
        }
        String host = peer.host();
        SSLEngine engine = ctx.createSSLEngine(host, peer.port());
        engine.setUseClientMode(true);
        SSLParameters p = engine.getSSLParameters();
        if (peer.verifyHostname()) {
            p.setEndpointIdentificationAlgorithm("HTTPS");
        }
        if (isHostName(host)) {
            p.setServerNames(List.of(new SNIHostName(host)));
        }
        engine.setSSLParameters(p);
        engine.beginHandshake();
        return new TlsTransport(channel, engine);
    }

    private static boolean isHostName(String host) {
        // SNI carries names, never IP literals (RFC 6066)
        return host.indexOf(':') < 0 && !host.matches("[0-9.]+");
    }

    @Override
    public boolean handshake() throws IOException {
        while (true) {
            SSLEngineResult.HandshakeStatus hs = engine.getHandshakeStatus();
            switch (hs) {
                case NOT_HANDSHAKING, FINISHED -> {
                    return flushPending();
                }
                case NEED_TASK -> runTasks();
                case NEED_WRAP -> {
                    if (!flushPending()) {
                        return false;
                    }
                    wrap(EMPTY);
                    if (!flushPending()) {
                        return false;
                    }
                }
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                    if (!flushPending()) {
                        return false;
                    }
                    if (!unwrap()) {
                        int n = channel.read(netIn);
                        if (n < 0) {
                            throw new RedisConnectionException(heard
                                    ? "the server closed the connection during the TLS handshake." + CHECK_TLS
                                    : "the server closed the connection without answering the TLS handshake; is TLS "
                                      + "enabled on it?" + CHECK_TLS, false);
                        }
                        if (n == 0) {
                            return false;
                        }
                        if (!heard) {
                            heard = true;
                            refuseNonTls();
                        }
                    }
                }
            }
        }
    }

    /**
     * The first bytes of the server's answer must start a TLS record: a content type 20..24 (a handshake 0x16, an
     * alert 0x15), then major version 3. A plain server's reply ("-ERR ...") would make SSLEngine fail with
     * "Unsupported or unrecognized SSL message", which does not say what happened.
     */
    private void refuseNonTls() {
        int type = netIn.get(0) & 0xff;
        boolean tls = type >= 20 && type <= 24 && (netIn.position() < 2 || netIn.get(1) == 3);
        if (!tls) {
            throw new RedisConnectionException("the server answered the TLS handshake with non-TLS bytes ("
                    + printable(netIn, 0, netIn.position()) + "); is TLS enabled on it?" + CHECK_TLS, false);
        }
    }

    /** True once the server sent any byte since the connect. */
    boolean heardFromServer() {
        return heard;
    }

    /**
     * The start of what a server sent, for a message: {@code '-ERR unknown command'}, up to the end of the first
     * line or 48 bytes, other bytes than printable ASCII as {@code \xNN}.
     */
    static String printable(ByteBuffer buf, int from, int to) {
        StringBuilder s = new StringBuilder("'");
        for (int i = from; i < to; i++) {
            int b = buf.get(i) & 0xff;
            if (b == '\r' || b == '\n') {
                return s.append("'").toString();
            }
            if (i == from + 48) {
                return s.append("...'").toString();
            }
            if (b >= 0x20 && b < 0x7f) {
                s.append((char) b);
            } else {
                s.append(String.format("\\x%02x", b));
            }
        }
        return s.append("'").toString();
    }

    /** Unwraps what netIn holds; true when the engine made progress. */
    private boolean unwrap() throws SSLException {
        netIn.flip();
        try {
            SSLEngineResult r = engine.unwrap(netIn, appIn);
            switch (r.getStatus()) {
                case CLOSED -> throw new SSLException("the server closed the TLS session");
                case BUFFER_OVERFLOW, BUFFER_UNDERFLOW -> {
                    return false;
                }
                default -> {
                    if (r.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_TASK) {
                        runTasks();
                    }
                    return r.bytesConsumed() > 0 || r.bytesProduced() > 0;
                }
            }
        } finally {
            netIn.compact();
        }
    }

    private void wrap(ByteBuffer src) throws SSLException {
        netOut.compact();
        try {
            SSLEngineResult r = engine.wrap(src, netOut);
            if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                throw new SSLException("the TLS session is closed");
            }
        } finally {
            netOut.flip();
        }
    }

    private void runTasks() {
        Runnable t;
        while ((t = engine.getDelegatedTask()) != null) {
            t.run();
        }
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        int total = drainAppIn(dst);
        if (!dst.hasRemaining()) {
            return total;
        }
        while (unwrap()) {
            afterUnwrap();
        }
        total += drainAppIn(dst);
        if (!dst.hasRemaining()) {
            return total;
        }
        int n = channel.read(netIn);
        if (n > 0) {
            while (unwrap()) {
                afterUnwrap();
            }
            total += drainAppIn(dst);
        }
        return n < 0 && total == 0 ? -1 : total;
    }

    private void afterUnwrap() throws IOException {
        // TLS 1.3 may ask for a write (key update) or a task after a post-handshake message
        SSLEngineResult.HandshakeStatus hs = engine.getHandshakeStatus();
        if (hs == SSLEngineResult.HandshakeStatus.NEED_TASK) {
            runTasks();
        } else if (hs == SSLEngineResult.HandshakeStatus.NEED_WRAP) {
            wrap(EMPTY);
            flushPending();
        }
    }

    private int drainAppIn(ByteBuffer dst) {
        if (appIn.position() == 0) {
            return 0;
        }
        appIn.flip();
        int n = Math.min(appIn.remaining(), dst.remaining());
        int limit = appIn.limit();
        appIn.limit(appIn.position() + n);
        dst.put(appIn);
        appIn.limit(limit);
        appIn.compact();
        return n;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        if (!flushPending()) {
            return 0;
        }
        int before = src.position();
        wrap(src);
        flushPending();
        return src.position() - before;
    }

    @Override
    public boolean hasPendingOutput() {
        return netOut.hasRemaining();
    }

    @Override
    public boolean flushPending() throws IOException {
        while (netOut.hasRemaining()) {
            if (channel.write(netOut) == 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean hasBufferedInput() {
        return appIn.position() > 0;
    }
}
