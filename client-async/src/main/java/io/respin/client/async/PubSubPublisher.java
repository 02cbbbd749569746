package io.respin.client.async;

import java.util.concurrent.Flow;
import java.util.concurrent.SubmissionPublisher;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A subscription's messages as a {@link Flow.Publisher} (reactive streams in the JDK): every Flow subscriber
 * gets the messages published from the moment it subscribed, at the pace it {@code request}s, delivered on the
 * common fork-join pool (never the IO thread). Each subscriber has a buffer of at least {@code capacity} messages
 * (the JDK's {@link SubmissionPublisher} sizes it up); when it is full the newest messages are dropped for that
 * subscriber rather than slowing the connection, and counted in {@link #dropped()}. {@link #close()} unsubscribes and completes
 * every Flow subscriber.
 *
 * <pre>{@code
 * PubSubPublisher<String> news = client.pubSub().subscribePublisher(1_000, "news").join();
 * news.subscribe(mySubscriber);       // onNext(PubSubMessage) as it requests
 * ...
 * news.close();                       // UNSUBSCRIBE, then onComplete()
 * }</pre>
 *
 * @param <V> the payload type
 */
public final class PubSubPublisher<V> implements Flow.Publisher<PubSubMessage<V>>, AutoCloseable {
    private final SubmissionPublisher<PubSubMessage<V>> publisher;
    private final AtomicLong dropped = new AtomicLong();
    private Subscription subscription;

    PubSubPublisher(int capacity) {
        // the JDK rounds the buffer up to a power of two; capacity is the lower bound of what a subscriber may lag
        this.publisher = new SubmissionPublisher<>(java.util.concurrent.ForkJoinPool.commonPool(), Math.max(1, capacity));
    }

    void offer(PubSubMessage<V> m) {
        // runs on the push thread: never wait for a slow subscriber, drop and count instead
        publisher.offer(m, (subscriber, lost) -> {
            dropped.incrementAndGet();
            return false;
        });
    }

    PubSubPublisher<V> attach(Subscription s) {
        this.subscription = s;
        return this;
    }

    @Override
    public void subscribe(Flow.Subscriber<? super PubSubMessage<V>> subscriber) {
        publisher.subscribe(subscriber);
    }

    /** Messages a Flow subscriber lost because it was {@code capacity} messages behind. */
    public long dropped() {
        return dropped.get();
    }

    /** The channels or patterns subscribed. */
    public java.util.List<String> names() {
        return subscription.names();
    }

    /** Unsubscribes (waiting for the server), then completes every Flow subscriber after its buffered messages. */
    @Override
    public void close() {
        try {
            subscription.close();
        } finally {
            publisher.close();
        }
    }
}
