package io.respin.io;

/**
 * One connection of an endpoint at the moment {@link RedisEndpoint#status()} asked: part of an {@link EndpointStatus}.
 * Immutable; copied on the IO thread from the state it owns.
 *
 * @param connection     which connection: the shared one, a dedicated one, the subscriber or the MONITOR connection
 * @param state          what it is doing
 * @param inFlight       commands written to it and not yet answered
 * @param reconnects     times it came back after it was lost, since it was opened
 * @param failedAttempts losses and failed connect attempts since it was last ready (0 while it is ready)
 * @param lastError      why it last failed or was lost, as the log says it (servers named as host:port, never a
 *                       password), or null if it never failed
 * @param refused        the server refuses its reconnect handshake now (WRONGPASS after a password rotation...):
 *                       commands on it fail at once until a handshake succeeds
 */
public record ConnectionStatus(IoListener.Connection connection, State state, int inFlight, int reconnects,
                               int failedAttempts, String lastError, boolean refused) {

    /** What a connection is doing. */
    public enum State {
        /** Opening for the first time: TCP connect, TLS, handshake. */
        CONNECTING,
        /** Handshake done: commands go out. */
        READY,
        /** It was ready and was lost: waiting out the backoff, or connecting again. */
        RECONNECTING,
        /** Closed for good (the endpoint or the runtime was closed). */
        CLOSED
    }
}
