package io.respin.client.async;

import io.respin.engine.command.ScanPage;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A SCAN-family iteration as a {@link Flow.Publisher}: each Flow subscriber walks its own cursor, and the next
 * page is fetched only when the subscriber has requested more than the pages already fetched hold
 * (back-pressure: a subscriber that requests nothing causes no traffic). Elements are signalled on the completion
 * thread or on the thread that calls {@code request}, never concurrently.
 */
final class ScanPublisher<T> implements Flow.Publisher<T> {
    private final Function<String, CompletableFuture<ScanPage<T>>> fetch;

    ScanPublisher(Function<String, CompletableFuture<ScanPage<T>>> fetch) {
        this.fetch = fetch;
    }

    @Override
    public void subscribe(Flow.Subscriber<? super T> subscriber) {
        Walk<T> walk = new Walk<>(fetch, subscriber);
        subscriber.onSubscribe(walk);
    }

    /** One subscriber's cursor; {@link #drain()} is the only place that signals, guarded by {@code wip}. */
    private static final class Walk<T> implements Flow.Subscription {
        private final Function<String, CompletableFuture<ScanPage<T>>> fetch;
        private final Flow.Subscriber<? super T> subscriber;
        private final AtomicInteger wip = new AtomicInteger();
        private final ArrayDeque<T> buffer = new ArrayDeque<>();
        private long demand;
        private String cursor = "0";
        private boolean last;
        private boolean fetching;
        private boolean cancelled;
        private boolean finished;
        private Throwable error;

        Walk(Function<String, CompletableFuture<ScanPage<T>>> fetch, Flow.Subscriber<? super T> subscriber) {
            this.fetch = fetch;
            this.subscriber = subscriber;
        }

        @Override
        public void request(long n) {
            synchronized (this) {
                if (n <= 0) {
                    error = new IllegalArgumentException("request(" + n + "): demand must be positive (rule 3.9)");
                } else {
                    demand = demand + n < 0 ? Long.MAX_VALUE : demand + n;
                }
            }
            drain();
        }

        @Override
        public void cancel() {
            synchronized (this) {
                cancelled = true;
                buffer.clear();
            }
        }

        private void drain() {
            if (wip.getAndIncrement() != 0) {
                return; // another thread is draining and will loop once more
            }
            do {
                while (true) {
                    T item;
                    boolean fetchNow = false;
                    Throwable failed;
                    boolean complete;
                    synchronized (this) {
                        if (cancelled || finished) {
                            break;
                        }
                        failed = error;
                        complete = failed == null && buffer.isEmpty() && last;
                        item = failed == null && demand > 0 ? buffer.poll() : null;
                        if (item != null) {
                            demand--;
                        } else if (failed == null && !complete && demand > 0 && !fetching && !last) {
                            fetching = fetchNow = true;
                        }
                        if (failed != null || complete) {
                            finished = true;
                        }
                    }
                    if (failed != null) {
                        subscriber.onError(failed);
                        break;
                    }
                    if (complete) {
                        subscriber.onComplete();
                        break;
                    }
                    if (item != null) {
                        subscriber.onNext(item);
                        continue;
                    }
                    if (fetchNow) {
                        String c;
                        synchronized (this) {
                            c = cursor;
                        }
                        fetch.apply(c).whenComplete(this::onPage);
                    }
                    break;
                }
            } while (wip.decrementAndGet() != 0);
        }

        private void onPage(ScanPage<T> page, Throwable e) {
            synchronized (this) {
                fetching = false;
                if (e != null) {
                    error = RedisAsyncCommands.unwrap(e);
                } else {
                    buffer.addAll(page.items());
                    cursor = page.cursor();
                    last = page.isLast();
                }
            }
            drain();
        }
    }
}
