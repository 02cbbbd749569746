package io.respin.io;

import io.respin.RedisException;
import java.util.List;

/**
 * Several {@link IoListener}s as one ({@link IoListener#all}): each event goes to each listener in order. Only the
 * listeners that override {@link IoListener#commandStarted} are asked at the start, and their values come back to
 * each of them at the end (one small array per command, only when two or more want a start; none want it: nothing
 * is made). Package-private: users see it as an {@code IoListener}.
 */
final class IoListeners implements IoListener {

    private final IoListener[] listeners;
    /** Indexes into {@link #listeners} of those that override commandStarted. */
    private final int[] starters;
    private final boolean anyStarts;

    IoListeners(List<IoListener> listeners) {
        this.listeners = listeners.toArray(new IoListener[0]);
        this.starters = java.util.stream.IntStream.range(0, this.listeners.length)
                .filter(i -> ListenerProbe.overridesStart(this.listeners[i])).toArray();
        this.anyStarts = starters.length > 0;
    }

    /** True when one of them overrides commandStarted (what {@link ListenerProbe} asks of this one). */
    boolean anyStarts() {
        return anyStarts;
    }

    @Override
    public Object commandStarted(RedisEndpoint endpoint, IoCommand command) {
        if (starters.length == 1) {
            return listeners[starters[0]].commandStarted(endpoint, command);
        }
        Object[] started = new Object[starters.length];
        for (int i = 0; i < starters.length; i++) {
            started[i] = listeners[starters[i]].commandStarted(endpoint, command);
        }
        return started;
    }

    @Override
    public void commandCompleted(RedisEndpoint endpoint, String command, Object started, long durationNanos,
                                 long bytesOut, long bytesIn, Outcome outcome, RedisException error) {
        int s = 0;
        for (int i = 0; i < listeners.length; i++) {
            Object mine = null;
            if (s < starters.length && starters[s] == i) {
                mine = starters.length == 1 ? started : started instanceof Object[] all ? all[s] : null;
                s++;
            }
            listeners[i].commandCompleted(endpoint, command, mine, durationNanos, bytesOut, bytesIn, outcome, error);
        }
    }

    @Override
    public void connectionUp(RedisEndpoint endpoint, Connection connection, boolean reconnect, int attempts) {
        for (IoListener l : listeners) {
            l.connectionUp(endpoint, connection, reconnect, attempts);
        }
    }

    @Override
    public void connectionDown(RedisEndpoint endpoint, Connection connection, RedisException cause) {
        for (IoListener l : listeners) {
            l.connectionDown(endpoint, connection, cause);
        }
    }

    @Override
    public void backpressure(long pendingCommands, long pendingBytes, boolean refused) {
        for (IoListener l : listeners) {
            l.backpressure(pendingCommands, pendingBytes, refused);
        }
    }

    @Override
    public void redirected(RedisEndpoint from, String command, Redirect kind, int slot, String toHost, int toPort) {
        for (IoListener l : listeners) {
            l.redirected(from, command, kind, slot, toHost, toPort);
        }
    }

    @Override
    public void endpointClosed(RedisEndpoint endpoint) {
        for (IoListener l : listeners) {
            l.endpointClosed(endpoint);
        }
    }

    @Override
    public void runtimeClosed(IoRuntime runtime) {
        for (IoListener l : listeners) {
            l.runtimeClosed(runtime);
        }
    }

    @Override
    public String toString() {
        return "IoListener.all" + List.of(listeners);
    }
}
