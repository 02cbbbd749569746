package io.respin;

/**
 * The thread waiting for a command's reply was interrupted, and the wait ended there, as
 * {@code BlockingQueue.take()} ends: the thread's interrupt status is kept (set), so the code that interrupted it
 * still sees the request. The command is withdrawn as by a cancel: not yet sent, it never will be; already sent, it
 * may have run, and its reply, when it comes, is discarded; a blocking command's dedicated connection is closed so
 * that the server stops blocking for it. The cause is an {@link InterruptedException}, for code that looks for one.
 *
 * <pre>{@code
 * try { redis.get("k"); }
 * catch (RedisInterruptedException e) { return; } // Thread.currentThread().isInterrupted() is still true
 * }</pre>
 */
public class RedisInterruptedException extends RedisException {
    private static final long serialVersionUID = 1L;

    public RedisInterruptedException(String message) {
        super(message, new InterruptedException());
    }
}
