package io.respin.client.async;

import io.respin.RedisException;
import io.respin.engine.command.Command;
import io.respin.engine.command.CommandScratch;
import io.respin.engine.connection.CommandKind;
import io.respin.engine.resp.RespHandler;
import io.respin.engine.resp.RespWriter;
import io.respin.io.AsyncCommand;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Carries one command definition through the IO runtime and completes a future with its value, on the
 * runtime's completion thread — or on the caller's own thread when it joins the future while the command is in
 * flight, or awaits its pipeline batch (never the IO thread). Cancelling the future withdraws the command.
 */
final class AsyncCall<T> extends AsyncCommand {
    Command<T> command;
    CallFuture<T> future;
    /** Non-null: a reusable call, given back to this pool once its future is complete. */
    private final CallPool pool;
    /** A pooled call's commands are built in this scratch, through its thread's catalogue view ({@link CallPool}). */
    final CommandScratch scratch;

    AsyncCall(Command<T> command) {
        this.pool = null;
        this.scratch = null;
        arm(command);
    }

    /** A reusable call for {@code pool}; {@link #arm} it before each submit. */
    AsyncCall(CallPool pool) {
        this.pool = pool;
        this.scratch = new CommandScratch();
    }

    /** Takes {@code command} for the next submit, with a new future for it. */
    void arm(Command<T> command) {
        this.command = command;
        this.future = new CallFuture<>(this, submitCount() + 1);
        defaultTimeout(); // a reused call must not keep an earlier call's per-call timeout
    }

    /** The outcome is in the future: a pooled call lets go of the command and goes back to its pool. */
    private void release() {
        if (pool != null) {
            command = null;
            future = null;
            pool.release(this);
        }
    }

    /** The submit was refused before it reached the runtime: the future fails with {@code e}, the call is free. */
    void refused(RuntimeException e) {
        CallFuture<T> f = future;
        f.completeExceptionally(e);
        release();
    }

    @Override public void encode(RespWriter w) { command.encode(w); }

    @Override public RespHandler replyHandler() { return command.replyHandler(); }

    @Override public CommandKind kind() { return command.kind(); }

    @Override public int channelCount() { return command.channelCount(); }

    @Override public String name() { return command.name(); }

    @Override public boolean blocking() { return command.isBlocking(); }

    @Override public long blockNanos() { return command.blockNanos(); }

    /** The server flags the command read-only: it may be sent once more after a connection loss caught it. */
    @Override public boolean idempotent() { return command.isReadOnly(); }

    @Override public long weight() { return command.weight(); }

    @Override protected void onCompleted() {
        RedisException f = command.failure();
        if (f != null) {
            future.completeExceptionally(f);
        } else {
            future.complete(command.result());
        }
        release(); // after: nothing of this submit is read any more (the future let go of the call)
    }

    @Override protected void onFailed(RedisException error) {
        future.completeExceptionally(error);
        release();
    }

    /**
     * The caller's future: cancelling it withdraws the command from the IO runtime ({@link #cancel()}) — unsent, it
     * is never sent; in flight, its reply is discarded; a blocking command's connection is closed, so the server
     * stops blocking for it (an element it would pop later is not lost to a future nobody reads). It lets go of the
     * command once it is done: a caller that keeps a million finished futures keeps a million small objects.
     */
    static final class CallFuture<T> extends CompletableFuture<T> {
        /**
         * Racy on purpose: a stale read reaches a call that has ended — and, for a pooled call, perhaps been
         * submitted again; every use below names {@link #submit}, so it can only ever touch its own submit.
         */
        private AsyncCall<T> call;
        /** Which submit of the call this future is for. */
        private final int submit;

        CallFuture(AsyncCall<T> call, int submit) {
            this.call = call;
            this.submit = submit;
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            AsyncCall<T> c = call;
            boolean cancelled = super.cancel(mayInterruptIfRunning);
            if (cancelled && c != null) {
                call = null;
                c.cancelSubmit(submit);
            }
            return cancelled;
        }

        /**
         * A caller that joins a pending command runs its completion itself ({@link AsyncCommand#awaitHere}): the
         * reply reaches it with one wake-up, not two (IO thread → completion thread → caller).
         */
        @Override
        public T join() {
            AsyncCall<T> c = call;
            if (c != null && !isDone()) {
                c.awaitHere(submit, Long.MAX_VALUE, false);
            }
            return super.join();
        }

        @Override
        public T get() throws InterruptedException, ExecutionException {
            AsyncCall<T> c = call;
            if (c != null && !isDone()) {
                c.awaitHere(submit, Long.MAX_VALUE, true);
            }
            return super.get();
        }

        @Override
        public T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
            AsyncCall<T> c = call;
            if (c == null || isDone()) {
                return super.get(timeout, unit);
            }
            long deadline = System.nanoTime() + unit.toNanos(timeout);
            c.awaitHere(submit, deadline, true);
            return super.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        }

        @Override
        public boolean complete(T value) {
            call = null;
            return super.complete(value);
        }

        @Override
        public boolean completeExceptionally(Throwable error) {
            call = null;
            return super.completeExceptionally(error);
        }
    }
}
