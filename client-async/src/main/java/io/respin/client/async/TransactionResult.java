package io.respin.client.async;

import java.util.List;

/**
 * The outcome of EXEC: either committed, with each queued command's result in order (a value, or the
 * {@code RedisServerException} that command got), or aborted because a WATCHed key changed (nothing ran).
 *
 * <pre>{@code
 * TransactionResult r = tx.exec();
 * if (!r.committed()) retry();
 * }</pre>
 *
 * @param committed false when WATCH aborted the transaction
 * @param results   per queued command, in order; empty when aborted
 */
public record TransactionResult(boolean committed, List<Object> results) {

    /** The i-th queued command's result, cast to the type you know it has. */
    @SuppressWarnings("unchecked")
    public <T> T get(int i) {
        return (T) results.get(i);
    }
}
