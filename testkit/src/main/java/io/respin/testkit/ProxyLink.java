package io.respin.testkit;

import io.respin.testkit.FaultProxy.Direction;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;

/**
 * One proxied connection: the accepted client socket, the socket to the target, and a {@link Flow} per
 * direction. Touched only by the proxy's loop thread.
 *
 * <pre>
 *   client ──read──▶ [toServer chunks] ──write──▶ server
 *   client ◀──write── [toClient chunks] ◀──read── server
 * </pre>
 */
final class ProxyLink {

    /** Bytes read but not yet written: held back by a stall, a delay, or a slow reader on the other side. */
    record Chunk(ByteBuffer data, long releaseAtNanos) {
    }

    /** One direction: what was read from {@code source} and waits to be written to {@code dest}. */
    final class Flow {
        final Direction direction;
        final ArrayDeque<Chunk> chunks = new ArrayDeque<>();
        long pendingBytes;
        /** The source sent FIN: once the chunks are written, the FIN is passed on with shutdownOutput. */
        boolean sourceEof;
        boolean destShut;
        /** The last write did not take everything: wait for OP_WRITE on dest. */
        boolean destFull;

        Flow(Direction direction) {
            this.direction = direction;
        }

        SocketChannel source() {
            return direction == Direction.TO_SERVER ? client : server;
        }

        SocketChannel dest() {
            return direction == Direction.TO_SERVER ? server : client;
        }

        boolean done() {
            return sourceEof && chunks.isEmpty() && destShut;
        }
    }

    final SocketChannel client;
    final SocketChannel server;
    SelectionKey clientKey;
    SelectionKey serverKey;
    boolean serverConnected;
    boolean closed;
    final Flow toServer = new Flow(Direction.TO_SERVER);
    final Flow toClient = new Flow(Direction.TO_CLIENT);

    ProxyLink(SocketChannel client, SocketChannel server) {
        this.client = client;
        this.server = server;
    }

    Flow flow(Direction d) {
        return d == Direction.TO_SERVER ? toServer : toClient;
    }

    /** The flow whose source is {@code ch}. */
    Flow readingFrom(SocketChannel ch) {
        return ch == client ? toServer : toClient;
    }

    /** The flow whose destination is {@code ch}. */
    Flow writingTo(SocketChannel ch) {
        return ch == client ? toClient : toServer;
    }

    /**
     * Closes both sockets. Unread input is drained first: closing a socket with unread bytes makes the kernel
     * send RST instead of FIN, and an RST may destroy bytes the peer has not read yet (the half reply a
     * {@code cutAfterBytes} test wants the client to see).
     */
    void close() {
        if (closed) {
            return;
        }
        closed = true;
        drainAndClose(client);
        drainAndClose(server);
        toServer.chunks.clear();
        toClient.chunks.clear();
    }

    /** Closes both sockets with SO_LINGER 0, so that the kernel answers with RST rather than FIN. */
    void reset() {
        if (closed) {
            return;
        }
        closed = true;
        for (SocketChannel ch : new SocketChannel[] {client, server}) {
            try {
                if (ch.isOpen()) {
                    ch.setOption(java.net.StandardSocketOptions.SO_LINGER, 0);
                }
            } catch (IOException ignored) {
                // the socket is already dead: a plain close will do
            }
            try {
                ch.close();
            } catch (IOException ignored) {
                // nothing useful to do
            }
        }
        toServer.chunks.clear();
        toClient.chunks.clear();
    }

    private static void drainAndClose(SocketChannel ch) {
        try {
            if (ch.isOpen() && ch.isConnected()) {
                ByteBuffer sink = ByteBuffer.allocate(8192);
                for (int i = 0; i < 64 && ch.read(sink) > 0; i++) {
                    sink.clear();
                }
            }
        } catch (IOException ignored) {
            // already broken: closing is all that is left
        }
        try {
            ch.close();
        } catch (IOException ignored) {
            // nothing useful to do
        }
    }
}
