package io.respin.io;

import io.respin.RedisException;

/**
 * An {@link IoCommand} whose outcome is delivered by callback, off the IO thread: the IO thread hands the finished
 * command to the runtime's completion queue, and the completion thread (or the
 * {@link IoSettings.Builder#completionExecutor completion executor}) calls {@link #onCompleted()} or
 * {@link #onFailed(RedisException)} — or, for a command {@link #gatherInto gathered} into a batch, the thread that
 * waits for the batch does ({@link Gather}). A callback that blocks delays only later callbacks on the same completion
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
    /** The batch whose waiter runs this command's callback (see {@link #gatherInto}); null: the completion thread. */
    Gather gather;
    /** The next command in the {@link Gather}'s stack of arrived commands. */
    AsyncCommand gatheredNext;

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

    /**
     * Hands this command's next outcome to {@code gather}'s waiting thread instead of the completion thread (for the
     * next submit only); returns this command.
     */
    public final AsyncCommand gatherInto(Gather gather) {
        this.gather = gather;
        return this;
    }

    @Override
    protected final void completed() {
        deliver();
    }

    @Override
    protected final void failed(RedisException e) {
        error = e;
        deliver();
    }

    private void deliver() {
        Gather g = gather;
        if (g != null) {
            gather = null;
            g.arrive(this);
        } else {
            dispatch(callback);
        }
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
