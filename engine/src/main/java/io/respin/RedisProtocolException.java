package io.respin;

/**
 * The bytes from the server were not valid RESP, or broke a configured limit. The connection they came on is
 * dead: every command in flight on it fails with this exception and the transport reconnects.
 *
 * <pre>{@code
 * catch (RedisProtocolException e) { log.warn("server sent bad bytes at {}", e.offset()); }
 * }</pre>
 */
public class RedisProtocolException extends RedisException {
    private static final long serialVersionUID = 1L;
    private final long offset;

    /**
     * @param offset byte offset in the connection's inbound stream where the error was found, or -1 when unknown
     */
    public RedisProtocolException(String message, long offset) {
        super(message);
        this.offset = offset;
    }

    /** Byte offset in the connection's inbound stream at which the error was detected, or -1. */
    public long offset() {
        return offset;
    }
}
