package io.respin.client.async;

import io.respin.engine.command.ScanPage;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * A SCAN-family cursor walked lazily, one page per {@link #next()}: the asynchronous twin of the blocking scan
 * iterator. Each call sends one SCAN (HSCAN, SSCAN, ZSCAN) with the cursor the previous page returned;
 * {@link #isDone()} turns true after the page on which the server returned cursor 0. Pages may be empty (the
 * server filters MATCH/TYPE after choosing the slots). One page at a time: call {@code next()} again only after
 * the previous future completed.
 *
 * <pre>{@code
 * AsyncScanCursor<String> keys = redis.scanCursor(new ScanArgs().match("user:*"));
 * CompletableFuture<Void> all = keys.forEachPage(page -> page.forEach(System.out::println));
 * // or by hand: keys.next().thenAccept(page -> ...), then keys.next() again while !keys.isDone()
 * }</pre>
 *
 * @param <T> the element type (keys, hash entries, members, scored members)
 */
public final class AsyncScanCursor<T> {
    private final Function<String, CompletableFuture<ScanPage<T>>> fetch;
    private volatile String cursor = "0";
    private volatile boolean done;
    private volatile boolean inFlight;

    AsyncScanCursor(Function<String, CompletableFuture<ScanPage<T>>> fetch) {
        this.fetch = fetch;
    }

    /** True once the last page has been returned. */
    public boolean isDone() {
        return done;
    }

    /**
     * Fetches the next page. Fails with {@link IllegalStateException} if the iteration is complete or a page is
     * still being fetched; a failed fetch (timeout, connection) leaves the cursor where it was, so it can be retried.
     */
    public synchronized CompletableFuture<List<T>> next() {
        if (done) {
            return CompletableFuture.failedFuture(new IllegalStateException("the SCAN iteration is complete"));
        }
        if (inFlight) {
            return CompletableFuture.failedFuture(new IllegalStateException(
                    "a page is still being fetched: call next() after the previous future completed"));
        }
        inFlight = true;
        return fetch.apply(cursor).whenComplete((page, e) -> {
            if (page != null) {
                cursor = page.cursor();
                done = page.isLast();
            }
            inFlight = false;
        }).thenApply(ScanPage::items);
    }

    /**
     * Fetches every remaining page, one after the other, handing each to {@code action} (on the completion
     * thread); completes when the cursor is back at 0.
     */
    public CompletableFuture<Void> forEachPage(java.util.function.Consumer<? super List<T>> action) {
        if (done) {
            return CompletableFuture.completedFuture(null);
        }
        return next().thenCompose(page -> {
            action.accept(page);
            return forEachPage(action);
        });
    }
}
