package io.respin;

/**
 * No reply came before the command's deadline. If the command had been written its outcome is unknown; a reply
 * that arrives later is discarded, never handed to another command.
 *
 * <pre>{@code
 * catch (RedisTimeoutException e) { metrics.timeouts.increment(); }
 * }</pre>
 */
public class RedisTimeoutException extends RedisException {
    private static final long serialVersionUID = 1L;

    public RedisTimeoutException(String message) {
        super(message);
    }

    /** {@code cause}: why the command could not even be sent in time (the connection's last connect error). */
    public RedisTimeoutException(String message, Throwable cause) {
        super(message, cause);
    }
}
