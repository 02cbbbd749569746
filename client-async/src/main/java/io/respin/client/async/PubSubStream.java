package io.respin.client.async;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Pub/sub messages as a blocking stream instead of a listener: the subscription fills a bounded queue, your
 * thread takes from it. When the queue is full (you fall behind), new messages are dropped and counted in
 * {@link #dropped()} rather than growing memory without bound. {@link #close()} unsubscribes. The runtime's push
 * thread offers, your threads take; the queue and the counter are thread-safe.
 *
 * @param <V> the payload type
 *
 * <pre>{@code
 * try (PubSubStream<String> news = client.subscribeStream(1_000, "news")) {
 *     PubSubMessage<String> m = news.take();         // waits for the next message
 * }
 * }</pre>
 */
public final class PubSubStream<V> implements AutoCloseable {
    private final BlockingQueue<PubSubMessage<V>> queue;
    private final AtomicLong dropped = new AtomicLong();
    private Subscription subscription;

    PubSubStream(int capacity) {
        this.queue = new LinkedBlockingQueue<>(capacity);
    }

    void offer(PubSubMessage<V> m) {
        if (!queue.offer(m)) {
            dropped.incrementAndGet();
        }
    }

    void attach(Subscription s) {
        this.subscription = s;
    }

    /** Waits for the next message. */
    public PubSubMessage<V> take() throws InterruptedException {
        return queue.take();
    }

    /** The next message, or null when none came within {@code timeout}. */
    public PubSubMessage<V> poll(Duration timeout) throws InterruptedException {
        return queue.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Messages dropped because the queue was full. */
    public long dropped() {
        return dropped.get();
    }

    /** The channels or patterns subscribed. */
    public List<String> names() {
        return subscription.names();
    }

    /** Unsubscribes; messages already queued can still be taken. */
    @Override
    public void close() {
        subscription.close();
    }
}
