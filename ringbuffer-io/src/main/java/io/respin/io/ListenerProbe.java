package io.respin.io;

import io.respin.RedisException;
import io.respin.io.loop.Endpoint;
import io.respin.io.loop.Probe;
import io.respin.io.loop.Submission;

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
            Class<?> k = listener.getClass();
            return k.getMethod("commandStarted", RedisEndpoint.class, String.class).getDeclaringClass() != IoListener.class
                    || k.getMethod("commandStarted", RedisEndpoint.class, IoCommand.class).getDeclaringClass()
                    != IoListener.class;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    @Override
    public void commandEnded(Endpoint endpoint, String name, Object started, long durationNanos, long bytesOut,
                             long bytesIn, RedisException error) {
        listener.commandCompleted(face(endpoint), name, started, durationNanos, bytesOut, bytesIn,
                IoListener.Outcome.of(error), error);
    }

    @Override
    public boolean wantsStart() {
        return wantsStart;
    }

    @Override
    public Object commandStarted(Endpoint endpoint, Submission command) {
        return command instanceof IoCommand c ? listener.commandStarted(face(endpoint), c) : null;
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

    /** Runs {@code call} (a cold event: a close), reporting a listener that throws as the runtime does elsewhere. */
    static void tell(IoListener listener, Runnable call, String what) {
        try {
            call.run();
        } catch (RuntimeException | Error e) {
            Thread t = Thread.currentThread();
            t.getUncaughtExceptionHandler().uncaughtException(t, new IllegalStateException("the IoListener " + listener
                    + " threw while told of " + what + "; listeners must not throw", e));
        }
    }

    private static RedisEndpoint face(Endpoint endpoint) {
        return (RedisEndpoint) endpoint.face();
    }
}
