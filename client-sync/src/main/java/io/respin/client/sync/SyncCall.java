package io.respin.client.sync;

import io.respin.RedisException;
import io.respin.engine.command.Command;
import io.respin.engine.connection.CommandKind;
import io.respin.engine.resp.RespHandler;
import io.respin.engine.resp.RespWriter;
import io.respin.io.SyncCommand;

/** Carries one command definition through the IO runtime while the calling thread waits (spin, then park). */
final class SyncCall<T> extends SyncCommand {
    private final Command<T> command;

    SyncCall(Command<T> command) {
        this.command = command;
    }

    /** Waits for the outcome: the value, or the exception the command failed with. */
    T join() {
        await();
        RedisException f = command.failure();
        if (f != null) {
            throw f;
        }
        return command.result();
    }

    @Override public void encode(RespWriter w) { command.encode(w); }

    @Override public RespHandler replyHandler() { return command.replyHandler(); }

    @Override public CommandKind kind() { return command.kind(); }

    @Override public int channelCount() { return command.channelCount(); }

    @Override public String name() { return command.name(); }

    @Override public boolean blocking() { return command.isBlocking(); }
}
