package io.respin;

/**
 * Base of every exception respin throws or completes a command with. The subclass says what kind of failure it
 * was; the message says what happened and what the user can do.
 *
 * <pre>{@code
 * try { redis.get("k"); }
 * catch (RedisTimeoutException e) { ... }     // no reply in time
 * catch (RedisServerException e) { e.prefix(); } // the server said -ERR / -WRONGTYPE ...
 * catch (RedisException e) { ... }            // anything else respin reports
 * }</pre>
 */
public class RedisException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RedisException(String message) {
        super(message);
    }

    public RedisException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * For exceptions made once and thrown many times (a rejection under load must cost nothing): no stack trace,
     * no suppressed list, so one instance is immutable and may be shared between threads.
     */
    protected RedisException(String message, boolean shared) {
        super(message, null, !shared, !shared);
    }
}
