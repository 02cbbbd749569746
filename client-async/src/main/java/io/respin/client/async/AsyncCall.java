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
 * runtime's completion thread (never the IO thread).
 */
final class AsyncCall<T> extends AsyncCommand {
    final Command<T> command;
    final CompletableFuture<T> future = new CompletableFuture<>();

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
}
