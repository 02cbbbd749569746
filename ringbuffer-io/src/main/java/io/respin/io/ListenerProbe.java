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
    private final boolean wantsStart;

    ListenerProbe(IoListener listener) {
        this.listener = listener;
        this.wantsStart = overridesStart(listener);
    }

    /** Whether {@code listener} overrides {@link IoListener#commandStarted} (for several: whether one of them does). */
    static boolean overridesStart(IoListener listener) {
        if (listener instanceof IoListeners all) {
            return all.anyStarts();
        }
        try {
            return listener.getClass().getMethod("commandStarted", RedisEndpoint.class, String.class)
                    .getDeclaringClass() != IoListener.class;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    @Override
    public void commandEnded(Endpoint endpoint, String name, Object started, long durationNanos, RedisException error) {
        listener.commandCompleted(face(endpoint), name, started, durationNanos, IoListener.Outcome.of(error), error);
    }

    @Override
    public boolean wantsStart() {
        return wantsStart;
    }

    @Override
    public Object commandStarted(Endpoint endpoint, String name) {
        return listener.commandStarted(face(endpoint), name);
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
