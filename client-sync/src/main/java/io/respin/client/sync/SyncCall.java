package io.respin.client.sync;

import io.respin.RedisException;
import io.respin.RedisServerException;
import io.respin.engine.command.Command;
import io.respin.engine.command.CommandScratch;
import io.respin.engine.command.Commands;
import io.respin.engine.connection.CommandKind;
import io.respin.engine.resp.RespHandler;
import io.respin.engine.resp.RespWriter;
import io.respin.io.SyncCommand;
import java.util.function.Consumer;

/**
 * Carries one command definition through the IO runtime while the calling thread waits (spin, then park).
 *
 * <p>A platform thread waits for one command at a time, so it keeps one call and reuses it for every command
 * it runs ({@link #run}): the transport's share of a blocking command then allocates nothing. Virtual threads
 * are usually one per task, where a thread-local would cost more than it saves, so they get a fresh call.
 *
 * <pre>{@code
 * String v = SyncCall.run(endpoint::submit, commands.strings().get("k"));
 * }</pre>
 */
final class SyncCall extends SyncCommand {
    private static final ThreadLocal<SyncCall> REUSED = ThreadLocal.withInitial(SyncCall::new);

    private Command<?> command;
    /** The running command's name, kept after the call is cleared: a timeout reported later still names it. */
    private String name = "SyncCall";
    /**
     * Where this thread's typed commands are built, one at a time (see {@link #catalogue}): it lives and dies with
     * this call, so a call that cannot be reused (a late reply may still reach its command) takes its scratch along.
     */
    private final CommandScratch scratch = new CommandScratch();
    private Commands<?, ?> viewOf;
    private Commands<?, ?> view;

    private SyncCall() {
    }

    /**
     * {@code base} as a catalogue that builds this thread's commands in one reused object, so that a blocking call
     * allocates only its argument lambda and its value: the calling thread runs each command to its end before it
     * builds the next. Virtual threads (short-lived, many) use {@code base} itself.
     */
    @SuppressWarnings("unchecked")
    static <K, V> Commands<K, V> catalogue(Commands<K, V> base) {
        if (Thread.currentThread().isVirtual()) {
            return base;
        }
        SyncCall call = REUSED.get();
        if (call.viewOf != base) {
            call.view = base.recycling(call.scratch);
            call.viewOf = base;
        }
        return (Commands<K, V>) call.view;
    }

    /** Submits {@code command} to {@code target} and waits for its value, or throws what it failed with. */
    static <T> T run(Consumer<? super SyncCommand> target, Command<T> command) {
        command.requireDecodableOnAnyThread();
        boolean reuse = !Thread.currentThread().isVirtual();
        SyncCall call = reuse ? REUSED.get() : new SyncCall();
        call.command = command;
        call.name = command.name();
        call.defaultTimeout(); // a reused call must not keep an earlier call's per-call timeout
        boolean reusable = false;
        try {
            target.accept(call);
            call.await();
            reusable = true;
        } catch (RedisServerException e) {
            reusable = true; // the reply came and ended the command: nothing holds the call any more
            throw e;
        } finally {
            if (reusable) {
                call.command = null; // the command and its value are the caller's, not the thread's
            } else if (reuse) {
                // a timeout leaves an abandoned slot in the engine's in-flight list (the engine keeps only its kind,
                // never the call), an interrupt leaves the call pending (its reply still goes to the command it
                // keeps), and a refused submit may have left it anywhere: never reuse it, take a fresh one next time
                REUSED.remove();
            }
        }
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

    @Override public String name() { return name; }

    @Override public boolean blocking() { return command.isBlocking(); }

    @Override public long blockNanos() { return command.blockNanos(); }

    /** The server flags the command read-only: it may be sent once more after a connection loss caught it. */
    @Override public boolean idempotent() { return command.isReadOnly(); }

    @Override public long weight() { return command.weight(); }
}
