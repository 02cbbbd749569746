package io.respin.io;

import java.util.List;

/**
 * A health view of one endpoint and the runtime serving it, as {@link RedisEndpoint#status()} (and
 * {@code RedisClient.status()}) took it: every connection's state, in-flight count, reconnects and last error, plus the
 * runtime's pending commands and bytes (the queue depth against {@link IoSettings#maxPendingCommands()}). Immutable;
 * the connection part is copied on the IO thread, so it is one consistent moment of that thread's state.
 *
 * <pre>{@code
 * EndpointStatus s = endpoint.status();
 * boolean healthy = s.connections().getFirst().state() == ConnectionStatus.State.READY;
 * }</pre>
 *
 * @param endpoint        the endpoint's URI, password hidden
 * @param closed          the endpoint (or its runtime) is closed
 * @param connections     the shared connection first, then the dedicated, subscriber and MONITOR ones it opened
 * @param pendingCommands commands the runtime holds now: queued, waiting for a connection, in flight (all endpoints)
 * @param pendingBytes    bytes of command values the runtime holds now (all endpoints)
 * @param pushBacklog     pushes received for this endpoint's listener and not handed to it yet
 * @param droppedPushes   pushes its listener never got (the push queue was full, or it closed first)
 */
public record EndpointStatus(String endpoint, boolean closed, List<ConnectionStatus> connections, long pendingCommands,
                             long pendingBytes, long pushBacklog, long droppedPushes) {

    public EndpointStatus {
        connections = List.copyOf(connections);
    }

    /** The shared connection's state, or CLOSED when the endpoint has none. */
    public ConnectionStatus.State sharedState() {
        return connections.isEmpty() ? ConnectionStatus.State.CLOSED : connections.getFirst().state();
    }
}
