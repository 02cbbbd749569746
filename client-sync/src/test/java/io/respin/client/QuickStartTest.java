package io.respin.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.respin.RedisServerException;
import io.respin.client.async.AsyncScanCursor;
import io.respin.client.async.PubSub;
import io.respin.client.async.PubSubMessage;
import io.respin.client.async.PubSubPublisher;
import io.respin.client.async.RedisAsyncCommands;
import io.respin.client.async.Subscription;
import io.respin.client.async.TransactionResult;
import io.respin.client.sync.RedisTransaction;
import io.respin.engine.command.Codec;
import io.respin.engine.command.ScanArgs;
import io.respin.engine.command.Script;
import io.respin.engine.command.SetArgs;
import io.respin.engine.command.ZAddArgs;
import io.respin.engine.resp.Reply;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The quick-start snippets of the README (section "Clients: sync and async"), compiled and run (the doc copies the marked blocks). */
class QuickStartTest {

    @Test
    void syncQuickStart() {
        String uri = Redis.server().uri();
        // --- README: sync quick start ---
        try (RedisClient client = RedisClient.create(uri)) {        // e.g. "redis://localhost:6379"
            var redis = client.sync();
            redis.set("greeting", "hello");
            String v = redis.get("greeting");                         // "hello"
            boolean locked = redis.set("lock", "me", new SetArgs().nx().ex(Duration.ofSeconds(30)));
            redis.hset("user:1", Map.of("name", "Ann", "plan", "pro"));
            Map<String, String> user = redis.hgetall("user:1");       // {name=Ann, plan=pro}
            redis.zadd("board", new ZAddArgs(), Map.of("ann", 42.0, "bob", 17.0));
            var top = redis.zrangeWithScores("board", 0, 9);          // [ScoredValue[value=bob, score=17.0], ...]
            redis.scanIterator(new ScanArgs().match("user:*")).forEachRemaining(System.out::println);
            Reply r = redis.execute("OBJECT", "ENCODING", "greeting"); // anything without a typed method
            try {
                redis.lpush("greeting", "x");
            } catch (RedisServerException e) {
                System.out.println(e.prefix());                       // WRONGTYPE
            }
            // --- end ---
            assertEquals("hello", v);
            assertEquals(true, locked);
            assertEquals("Ann", user.get("name"));
            assertEquals("bob", top.get(0).value());
            assertEquals("embstr", r.asString());
            redis.del("greeting", "lock", "user:1", "board");
        }
    }

    @Test
    void asyncQuickStart() {
        String uri = Redis.server().uri();
        // --- README: async quick start ---
        try (RedisClient client = RedisClient.create(uri)) {
            var redis = client.async();
            CompletableFuture<String> v = redis.set("greeting", "hello")
                    .thenCompose(ok -> redis.get("greeting"));       // completes off the IO thread
            CompletableFuture<Long> hits = redis.incr("hits");
            System.out.println(v.join() + " " + hits.join());
            // --- end ---
            assertEquals("hello", v.join());
            client.sync().del("greeting", "hits");
        }
    }

    @Test
    void scriptTransactionPubSubQuickStart() throws InterruptedException {
        String uri = Redis.server().uri();
        // --- README: script, transaction, pub/sub ---
        try (RedisClient client = RedisClient.create(uri)) {
            var redis = client.sync();
            Script incrBy = Script.of("return redis.call('INCRBY', KEYS[1], ARGV[1])");
            Reply n = redis.evalScript(incrBy, List.of("counter"), List.of("5")); // EVALSHA, EVAL on NOSCRIPT

            try (RedisTransaction<String, String> tx = client.transaction()) {
                tx.watch("counter");
                long current = Long.parseLong(tx.sync().get("counter"));
                tx.multi();
                tx.queue().set("counter", Long.toString(current * 2));
                TransactionResult result = tx.exec();                 // result.committed(): false if "counter" changed
                System.out.println(result);
            }

            var received = new java.util.concurrent.LinkedBlockingQueue<PubSubMessage<String>>();
            Subscription sub = client.subscribe(received::add, "news");
            redis.publish("news", "hello subscribers");
            System.out.println(received.take().message());           // hello subscribers
            sub.close();                                              // UNSUBSCRIBE
            // --- end ---
            assertEquals("5", n.asString());
            assertEquals("10", redis.get("counter"));
            redis.del("counter");
        }
    }

    @Test
    void asyncPubSubMonitorAndScan() throws Exception {
        try (RedisClient client = RedisClient.create(Redis.server().uri())) {
            client.sync().set("user:quick", "Ann");
            // --- README "Async pub/sub, MONITOR and SCAN" ---
            PubSub<byte[]> frames = client.pubSub(Codec.bytes());           // payloads as byte[]; pubSub() for String
            var received = new java.util.concurrent.LinkedBlockingQueue<byte[]>();
            CompletableFuture<Subscription> video = frames.subscribeAsync(m -> received.add(m.message()), "video");
            video.thenCompose(sub -> client.async().publish("video", "frame-1")).join(); // publish once subscribed
            byte[] frame = received.poll(5, TimeUnit.SECONDS);            // null if none came
            video.thenCompose(Subscription::closeAsync);                   // UNSUBSCRIBE, no waiting

            PubSubPublisher<String> news = client.pubSub().subscribePublisher(1_000, "news").join();
            news.subscribe(new java.util.concurrent.Flow.Subscriber<PubSubMessage<String>>() {
                public void onSubscribe(java.util.concurrent.Flow.Subscription s) { s.request(Long.MAX_VALUE); }
                public void onNext(PubSubMessage<String> m) { System.out.println(m.message()); }
                public void onError(Throwable t) { t.printStackTrace(); }
                public void onComplete() { System.out.println("unsubscribed"); }
            });
            news.close();                                                   // UNSUBSCRIBE, then onComplete

            RedisAsyncCommands<String, String> redis = client.async();
            AsyncScanCursor<String> keys = redis.scanCursor(new ScanArgs().match("user:*"));
            List<String> found = new java.util.concurrent.CopyOnWriteArrayList<>();
            keys.forEachPage(found::addAll).join();                         // or keys.next() page by page
            // --- end ---
            assertEquals("frame-1", new String(frame, java.nio.charset.StandardCharsets.UTF_8));
            assertEquals(true, keys.isDone());
            assertEquals(true, found.contains("user:quick"), found.toString());
            client.sync().del("user:quick");
        }
    }
}
