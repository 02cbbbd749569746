package io.respin;

/**
 * The command was refused before it was sent because the client already held as many commands as it may
 * ({@code maxPendingCommands}: queued, waiting for a connection and in flight) — at once under the fail-fast policy,
 * or when no room came before the command's deadline. Nothing was sent; retrying later is safe. The runtime throws
 * one shared instance per cause (no stack trace): a rejection under overload costs nothing.
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

    /**
     * A rejection made once and thrown for every command it refuses: without a stack trace or suppressed list, so a
     * million rejected futures kept by a caller cost a million references, not a million stack traces.
     */
    public static RedisBackpressureException shared(String message) {
        return new RedisBackpressureException(message, true);
    }

    private RedisBackpressureException(String message, boolean shared) {
        super(message, shared);
    }
}
