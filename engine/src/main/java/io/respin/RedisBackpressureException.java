package io.respin;

/**
 * The command was refused before it was sent because a bounded queue was full (fail-fast setting) or stayed
 * full until the command's deadline. Nothing was sent; retrying later is safe.
 *
 * <pre>{@code
 * catch (RedisBackpressureException e) { shedLoad(); }
 * }</pre>
 */
public class RedisBackpressureException extends RedisException {
    private static final long serialVersionUID = 1L;

    public RedisBackpressureException(String message) {
        super(message);
    }
}
