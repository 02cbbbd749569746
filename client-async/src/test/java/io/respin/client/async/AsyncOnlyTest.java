package io.respin.client.async;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * An application that depends on client-async alone (this module's test class path has no client-sync): it
 * connects, runs commands and follows a channel through a Flow publisher, against a real redis-server.
 */
class AsyncOnlyTest {

    @Test
    void clientSyncIsNotOnThePathAndTheModuleNeedsOnlyTheIoLayer() throws URISyntaxException {
        assertThrows(ClassNotFoundException.class, () -> Class.forName("io.respin.client.sync.RedisCommands"));
        assertThrows(ClassNotFoundException.class, () -> Class.forName("io.respin.client.RedisClient"));
        // the compiled module (target/classes or the jar) declares what a module-path user needs besides it
        Path built = Path.of(RedisClient.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        ModuleDescriptor module = ModuleFinder.of(built).findAll().iterator().next().descriptor();
        assertEquals("io.respin.client.async", module.name());
        Set<String> requires = module.requires().stream().map(ModuleDescriptor.Requires::name)
                .collect(Collectors.toSet());
        // JCTools (already the IO layer's) for the pool of reusable async calls
        assertEquals(Set.of("java.base", "io.respin.io", "org.jctools.core"), requires);
    }

    @Test
    void createRunCommandsAndSubscribeWithAFlowPublisher() throws Exception {
        try (RedisClient client = RedisClient.create(Redis.server().uri())) {
            RedisAsyncCommands<String, String> redis = client.async();
            String v = redis.set("async-only:greeting", "hello")
                    .thenCompose(ok -> redis.get("async-only:greeting")).join();
            assertEquals("hello", v);
            assertEquals(2L, redis.incr("async-only:hits").thenCompose(n -> redis.incr("async-only:hits")).join());

            BlockingQueue<String> got = new LinkedBlockingQueue<>();
            CompletableFuture<Void> completed = new CompletableFuture<>();
            try (PubSubPublisher<String> news = client.pubSub().subscribePublisher(16, "async-only:news").join()) {
                news.subscribe(new Flow.Subscriber<PubSubMessage<String>>() {
                    @Override public void onSubscribe(Flow.Subscription s) {
                        s.request(Long.MAX_VALUE);
                    }
                    @Override public void onNext(PubSubMessage<String> m) {
                        got.add(m.channel() + ": " + m.message());
                    }
                    @Override public void onError(Throwable t) {
                        completed.completeExceptionally(t);
                    }
                    @Override public void onComplete() {
                        completed.complete(null);
                    }
                });
                assertEquals(1L, redis.publish("async-only:news", "first").join(), "one subscriber connection");
                assertEquals("async-only:news: first", got.poll(5, TimeUnit.SECONDS));
            }
            completed.get(5, TimeUnit.SECONDS); // close() unsubscribed and completed the Flow subscriber
            redis.del("async-only:greeting", "async-only:hits").join();
        }
    }
}
