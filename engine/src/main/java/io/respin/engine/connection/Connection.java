package io.respin.engine.connection;

/**
 * The sans-IO Redis connection: handshake, the in-flight FIFO that matches replies to requests, push routing
 * and the modes (MULTI, subscribed, MONITOR) that change framing — no sockets, threads or clocks.
 */
public final class Connection {
    private Connection() {
        throw new UnsupportedOperationException("not built yet");
    }
}
