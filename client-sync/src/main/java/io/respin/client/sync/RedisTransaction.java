package io.respin.client.sync;

import io.respin.client.async.RedisPipeline;
import io.respin.engine.command.Command;
import io.respin.engine.command.Commands;
import io.respin.engine.command.Decoders;
import io.respin.engine.connection.CommandKind;
import io.respin.engine.resp.RespType;
import io.respin.io.DedicatedConnection;
import java.util.ArrayList;
import java.util.List;

/**
 * WATCH / MULTI / EXEC on a connection of its own, so that no other thread's commands slip into the
 * transaction. Read under WATCH through {@link #sync()}, call {@link #multi()}, queue commands through
 * {@link #queue()} (each returns a future that completes at EXEC), then {@link #exec()}.
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
    private final DedicatedConnection connection;
    private final Commands<K, V> commands;
    private final RedisCommands<K, V> sync;
    private final RedisPipeline<K, V> queue;

    /** A transaction on {@code connection} (from {@code RedisEndpoint.dedicated()}), which it closes at the end. */
    public static <K, V> RedisTransaction<K, V> open(DedicatedConnection connection, Commands<K, V> commands) {
        return new RedisTransaction<>(connection, commands);
    }

    private RedisTransaction(DedicatedConnection connection, Commands<K, V> commands) {
        this.connection = connection;
        this.commands = commands;
        this.sync = new RedisCommands<>(connection::submit, commands);
        this.queue = new RedisPipeline<>(connection::submit, commands);
    }

    /** WATCH keys: EXEC will abort if any of them changes before it. */
    @SafeVarargs
    public final void watch(K... keys) {
        sync.run(control("WATCH", CommandKind.WATCH, keys));
    }

    public void unwatch() {
        sync.run(control("UNWATCH", CommandKind.UNWATCH, null));
    }

    /** Blocking commands on this transaction's connection: reads under WATCH, before {@link #multi()}. */
    public RedisCommands<K, V> sync() {
        return sync;
    }

    /** Starts queuing: commands sent through {@link #queue()} from now on run at EXEC. */
    public void multi() {
        sync.run(control("MULTI", CommandKind.MULTI, null));
    }

    /** Where commands are queued after {@link #multi()}; each future completes when EXEC has run. */
    public RedisPipeline<K, V> queue() {
        return queue;
    }

    /** EXEC: runs the queued commands, or reports that a WATCHed key changed and nothing ran. */
    public TransactionResult exec() {
        // EXEC's own handler sees the array's start and end (elements go to the queued commands), or a null
        boolean committed = Boolean.TRUE.equals(sync.run(new Command<>("EXEC", CommandKind.EXEC, 0,
                w -> w.array(1).arg("EXEC"), Decoders.mapped(Decoders.reply(), r -> r.type() != RespType.NULL))));
        List<Object> results = queue.awaitAll();
        if (!committed) {
            return new TransactionResult(false, List.of());
        }
        return new TransactionResult(true, new ArrayList<>(results));
    }

    /** DISCARD: drops the queued commands (their futures fail with RedisTransactionAbortedException). */
    public void discard() {
        sync.run(control("DISCARD", CommandKind.DISCARD, null));
        queue.awaitAll();
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
