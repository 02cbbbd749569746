package io.respin.io;

import io.respin.RedisException;
import io.respin.io.loop.Endpoint;
import io.respin.io.loop.Probe;

/**
 * The loop's {@link Probe} calls, as {@link IoListener} calls: the loop's endpoint becomes the {@link RedisEndpoint}
 * it belongs to, a link role the {@link IoListener.Connection} of the same name, an error its
 * {@link IoListener.Outcome}. Allocates nothing.
 */
final class ListenerProbe implements Probe {

    private static final IoListener.Connection[] CONNECTIONS = IoListener.Connection.values();

    private final IoListener listener;

    ListenerProbe(IoListener listener) {
        this.listener = listener;
    }

    @Override
    public void commandEnded(Endpoint endpoint, String name, long durationNanos, RedisException error) {
        listener.commandCompleted(face(endpoint), name, durationNanos, IoListener.Outcome.of(error), error);
    }

    @Override
    public void linkUp(Endpoint endpoint, int role, boolean reconnect, int attempts) {
        listener.connectionUp(face(endpoint), CONNECTIONS[role], reconnect, attempts);
    }

    @Override
    public void linkDown(Endpoint endpoint, int role, RedisException cause) {
        listener.connectionDown(face(endpoint), CONNECTIONS[role], cause);
    }

    @Override
    public void backpressure(long pendingCommands, long pendingBytes, boolean refused) {
        listener.backpressure(pendingCommands, pendingBytes, refused);
    }

    private static RedisEndpoint face(Endpoint endpoint) {
        return (RedisEndpoint) endpoint.face();
    }
}
