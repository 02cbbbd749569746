package io.respin.client.sync;

import io.respin.RedisException;
import io.respin.client.async.AsyncTransaction;
import io.respin.client.async.RedisPipeline;
import io.respin.client.async.TransactionResult;
import io.respin.engine.command.Commands;
import io.respin.io.DedicatedConnection;
import io.respin.io.IoCommand;
import java.util.function.Consumer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * WATCH / MULTI / EXEC on a connection of its own, so that no other thread's commands slip into the
 * transaction: an {@link AsyncTransaction} whose steps the caller waits for. Read under WATCH through
 * {@link #sync()}, call {@link #multi()}, queue commands through {@link #queue()} (each returns a future that
 * completes at EXEC), then {@link #exec()}.
 *
 * <pre>{@code
 * try (RedisTransaction<String, String> tx = client.transaction()) {
 *     tx.watch("balance");
 *     long balance = Long.parseLong(tx.sync().get("balance"));
 *     tx.multi();
 *     tx.queue().set("balance", Long.toString(balance - 10));
 *     TransactionResult r = tx.exec();   // r.committed() is false if "balance" changed meanwhile
 * }
 * }</pre>
 */
@SuppressWarnings("varargs") // WATCH keys are only read
public final class RedisTransaction<K, V> implements AutoCloseable {
    private final AsyncTransaction<K, V> tx;
    private final RedisCommands<K, V> sync;

    private RedisTransaction(DedicatedConnection connection, Commands<K, V> commands, Consumer<IoCommand> admit) {
        this.tx = AsyncTransaction.open(connection, commands, admit);
        this.sync = new RedisCommands<>(admit == null ? connection::submit : c -> {
            admit.accept(c);
            connection.submit(c);
        }, commands);
    }

    /** A transaction on {@code connection} (from {@code RedisEndpoint.dedicated()}), which it closes at the end. */
    public static <K, V> RedisTransaction<K, V> open(DedicatedConnection connection, Commands<K, V> commands) {
        return new RedisTransaction<>(connection, commands, null);
    }

    /**
     * A transaction whose every command must pass {@code admit} before it is sent (on a cluster: its keys in the
     * transaction's slot); see {@link AsyncTransaction#open(DedicatedConnection, Commands, Consumer)}.
     */
    public static <K, V> RedisTransaction<K, V> open(DedicatedConnection connection, Commands<K, V> commands,
                                                     Consumer<IoCommand> admit) {
        return new RedisTransaction<>(connection, commands, admit);
    }

    /** WATCH keys: EXEC will abort if any of them changes before it. */
    @SafeVarargs
    public final void watch(K... keys) {
        await(tx.watch(keys));
    }

    public void unwatch() {
        await(tx.unwatch());
    }

    /** Blocking commands on this transaction's connection: reads under WATCH, before {@link #multi()}. */
    public RedisCommands<K, V> sync() {
        return sync;
    }

    /** Starts queuing: commands sent through {@link #queue()} from now on run at EXEC. */
    public void multi() {
        await(tx.multi());
    }

    /** Where commands are queued after {@link #multi()}; each future completes when EXEC has run. */
    public RedisPipeline<K, V> queue() {
        return tx.queue();
    }

    /** EXEC: runs the queued commands, or reports that a WATCHed key changed and nothing ran. */
    public TransactionResult exec() {
        return await(tx.exec());
    }

    /** DISCARD: drops the queued commands (their futures fail with RedisTransactionAbortedException). */
    public void discard() {
        await(tx.discard());
    }

    /** Gives the connection back (closed instead if left inside MULTI or WATCH). */
    @Override
    public void close() {
        tx.close();
    }

    private static <T> T await(CompletableFuture<T> f) {
        try {
            return f.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RedisException re) {
                throw re;
            }
            throw e;
        }
    }
}
