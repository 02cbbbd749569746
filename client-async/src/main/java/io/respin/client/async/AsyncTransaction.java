package io.respin.client.async;

import io.respin.engine.command.Command;
import io.respin.engine.command.Commands;
import io.respin.engine.command.Decoders;
import io.respin.engine.connection.CommandKind;
import io.respin.engine.resp.RespType;
import io.respin.io.DedicatedConnection;
import io.respin.io.IoCommand;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * WATCH / MULTI / EXEC on a connection of its own, without blocking: every step returns a future. Read under
 * WATCH through {@link #commands()}, then {@link #multi()}, queue through {@link #queue()} (futures that complete
 * at EXEC), then {@link #exec()}. The sync {@code RedisTransaction} is this, waited on.
 *
 * <pre>{@code
 * AsyncTransaction<String, String> tx = AsyncTransaction.open(endpoint.dedicated(), Commands.utf8());
 * tx.watch("balance")
 *   .thenCompose(ok -> tx.commands().get("balance"))
 *   .thenCompose(b -> { tx.multi(); tx.queue().set("balance", "0"); return tx.exec(); })
 *   .whenComplete((r, e) -> tx.close());
 * }</pre>
 */
@SuppressWarnings("varargs") // WATCH keys are only read
public final class AsyncTransaction<K, V> implements AutoCloseable {
    private final DedicatedConnection connection;
    private final Commands<K, V> commands;
    private final RedisAsyncCommands<K, V> direct;
    private final RedisPipeline<K, V> queue;

    private AsyncTransaction(DedicatedConnection connection, Commands<K, V> commands, Consumer<IoCommand> admit) {
        this.connection = connection;
        this.commands = commands;
        this.direct = new RedisAsyncCommands<>(admit == null ? connection::submit : c -> {
            admit.accept(c);
            connection.submit(c);
        }, commands);
        this.queue = new RedisPipeline<>(connection::submitAll, commands, admit);
    }

    /** A transaction on {@code connection} (from {@code RedisEndpoint.dedicated()}), which {@link #close()} returns. */
    public static <K, V> AsyncTransaction<K, V> open(DedicatedConnection connection, Commands<K, V> commands) {
        return new AsyncTransaction<>(connection, commands, null);
    }

    /**
     * A transaction whose every command (WATCH, reads, queued ones) must pass {@code admit} before it is sent — on a
     * cluster, a check that its keys are in the transaction's slot. A queued command refused makes {@link #exec()}
     * send DISCARD instead and fail with that refusal: nothing of the transaction runs.
     */
    public static <K, V> AsyncTransaction<K, V> open(DedicatedConnection connection, Commands<K, V> commands,
                                                     Consumer<IoCommand> admit) {
        return new AsyncTransaction<>(connection, commands, admit);
    }

    /** WATCH keys: EXEC will abort if any of them changes before it. */
    @SafeVarargs
    public final CompletableFuture<String> watch(K... keys) {
        java.util.Objects.requireNonNull(keys, "WATCH: keys is null");
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] == null) {
                throw new NullPointerException("WATCH: keys[" + i + "] is null");
            }
        }
        return direct.submit(control("WATCH", CommandKind.WATCH, keys));
    }

    public CompletableFuture<String> unwatch() {
        return direct.submit(control("UNWATCH", CommandKind.UNWATCH, null));
    }

    /** Commands on this transaction's connection that run now: reads under WATCH, before {@link #multi()}. */
    public RedisAsyncCommands<K, V> commands() {
        return direct;
    }

    /** Starts queuing: what goes through {@link #queue()} from now on runs at EXEC. */
    public CompletableFuture<String> multi() {
        return direct.submit(control("MULTI", CommandKind.MULTI, null));
    }

    /** Where commands are queued after {@link #multi()}; each future completes when EXEC has run. */
    public RedisPipeline<K, V> queue() {
        return queue;
    }

    /** EXEC: the queued commands' results, or "aborted" when a WATCHed key changed and nothing ran. */
    public CompletableFuture<TransactionResult> exec() {
        io.respin.RedisException refused = queue.takeRefusal();
        if (refused != null) { // a command of another slot was queued: nothing runs, the caller learns why
            return discard().handle((ok, e) -> {
                throw new CompletionException(refused);
            });
        }
        // the batch is what was queued before this EXEC, sent and taken now on the caller's thread, ahead of EXEC: a
        // command queued after it is not part of it, and nothing here waits on the completion thread (a deadlock)
        List<CompletableFuture<?>> batch = queue.take();
        // EXEC's own handler sees the array's start and end (elements go to the queued commands), or a null
        CompletableFuture<Boolean> committed = direct.submit(new Command<>("EXEC", CommandKind.EXEC, 0,
                w -> w.array(1).arg("EXEC"), Decoders.mapped(Decoders.reply(), r -> r.type() != RespType.NULL)));
        return committed.thenCompose(ok -> CompletableFuture.allOf(batch.toArray(CompletableFuture[]::new))
                .handle((v, e) -> Boolean.TRUE.equals(ok)
                        ? new TransactionResult(true, new ArrayList<>(RedisPipeline.outcomes(batch)))
                        : new TransactionResult(false, List.of())));
    }

    /** DISCARD: drops the queued commands (their futures fail with RedisTransactionAbortedException). */
    public CompletableFuture<String> discard() {
        List<CompletableFuture<?>> batch = queue.take();
        return direct.submit(control("DISCARD", CommandKind.DISCARD, null)).thenCompose(ok ->
                CompletableFuture.allOf(batch.toArray(CompletableFuture[]::new)).handle((v, e) -> ok));
    }

    private Command<String> control(String name, CommandKind kind, K[] keys) {
        return new Command<>(name, kind, 0, w -> {
            w.array(1 + (keys == null ? 0 : keys.length)).arg(name);
            if (keys != null) {
                for (K k : keys) {
                    commands.codec().writeKey(w, k);
                }
            }
        }, Decoders.status());
    }

    /** Gives the connection back (closed instead if left inside MULTI or WATCH). */
    @Override
    public void close() {
        connection.close();
    }
}
