package io.respin.client.async;

import io.respin.RedisException;
import io.respin.engine.command.Command;
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
    final Command<T> command;
    final CompletableFuture<T> future = new CallFuture<>(this);

    AsyncCall(Command<T> command) {
        this.command = command;
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
    }

    @Override protected void onFailed(RedisException error) {
        future.completeExceptionally(error);
    }

    /**
     * The caller's future: cancelling it withdraws the command from the IO runtime ({@link #cancel()}) — unsent, it
     * is never sent; in flight, its reply is discarded; a blocking command's connection is closed, so the server
     * stops blocking for it (an element it would pop later is not lost to a future nobody reads). It lets go of the
     * command once it is done: a caller that keeps a million finished futures keeps a million small objects.
     */
    private static final class CallFuture<T> extends CompletableFuture<T> {
        private AsyncCall<T> call; // racy on purpose: a stale read only cancels a command that already ended

        CallFuture(AsyncCall<T> call) {
            this.call = call;
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            AsyncCall<T> c = call;
            boolean cancelled = super.cancel(mayInterruptIfRunning);
            if (cancelled && c != null) {
                call = null;
                c.cancel();
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
                c.awaitHere(Long.MAX_VALUE, false);
            }
            return super.join();
        }

        @Override
        public T get() throws InterruptedException, ExecutionException {
            AsyncCall<T> c = call;
            if (c != null && !isDone()) {
                c.awaitHere(Long.MAX_VALUE, true);
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
            c.awaitHere(deadline, true);
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
