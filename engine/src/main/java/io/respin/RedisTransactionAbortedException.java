package io.respin;

/**
 * A command queued inside MULTI did not run because its transaction did not: a WATCHed key changed (EXEC
 * answered null), the transaction was discarded (DISCARD, RESET) or the server refused EXEC (EXECABORT, after an
 * error while queueing). Nothing of the transaction was applied; the caller may retry the whole transaction.
 *
 * <pre>{@code
 * catch (RedisTransactionAbortedException e) { retryTransaction(); }
 * }</pre>
 */
public class RedisTransactionAbortedException extends RedisException {
    private static final long serialVersionUID = 1L;

    public RedisTransactionAbortedException(String message) {
        super(message);
    }
}
