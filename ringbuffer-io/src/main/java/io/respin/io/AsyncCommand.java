package io.respin.io;

import io.respin.RedisException;

/**
 * An {@link IoCommand} whose outcome is delivered by callback, off the IO thread: the IO thread hands the finished
 * command to the runtime's completion queue, and the completion thread (or the
 * {@link IoSettings.Builder#completionExecutor completion executor}) calls {@link #onCompleted()} or
 * {@link #onFailed(RedisException)}. A callback that blocks delays only later callbacks on the same completion
 * thread — never the IO thread; give the runtime an executor if callbacks may block.
 *
 * <pre>{@code
 * final class AsyncGet extends AsyncCommand {
 *     final CompletableFuture<String> future = new CompletableFuture<>();
 *     String value;
 *     ... encode / replyHandler / kind as for any IoCommand ...
 *     @Override protected void onCompleted() { future.complete(value); }
 *     @Override protected void onFailed(RedisException e) { future.completeExceptionally(e); }
 * }
 * }</pre>
 */
public abstract class AsyncCommand extends IoCommand {

    /** Written by the duty holder before the callback is queued; read by the completion thread (the queue orders it). */
    private RedisException error;
    /** Allocated once per command object, so that handing it to an executor allocates nothing more. */
    final Runnable callback = this::runCallback;

    protected AsyncCommand() {
    }

    /** The reply has been decoded by {@link #replyHandler()}; runs on the completion thread or executor. */
    protected abstract void onCompleted();

    /** The command failed; runs on the completion thread or executor. */
    protected abstract void onFailed(RedisException error);

    @Override
    protected final void prepare() {
        error = null;
    }

    @Override
    protected final void completed() {
        dispatch(callback);
    }

    @Override
    protected final void failed(RedisException e) {
        error = e;
        dispatch(callback);
    }

    private void runCallback() {
        RedisException e = error;
        if (e == null) {
            onCompleted();
        } else {
            onFailed(e);
        }
    }
}
