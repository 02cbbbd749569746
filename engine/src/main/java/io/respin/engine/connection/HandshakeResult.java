package io.respin.engine.connection;

/**
 * What the handshake settled: the protocol version in use and what the server said about itself. Delivered by
 * {@link ConnectionListener#onReady}.
 *
 * <pre>{@code
 * public void onReady(HandshakeResult h) {
 *     log.info("connected: RESP{} to redis {} as client {}", h.protocol(), h.serverVersion(), h.clientId());
 * }
 * }</pre>
 *
 * @param protocol     2 or 3
 * @param serverVersion the server's version string from HELLO, or "" when the server did not say (RESP2 fallback)
 * @param clientId     the connection's id from HELLO, or -1 when unknown
 */
public record HandshakeResult(int protocol, String serverVersion, long clientId) {
}
