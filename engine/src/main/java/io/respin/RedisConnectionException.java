package io.respin;

/**
 * The connection failed (refused, reset, closed, handshake failed, TLS failed) before the command got its reply.
 * When {@link #outcomeUnknown()} is true the command had already been written to the socket: it may or may not
 * have run on the server, and respin did not send it again.
 *
 * <pre>{@code
 * catch (RedisConnectionException e) {
 *     if (e.outcomeUnknown()) { reconcile(); } else { retry(); }
 * }
 * }</pre>
 */
public class RedisConnectionException extends RedisException {
    private static final long serialVersionUID = 1L;
    private final boolean outcomeUnknown;

    public RedisConnectionException(String message, boolean outcomeUnknown) {
        super(message);
        this.outcomeUnknown = outcomeUnknown;
    }

    public RedisConnectionException(String message, boolean outcomeUnknown, Throwable cause) {
        super(message, cause);
        this.outcomeUnknown = outcomeUnknown;
    }

    /** True when the command was written and may have run; false when it was never sent. */
    public boolean outcomeUnknown() {
        return outcomeUnknown;
    }
}
