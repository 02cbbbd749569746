package io.respin.io.loop;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Reads IO-thread state from a test, race-free: the read runs as a control task on the IO thread. Lets a test check
 * the premise of a fault (a command is waiting, unsent, where the test needs it) instead of assuming it from a sleep.
 */
public final class OnIoThread {
    private OnIoThread() {
    }

    /** {@code read}, evaluated on {@code io}'s IO thread. */
    public static <T> T read(Loop io, Supplier<T> read) {
        CompletableFuture<T> f = new CompletableFuture<>();
        io.control(() -> f.complete(read.get()));
        try {
            return f.get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("the IO thread did not run the probe", e);
        }
    }

    /**
     * True when no link of {@code e} waits in BACKOFF for a maintenance tick to come: each is connecting (or up), or
     * its reconnect is due in the IO thread's current pass.
     */
    public static boolean reconnectUnderWayOrDue(Loop io, Endpoint e) {
        return read(io, () -> {
            long now = io.agent().now();
            for (Link l : e.allLinks()) {
                if (l.state == Link.State.BACKOFF && (l.nextAttempt - now > 0 || io.agent().nextMaintenance - now > 0)) {
                    return false;
                }
            }
            return true;
        });
    }

    /** Waits until the IO thread has routed {@code c} out of the submit queue; returns where it went. */
    public static int awaitRouted(Loop io, Submission c) {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        int where;
        while ((where = read(io, () -> c.where)) == Submission.Where.SUBMIT_QUEUE) {
            if (System.nanoTime() - until > 0) {
                throw new AssertionError(c.name() + " never left the submit queue");
            }
            Thread.onSpinWait();
        }
        return where;
    }

    /** True when {@code c} waits at its endpoint for a pooled connection: routed, unsent, on no link yet. */
    public static boolean waitsForAPooledLink(Loop io, Submission c) {
        awaitRouted(io, c);
        return read(io, () -> c.where == Submission.Where.WAITING && c.link == null);
    }
}
