package io.respin.client.async.cache;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;

/**
 * A reader that missed while another reader's request for the same read was on its way: it is handed that reply's
 * tokens (or null: the read failed or was not kept; ask the server yourself) when the request ends.
 */
public abstract class Waiter {
    /** Called once, on the duty holder: publish and return. */
    abstract void deliver(byte[] tokens);

    /** A thread that waits (spin, then park) for its delivery. */
    public static final class Parked extends Waiter {
        private static final Object NONE = new Object();
        private final Thread thread = Thread.currentThread();
        private volatile Object outcome;

        @Override void deliver(byte[] tokens) {
            outcome = tokens == null ? NONE : tokens;
            LockSupport.unpark(thread);
        }

        /** The tokens, or null (none came, or the deadline passed first). */
        public byte[] await(long deadlineNanos) {
            Object o;
            for (int i = 0; (o = outcome) == null && i < 100; i++) {
                Thread.onSpinWait();
            }
            while ((o = outcome) == null) {
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0 || Thread.currentThread().isInterrupted()) {
                    return null;
                }
                LockSupport.parkNanos(this, left);
            }
            return o == NONE ? null : (byte[]) o;
        }
    }

    /** An async reader: its future completes off the IO thread (the common pool). */
    public static final class Future extends Waiter {
        public final CompletableFuture<byte[]> future = new CompletableFuture<>();

        @Override void deliver(byte[] tokens) {
            future.completeAsync(() -> tokens);
        }
    }
}
