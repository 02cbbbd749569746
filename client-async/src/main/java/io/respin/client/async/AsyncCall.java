package io.respin.client.async;

import io.respin.RedisException;
import io.respin.engine.command.Command;
import io.respin.engine.connection.CommandKind;
import io.respin.engine.resp.RespHandler;
import io.respin.engine.resp.RespWriter;
import io.respin.io.AsyncCommand;
import java.util.concurrent.CompletableFuture;

/**
 * Carries one command definition through the IO runtime and completes a future with its value, on the
 * runtime's completion thread (never the IO thread). Cancelling the future withdraws the command.
 */
final class AsyncCall<T> extends AsyncCommand {
    final Command<T> command;
    final CompletableFuture<T> future = new CallFuture();

    AsyncCall(Command<T> command) {
        this.command = command;
    }

    @Override public void encode(RespWriter w) { command.encode(w); }

    @Override public RespHandler replyHandler() { return command.replyHandler(); }

    @Override public CommandKind kind() { return command.kind(); }

    @Override public int channelCount() { return command.channelCount(); }

    @Override public String name() { return command.name(); }

    @Override public boolean blocking() { return command.isBlocking(); }

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
     * stops blocking for it (an element it would pop later is not lost to a future nobody reads).
     */
    private final class CallFuture extends CompletableFuture<T> {
        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            boolean cancelled = super.cancel(mayInterruptIfRunning);
            if (cancelled) {
                AsyncCall.this.cancel();
            }
            return cancelled;
        }
    }
}
