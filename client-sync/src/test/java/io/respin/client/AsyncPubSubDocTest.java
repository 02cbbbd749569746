package io.respin.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

// snippet: async-pubsub-monitor-scan
import io.respin.client.async.PubSub;
import io.respin.client.async.PubSubPublisher;
import io.respin.client.async.Subscription;
import io.respin.client.async.AsyncScanCursor;
import io.respin.client.async.RedisAsyncCommands;
import io.respin.engine.command.Codec;
import io.respin.engine.command.ScanArgs;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

// end snippet
import io.respin.client.async.PubSubMessage;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import org.junit.jupiter.api.Test;

/** docs/clients.md, "Async pub/sub, MONITOR and SCAN", against a real server. */
class AsyncPubSubDocTest {

    /** Prints what it is given and counts down when its publisher completes. */
    static final class Printer<T> implements Flow.Subscriber<T> {
        final CountDownLatch done = new CountDownLatch(1);
        final List<T> seen = new CopyOnWriteArrayList<>();
        @Override public void onSubscribe(Flow.Subscription s) { s.request(Long.MAX_VALUE); }
        @Override public void onNext(T item) { seen.add(item); System.out.println(item); }
        @Override public void onError(Throwable t) { t.printStackTrace(); done.countDown(); }
        @Override public void onComplete() { done.countDown(); }
    }

    private final List<List<String>> monitored = new CopyOnWriteArrayList<>();

    private void log(List<String> args) {
        monitored.add(args);
    }

    @Test
    void asyncPubSubMonitorAndScan() throws Exception {
        try (RedisClient client = RedisClient.create(Redis.server().uri())) {
            client.sync().set("user:quick", "Ann");
            Printer<PubSubMessage<String>> printMessages = new Printer<>();
            Printer<String> printKeys = new Printer<>();
            List<String> found = new CopyOnWriteArrayList<>();
            // snippet: async-pubsub-monitor-scan
            PubSub<byte[]> frames = client.pubSub(Codec.bytes());           // payloads as byte[]; pubSub() for String
            var received = new LinkedBlockingQueue<byte[]>();
            CompletableFuture<Subscription> video = frames.subscribeAsync(m -> received.add(m.message()), "video");
            video.thenCompose(sub -> client.async().publish("video", "frame-1")).join(); // publish once subscribed
            byte[] frame = received.poll(5, TimeUnit.SECONDS);            // null if none came
            video.thenCompose(Subscription::closeAsync);                   // UNSUBSCRIBE, no waiting

            PubSubPublisher<String> news = client.pubSub().subscribePublisher(1_000, "news").join();
            news.subscribe(printMessages);                                  // java.util.concurrent.Flow: onNext as it request()s
            news.close();                                                   // UNSUBSCRIBE, then onComplete
            client.pubSub().monitorAsync(e -> log(e.args())).join();        // MONITOR, completes once streaming

            RedisAsyncCommands<String, String> redis = client.async();
            AsyncScanCursor<String> keys = redis.scanCursor(new ScanArgs().match("user:*"));
            keys.forEachPage(found::addAll).join();                         // or keys.next(): one SCAN per call, isDone() at 0
            redis.scanPublisher(new ScanArgs().match("user:*")).subscribe(printKeys); // Flow.Publisher: a page only when requested
            // hscanCursor/sscanCursor/zscanCursor and hscanPublisher/sscanPublisher/zscanPublisher likewise
            // end snippet
            assertEquals("frame-1", new String(frame, StandardCharsets.UTF_8));
            assertTrue(printMessages.done.await(5, TimeUnit.SECONDS), "the news publisher completed on close");
            assertTrue(keys.isDone());
            assertTrue(found.contains("user:quick"), found.toString());
            assertTrue(printKeys.done.await(5, TimeUnit.SECONDS), "the scan publisher completed");
            assertTrue(printKeys.seen.contains("user:quick"), printKeys.seen.toString());
            client.sync().get("user:quick");
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (monitored.stream().noneMatch(a -> a.contains("user:quick")) && System.nanoTime() < until) {
                Thread.sleep(10);
            }
            assertTrue(monitored.stream().anyMatch(a -> a.contains("user:quick")), monitored.toString());
            client.sync().del("user:quick");
        }
    }
}
