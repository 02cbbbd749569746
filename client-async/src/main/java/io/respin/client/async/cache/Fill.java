package io.respin.client.async.cache;

import io.respin.RedisException;
import io.respin.engine.cache.ClientCache;
import io.respin.engine.command.Command;
import io.respin.engine.connection.CommandKind;
import io.respin.engine.connection.Request;
import io.respin.engine.resp.RespHandler;
import io.respin.engine.resp.RespWriter;
import io.respin.io.AsyncCommand;
import io.respin.io.IoCommand;
import io.respin.io.RedisEndpoint;
import io.respin.io.SyncCommand;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One cache miss on its way: the read (its reply decoded for the reader that started it and recorded as tokens) and
 * right behind it a {@code PTTL} of the key, submitted together on the shared connection. The PTTL's reply is parsed
 * after the read's, so by then every invalidation the server sent before the read's reply has been applied: the
 * store happens there, on the duty holder — unless an invalidation, a flush or a lost connection cancelled the load —
 * with the TTL capped by the key's own. Readers that joined the load get the tokens either way.
 *
 * <pre>
 *   [CLIENT CACHING YES (OPTIN)] [read k] [PTTL k] ──▶ read's reply: decoded + recorded
 *                                                  ──▶ PTTL's reply: store (ttl = min(client ttl, PTTL)), wake joiners
 * </pre>
 *
 * @param <T> the read's value
 */
final class Fill<T> {
    /** Marks the cache's own commands, which the write hook must not take for writes. */
    interface Step {
    }

    /** {@code CLIENT CACHING YES}, written just before an OPTIN read; its {@code +OK} is dropped. */
    static final Request CACHING_YES = new Request() {
        private final RespHandler discard = new RespHandler.Adapter();

        @Override public void encode(RespWriter w) { w.array(3).arg("CLIENT").arg("CACHING").arg("YES"); }

        @Override public RespHandler replyHandler() { return discard; }

        @Override public CommandKind kind() { return CommandKind.PLAIN; }

        @Override public String name() { return "CLIENT CACHING"; }
    };

    private final TrackedCache cache;
    private final ClientCache.Load<Waiter> load;
    private final Waiter starter;
    private final Command<T> read;
    private final Command<Long> pttl;
    /** The key read, for {@link TrackedCache#mayKeep}. */
    private final byte[] key;
    private final Tokens.Recorder recorder;
    private final AtomicBoolean done = new AtomicBoolean();
    /** Written by the duty holder when the read fails; read after the PTTL step's outcome (which publishes it). */
    private RedisException readFailure;
    private final ReadStep readStep = new ReadStep();

    Fill(TrackedCache cache, ClientCache.Load<Waiter> load, Waiter starter, Command<T> read, Command<Long> pttl,
         byte[] key) {
        this.cache = cache;
        this.key = key;
        this.load = load;
        this.starter = starter;
        this.read = read;
        this.pttl = pttl;
        this.recorder = new Tokens.Recorder(read.replyHandler());
    }

    /** Sends the read and its PTTL, waits, and returns the read's value (or throws what it failed with). */
    T runSync(RedisEndpoint endpoint) {
        SyncTtl ttl = new SyncTtl();
        submitBoth(endpoint, ttl);
        try {
            ttl.await();
        } catch (RedisException e) {
            abandon();
            throw e;
        }
        return value();
    }

    /** Sends the read and its PTTL; the future completes off the IO thread. */
    CompletableFuture<T> runAsync(RedisEndpoint endpoint) {
        AsyncTtl ttl = new AsyncTtl();
        try {
            submitBoth(endpoint, ttl);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return ttl.future;
    }

    private void submitBoth(RedisEndpoint endpoint, IoCommand ttl) {
        try {
            endpoint.submit(readStep);
        } catch (RuntimeException e) {
            abandon();
            throw e;
        }
        try {
            endpoint.submit(ttl);
        } catch (RuntimeException e) {
            abandon(); // the read goes on alone: its reply is not kept
            throw e;
        }
    }

    private T value() {
        RedisException f = readFailure;
        if (f == null) {
            f = read.failure();
        }
        if (f != null) {
            throw f;
        }
        return read.result();
    }

    /** The PTTL's reply has been parsed (the duty holder, in reply order): keep the read's reply, wake the joiners. */
    private void finish(long pttlMillis) {
        if (!done.compareAndSet(false, true)) {
            return;
        }
        byte[] tokens = readFailure == null ? recorder.tokens() : null;
        boolean kept = false;
        if (tokens != null && cache.tracking() && cache.mayKeep(key, pttlMillis)) {
            long ttl = cache.ttlNanos();
            if (pttlMillis >= 0) {
                ttl = Math.min(ttl, TimeUnit.MILLISECONDS.toNanos(pttlMillis)); // -1: no expiry, -2: no key
            }
            if (ttl > 0) { // no client TTL and no PTTL: no deadline, and its hits read no clock
                long expiresAt = ttl == Long.MAX_VALUE ? ClientCache.NEVER : System.nanoTime() + ttl;
                kept = cache.entries().complete(load, tokens, expiresAt);
            }
        }
        if (!kept) {
            cache.entries().fail(load); // a no-op when an invalidation already cancelled it
        }
        wake(tokens);
    }

    /** The request ended without the PTTL's reply (a failure, a timeout, a refused submit): nothing is kept. */
    private void abandon() {
        if (!done.compareAndSet(false, true)) {
            return;
        }
        cache.entries().fail(load);
        wake(null);
    }

    private void wake(byte[] tokens) {
        for (Waiter w : load.waiters()) {
            if (w != starter) {
                w.deliver(tokens);
            }
        }
    }

    /** The read itself: its reply goes to the read's decoder and into the recorder. */
    private final class ReadStep extends IoCommand implements Step {
        @Override public void encode(RespWriter w) { read.encode(w); }

        @Override public RespHandler replyHandler() { return recorder; }

        @Override public CommandKind kind() { return read.kind(); }

        @Override public String name() { return read.name(); }

        @Override public boolean idempotent() { return true; }

        @Override protected Request prelude() { return cache.optIn() ? CACHING_YES : null; }

        @Override protected void onResend() { recorder.reset(); }

        @Override protected void completed() { }

        @Override protected void failed(RedisException error) { readFailure = error; }
    }

    /** PTTL's reply handler: the TTL, then (at the reply's end, in parse order) the store. */
    private final class TtlReply extends RespHandler.Adapter {
        private long millis = -1;

        @Override public void onInteger(long value) { millis = value; }

        @Override public void onReplyEnd() { finish(millis); }
    }

    /** The PTTL step, waited for by the caller. */
    private final class SyncTtl extends SyncCommand implements Step {
        private final TtlReply reply = new TtlReply();

        @Override public void encode(RespWriter w) { pttl.encode(w); }

        @Override public RespHandler replyHandler() { return reply; }

        @Override public CommandKind kind() { return CommandKind.PLAIN; }

        @Override public String name() { return "PTTL"; }

        @Override public boolean idempotent() { return true; }
    }

    private final class AsyncTtl extends AsyncCommand implements Step {
        final CompletableFuture<T> future = new CompletableFuture<>();
        private final TtlReply reply = new TtlReply();

        @Override public void encode(RespWriter w) { pttl.encode(w); }

        @Override public RespHandler replyHandler() { return reply; }

        @Override public CommandKind kind() { return CommandKind.PLAIN; }

        @Override public String name() { return "PTTL"; }

        @Override public boolean idempotent() { return true; }

        @Override protected void onCompleted() {
            try {
                future.complete(value());
            } catch (RuntimeException e) {
                future.completeExceptionally(e);
            }
        }

        @Override protected void onFailed(RedisException error) {
            abandon();
            future.completeExceptionally(error);
        }
    }
}
