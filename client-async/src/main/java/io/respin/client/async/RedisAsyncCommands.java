package io.respin.client.async;

import io.respin.RedisException;
import io.respin.engine.command.Command;
import io.respin.engine.command.Commands;
import io.respin.engine.command.ScanArgs;
import io.respin.engine.command.ScanPage;
import io.respin.engine.command.ScoredValue;
import io.respin.engine.command.Script;
import io.respin.engine.resp.Reply;
import io.respin.io.IoCommand;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Flow;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The asynchronous Redis API: every typed command returns a {@link CompletableFuture} that completes on the IO
 * runtime's completion thread (never the IO thread), failing with the {@code io.respin} exceptions. Thread-safe;
 * commands from all threads share one auto-pipelined connection. Get one from {@code RedisClient.async()}.
 *
 * <pre>{@code
 * RedisAsyncCommands<String, String> redis = client.async();
 * redis.set("k", "v").thenCompose(ok -> redis.get("k")).thenAccept(System.out::println);
 * }</pre>
 */
public class RedisAsyncCommands<K, V> extends AsyncCommandMethods<K, V> {
    private final Consumer<IoCommand> target;

    /** A facade that submits to {@code target} (an endpoint's or a dedicated connection's {@code submit}). */
    public RedisAsyncCommands(Consumer<IoCommand> target, Commands<K, V> commands) {
        super(commands);
        this.target = target;
    }

    /** Submits any command definition; the typed methods all come through here. */
    @Override
    public <T> CompletableFuture<T> submit(Command<T> command) {
        Objects.requireNonNull(command, "submit: command is null");
        command.requireDecodableOnAnyThread();
        AsyncCall<T> call = CallPool.SHARED.take(command);
        CompletableFuture<T> future = call.future; // read before the submit: a pooled call is reused once it ends
        try {
            target.accept(call);
        } catch (RedisException e) { // backpressure, closed: the future fails like any other outcome
            call.refused(e);
        }
        return future;
    }

    /** This thread's catalogue: commands built in a pooled call's scratch (see {@code CallPool}). */
    @Override
    protected Commands<K, V> catalogue() {
        return CallPool.SHARED.catalogue(commands);
    }

    /**
     * The same commands with their own timeout (see the sync facade's {@code withTimeout}): each ends by
     * {@code timeout} after its submit, plus its block time for a blocking command.
     */
    public RedisAsyncCommands<K, V> withTimeout(java.time.Duration timeout) {
        java.util.Objects.requireNonNull(timeout, "withTimeout: timeout is null");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be > 0, got " + timeout);
        }
        Consumer<IoCommand> inner = target;
        return new RedisAsyncCommands<>(c -> inner.accept(c.timeout(timeout)), commands);
    }

    /** The catalogue this facade submits from, for commands built by hand. */
    public Commands<K, V> commands() {
        return commands;
    }

    /** Runs {@code script} by EVALSHA, falling back to EVAL (which loads it) when the server answers NOSCRIPT. */
    public CompletableFuture<Reply> evalScript(Script script, List<K> keys, List<V> args) {
        Objects.requireNonNull(script, "EVALSHA: script is null");
        return submit(commands.scripting().evalsha(script.sha1(), keys, args))
                .exceptionallyCompose(e -> Script.isNoScript(unwrap(e))
                        ? submit(commands.scripting().eval(script.lua(), keys, args))
                        : CompletableFuture.failedFuture(unwrap(e)));
    }

    /**
     * SCAN every key matching {@code args}, page by page, handing each to {@code action} (on the completion thread);
     * the future completes with the number of keys visited once the cursor is back at 0.
     */
    public CompletableFuture<Long> scanEach(ScanArgs args, Consumer<? super K> action) {
        Objects.requireNonNull(args, "SCAN: args is null");
        Objects.requireNonNull(action, "SCAN: action is null");
        return each(cursor -> submit(commands.keys().scan(cursor, args)), action, "0", 0);
    }

    /** HSCAN every field and value of a hash. */
    public CompletableFuture<Long> hscanEach(K key, ScanArgs args, Consumer<? super Map.Entry<K, V>> action) {
        Objects.requireNonNull(key, "HSCAN: key is null");
        Objects.requireNonNull(args, "HSCAN: args is null");
        Objects.requireNonNull(action, "HSCAN: action is null");
        return each(cursor -> submit(commands.hashes().hscan(key, cursor, args)), action, "0", 0);
    }

    /** SSCAN every member of a set. */
    public CompletableFuture<Long> sscanEach(K key, ScanArgs args, Consumer<? super V> action) {
        Objects.requireNonNull(key, "SSCAN: key is null");
        Objects.requireNonNull(args, "SSCAN: args is null");
        Objects.requireNonNull(action, "SSCAN: action is null");
        return each(cursor -> submit(commands.sets().sscan(key, cursor, args)), action, "0", 0);
    }

    /** ZSCAN every member of a sorted set with its score. */
    public CompletableFuture<Long> zscanEach(K key, ScanArgs args, Consumer<? super ScoredValue<V>> action) {
        Objects.requireNonNull(key, "ZSCAN: key is null");
        Objects.requireNonNull(args, "ZSCAN: args is null");
        Objects.requireNonNull(action, "ZSCAN: action is null");
        return each(cursor -> submit(commands.sortedSets().zscan(key, cursor, args)), action, "0", 0);
    }

    /** SCAN as a cursor: one page per {@code next()}, the lazy async twin of the sync {@code scanIterator}. */
    public AsyncScanCursor<K> scanCursor(ScanArgs args) {
        Objects.requireNonNull(args, "SCAN: args is null");
        return new AsyncScanCursor<>(cursor -> submit(commands.keys().scan(cursor, args)));
    }

    /** HSCAN as a cursor of field/value entries. */
    public AsyncScanCursor<Map.Entry<K, V>> hscanCursor(K key, ScanArgs args) {
        Objects.requireNonNull(key, "HSCAN: key is null");
        Objects.requireNonNull(args, "HSCAN: args is null");
        return new AsyncScanCursor<>(cursor -> submit(commands.hashes().hscan(key, cursor, args)));
    }

    /** SSCAN as a cursor of members. */
    public AsyncScanCursor<V> sscanCursor(K key, ScanArgs args) {
        Objects.requireNonNull(key, "SSCAN: key is null");
        Objects.requireNonNull(args, "SSCAN: args is null");
        return new AsyncScanCursor<>(cursor -> submit(commands.sets().sscan(key, cursor, args)));
    }

    /** ZSCAN as a cursor of members with their scores. */
    public AsyncScanCursor<ScoredValue<V>> zscanCursor(K key, ScanArgs args) {
        Objects.requireNonNull(key, "ZSCAN: key is null");
        Objects.requireNonNull(args, "ZSCAN: args is null");
        return new AsyncScanCursor<>(cursor -> submit(commands.sortedSets().zscan(key, cursor, args)));
    }

    /**
     * SCAN as a {@link Flow.Publisher}: each Flow subscriber walks its own cursor, and a page is fetched only when
     * the subscriber has requested more keys than the fetched pages hold.
     */
    public Flow.Publisher<K> scanPublisher(ScanArgs args) {
        Objects.requireNonNull(args, "SCAN: args is null");
        return new ScanPublisher<>(cursor -> submit(commands.keys().scan(cursor, args)));
    }

    /** HSCAN as a {@link Flow.Publisher} of field/value entries. */
    public Flow.Publisher<Map.Entry<K, V>> hscanPublisher(K key, ScanArgs args) {
        Objects.requireNonNull(key, "HSCAN: key is null");
        Objects.requireNonNull(args, "HSCAN: args is null");
        return new ScanPublisher<>(cursor -> submit(commands.hashes().hscan(key, cursor, args)));
    }

    /** SSCAN as a {@link Flow.Publisher} of members. */
    public Flow.Publisher<V> sscanPublisher(K key, ScanArgs args) {
        Objects.requireNonNull(key, "SSCAN: key is null");
        Objects.requireNonNull(args, "SSCAN: args is null");
        return new ScanPublisher<>(cursor -> submit(commands.sets().sscan(key, cursor, args)));
    }

    /** ZSCAN as a {@link Flow.Publisher} of members with their scores. */
    public Flow.Publisher<ScoredValue<V>> zscanPublisher(K key, ScanArgs args) {
        Objects.requireNonNull(key, "ZSCAN: key is null");
        Objects.requireNonNull(args, "ZSCAN: args is null");
        return new ScanPublisher<>(cursor -> submit(commands.sortedSets().zscan(key, cursor, args)));
    }

    private static <T> CompletableFuture<Long> each(Function<String, CompletableFuture<ScanPage<T>>> fetch,
                                                    Consumer<? super T> action, String cursor, long seen) {
        return fetch.apply(cursor).thenCompose(page -> {
            page.items().forEach(action);
            long total = seen + page.items().size();
            return page.isLast() ? CompletableFuture.completedFuture(total) : each(fetch, action, page.cursor(), total);
        });
    }

    static Throwable unwrap(Throwable e) {
        return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    }
}
