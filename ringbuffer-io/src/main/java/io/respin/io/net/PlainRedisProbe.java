package io.respin.io.net;

import java.io.IOException;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * Asks a port whose TLS handshake hears nothing whether a plain Redis server listens there. A plain redis-server
 * reads a TLS ClientHello as an inline command; the hello holds a NUL byte (offset 6) before any newline, so the
 * server waits for the rest of that "line" and says nothing, and the handshake would wait out the connect timeout.
 * The probe opens a second, plain connection to the same address, sends {@code PING} and reads the first byte of
 * the answer: {@code +} or {@code -} (PONG, NOAUTH, DENIED) is a plain Redis server; a TLS server closes the
 * connection or answers with an alert.
 *
 * <p>Non-blocking and never registered with the selector: the link's maintenance pass polls it (at least every
 * 100 ms) until it has a verdict. IO thread only; its {@link LinkSocket} closes it.
 */
final class PlainRedisProbe {

    enum Verdict { PENDING, PLAIN_REDIS, NOT_PLAIN }

    private final SocketChannel channel;
    private final ByteBuffer ping = ByteBuffer.wrap("PING\r\n".getBytes(StandardCharsets.US_ASCII));
    private final ByteBuffer answer = ByteBuffer.allocate(64);
    private boolean connected;

    private PlainRedisProbe(SocketChannel channel) {
        this.channel = channel;
    }

    /** Starts connecting to {@code address}; {@link #poll} finishes. */
    static PlainRedisProbe open(SocketAddress address) throws IOException {
        SocketChannel c = address instanceof UnixDomainSocketAddress
                ? SocketChannel.open(StandardProtocolFamily.UNIX) : SocketChannel.open();
        try {
            c.configureBlocking(false);
            PlainRedisProbe p = new PlainRedisProbe(c);
            p.connected = c.connect(address);
            return p;
        } catch (IOException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /** Moves the probe along without blocking; any failure of the probe itself is NOT_PLAIN. */
    Verdict poll() {
        try {
            if (!connected && !(connected = channel.finishConnect())) {
                return Verdict.PENDING;
            }
            if (ping.hasRemaining()) {
                channel.write(ping);
            }
            if (channel.read(answer) < 0 || answer.position() > 0) {
                byte first = answer.position() > 0 ? answer.get(0) : 0;
                return first == '+' || first == '-' ? Verdict.PLAIN_REDIS : Verdict.NOT_PLAIN;
            }
            return Verdict.PENDING;
        } catch (IOException e) {
            return Verdict.NOT_PLAIN;
        }
    }

    /** The start of the plain server's answer, for a message: {@code '+PONG'}. */
    String answer() {
        return TlsTransport.printable(answer, 0, answer.position());
    }

    void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // a probe that cannot even close has nothing more to say
        }
    }
}
