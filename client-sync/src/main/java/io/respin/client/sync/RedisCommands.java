package io.respin.client.sync;

import io.respin.RedisException;
import io.respin.engine.command.Command;
import io.respin.engine.command.Commands;
import io.respin.engine.command.ScanArgs;
import io.respin.engine.command.ScoredValue;
import io.respin.engine.command.Script;
import io.respin.engine.resp.Reply;
import io.respin.io.IoCommand;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The blocking Redis API: every typed command returns its value, or throws an {@code io.respin} exception
 * (server error, timeout, connection, protocol, backpressure). Thread-safe: any number of platform or virtual
 * threads share one client, and their commands are pipelined on one connection. Get one from
 * {@code RedisClient.sync()}.
 *
 * <pre>{@code
 * RedisCommands<String, String> redis = client.sync();
 * redis.set("greeting", "hello");
 * String v = redis.get("greeting");
 * }</pre>
 */
public class RedisCommands<K, V> extends SyncCommandMethods<K, V> {
    private final Consumer<IoCommand> target;

    /** A facade that submits to {@code target} (an endpoint's or a dedicated connection's {@code submit}). */
    public RedisCommands(Consumer<IoCommand> target, Commands<K, V> commands) {
        super(commands);
        this.target = target;
    }

    /** This thread's catalogue: commands built in one reused object per platform thread (see SyncCall). */
    @Override
    protected Commands<K, V> catalogue() {
        return SyncCall.catalogue(commands);
    }

    /** Submits any command definition and waits for its value; the typed methods all come through here. */
    @Override
    public <T> T run(Command<T> command) {
        Objects.requireNonNull(command, "run: command is null");
        return SyncCall.run(target, command);
    }

    /**
     * The same commands with their own timeout, for the calls that need one (a slow SCAN, a big SORT): each command
     * sent through the returned facade ends by {@code timeout} after its submit (plus its block time, for a
     * blocking command), instead of the client's command timeout. Cheap: share it or make one per call.
     *
     * <pre>{@code
     * Reply r = redis.withTimeout(Duration.ofSeconds(60)).execute("DEBUG", "RELOAD");
     * }</pre>
     */
    public RedisCommands<K, V> withTimeout(java.time.Duration timeout) {
        java.util.Objects.requireNonNull(timeout, "withTimeout: timeout is null");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be > 0, got " + timeout);
        }
        Consumer<IoCommand> inner = target;
        return new RedisCommands<>(c -> inner.accept(c.timeout(timeout)), commands);
    }

    /** The catalogue this facade submits from, for commands built by hand. */
    public Commands<K, V> commands() {
        return commands;
    }

    /** Runs {@code script} by EVALSHA, falling back to EVAL (which loads it) when the server answers NOSCRIPT. */
    public Reply evalScript(Script script, List<K> keys, List<V> args) {
        Objects.requireNonNull(script, "EVALSHA: script is null");
        try {
            return run(commands.scripting().evalsha(script.sha1(), keys, args));
        } catch (RedisException e) {
            if (!Script.isNoScript(e)) {
                throw e;
            }
            return run(commands.scripting().eval(script.lua(), keys, args));
        }
    }

    /** Every key, lazily, page by page (SCAN with MATCH/COUNT/TYPE from {@code args}). */
    public Iterator<K> scanIterator(ScanArgs args) {
        Objects.requireNonNull(args, "SCAN: args is null"); // here, not at the first hasNext()
        return new ScanIterator<>(cursor -> run(commands.keys().scan(cursor, args)));
    }

    /** {@link #scanIterator} as a sequential stream. */
    public Stream<K> scanStream(ScanArgs args) {
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(scanIterator(args), Spliterator.ORDERED), false);
    }

    /** Every field and value of a hash, lazily (HSCAN). */
    public Iterator<Map.Entry<K, V>> hscanIterator(K key, ScanArgs args) {
        Objects.requireNonNull(key, "HSCAN: key is null"); // here, not at the first hasNext()
        Objects.requireNonNull(args, "HSCAN: args is null");
        return new ScanIterator<>(cursor -> run(commands.hashes().hscan(key, cursor, args)));
    }

    /** Every member of a set, lazily (SSCAN). */
    public Iterator<V> sscanIterator(K key, ScanArgs args) {
        Objects.requireNonNull(key, "SSCAN: key is null"); // here, not at the first hasNext()
        Objects.requireNonNull(args, "SSCAN: args is null");
        return new ScanIterator<>(cursor -> run(commands.sets().sscan(key, cursor, args)));
    }

    /** Every member of a sorted set with its score, lazily (ZSCAN). */
    public Iterator<ScoredValue<V>> zscanIterator(K key, ScanArgs args) {
        Objects.requireNonNull(key, "ZSCAN: key is null"); // here, not at the first hasNext()
        Objects.requireNonNull(args, "ZSCAN: args is null");
        return new ScanIterator<>(cursor -> run(commands.sortedSets().zscan(key, cursor, args)));
    }
}
