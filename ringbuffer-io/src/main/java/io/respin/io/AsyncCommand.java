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
    /**
     * Who runs this command's callback: null, the completion thread; a {@link Gather}, its waiting thread (set by
     * {@link #gatherInto} before submit, or by {@link #awaitHere} while in flight); {@link Gather#DELIVERED} once
     * the duty holder has handed the outcome on. Swapped atomically, so a joiner and the duty holder agree.
     */
    volatile Gather gather;
    private static final java.lang.invoke.VarHandle GATHER;

    static {
        try {
            GATHER = java.lang.invoke.MethodHandles.lookup().findVarHandle(AsyncCommand.class, "gather", Gather.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
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
        if (gather == Gather.DELIVERED) {
            gather = null; // a reused command: its last outcome was handed on
        }
    }

    /**
     * For a thread about to wait for this command's outcome (a {@code join()} on its future): the duty holder hands
     * the outcome to this thread instead of the completion thread, and this thread runs the callback itself — one
     * wake-up (socket → IO thread → this thread) instead of two. Waits until {@code System.nanoTime()} reaches
     * {@code deadlineNanos} ({@code Long.MAX_VALUE}: no limit) and, when {@code interruptible}, not beyond an
     * interrupt (its status is kept). Returns true when the callback ran here; false when the outcome had already
     * been handed on (or the command belongs to a batch), or the wait ended first — then the callback runs on the
     * completion thread, and the caller waits for it there as usual.
     */
    public final boolean awaitHere(long deadlineNanos, boolean interruptible) {
        return awaitHere(-1, deadlineNanos, interruptible);
    }

    /**
     * {@link #awaitHere(long, boolean)} for submit number {@code submits} only ({@link #submitCount()} read after
     * that submit; -1: whichever is pending): a handle on a command object that is reused once it has ended waits
     * for its own submit, never a later one.
     */
    public final boolean awaitHere(int submits, long deadlineNanos, boolean interruptible) {
        if (gather != null) {
            return false;
        }
        Gather g = new Gather(1);
        if (!GATHER.compareAndSet(this, (Gather) null, g)) {
            return false;
        }
        if (submits >= 0 && submitCount() != submits) {
            g.await(System.nanoTime(), false); // a later submit: close at once, its outcome goes the usual way
            return false;
        }
        return g.await(deadlineNanos, interruptible);
    }

    /**
     * Hands this command's next outcome to {@code gather}'s waiting thread instead of the completion thread (for the
     * next submit only); returns this command.
     */
    public final AsyncCommand gatherInto(Gather gather) {
        this.gather = gather;
        return this;
    }

    /**
     * The submitting thread will wait for this outcome itself when it gathers it ({@link #gatherInto}, a pipeline's
     * {@code awaitAll()}): then, finding the IO thread asleep, it may write the batch and read its replies itself — the
     * IO thread is not woken, and the replies wake only this thread, as a blocking client's read does.
     */
    @Override
    protected final boolean waitsOnSubmitter() {
        Gather g = gather;
        return g != null && g != Gather.DELIVERED && g.waitedBy(Thread.currentThread());
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
        Gather g = (Gather) GATHER.getAndSet(this, Gather.DELIVERED);
        if (g == null || g == Gather.DELIVERED || !g.arrive(this)) {
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
