package io.respin.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.respin.RedisException;
import io.respin.engine.connection.CommandKind;
import io.respin.engine.resp.Reply;
import io.respin.engine.resp.RespHandler;
import io.respin.engine.resp.RespWriter;
import io.respin.testkit.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Push listeners run on a thread of their own with a bounded queue, and a stuck listener or callback cannot keep
 * {@link IoRuntime#close()} from returning (issue 13 item 2).
 */
class PushThreadTest {

    private static RedisServer server;

    @BeforeAll
    static void start() {
        server = RedisServer.builder().start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Thread thread(String name) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(name)).findFirst().orElse(null);
    }

    @Test
    void closeReturnsWhileAPushListenerIsStuckAndCountsWhatItDiscards() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        PushListener stuck = push -> {
            if (push instanceof Reply.Aggregate a && a.get(0).asString().equals("message")) {
                entered.countDown();
                ClearErrorsTest.awaitQuietly(release); // a listener that does not return
            }
        };
        // small queues: on the old shared completion queue the pushes overflowed it, and close() spun forever
        IoRuntime io = IoRuntime.start(IoSettings.builder().threadName("respin-io-stuck")
                .completionQueueCapacity(16).pushQueueCapacity(16).build());
        RedisEndpoint redis = io.connect(RedisUri.parse(server.uri()), ConnectionOptions.builder().pushListener(stuck).build());
        try {
            new Cmd.Generic("SUBSCRIBE", "stuck").run(redis);
            int published = 1_000;
            new Cmd.Generic("EVAL", "for i = 1, tonumber(ARGV[1]) do redis.call('PUBLISH', 'stuck', i) end return 0",
                    "0", String.valueOf(published)).run(redis);
            assertTrue(entered.await(5, TimeUnit.SECONDS));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
            while (redis.droppedPushes() + redis.pushBacklog() < published && System.nanoTime() < deadline) {
                Thread.sleep(1); // until the IO thread has read them all (capped: the old code gets to close below)
            }
            long backlog = redis.pushBacklog();
            long dropped = redis.droppedPushes();

            assertTimeoutPreemptively(Duration.ofSeconds(3), () -> io.close());
            Thread pushes = thread("respin-io-stuck-pushes");
            assertTrue(pushes != null && pushes.isAlive(), "still in the listener: close did not wait for it");
            assertEquals(published, dropped + backlog, "all read: queued or dropped");
            assertTrue(backlog <= 16 + 1, "bounded (16 queued, one in the listener): " + backlog);
        } finally {
            release.countDown();
        }
        Thread pushes = thread("respin-io-stuck-pushes");
        if (pushes != null) {
            pushes.join(5_000);
            assertFalse(pushes.isAlive(), "the push thread ends once the listener returns");
        }
        assertEquals(0, redis.pushBacklog());
        assertEquals(1_000 - 1, redis.droppedPushes(), "all but the one delivered: dropped when full or discarded at close");
    }

    /** An async PING whose callback can be made to block. */
    static final class BlockingPing extends AsyncCommand {
        final CompletableFuture<Void> done = new CompletableFuture<>();
        final CountDownLatch hold;

        BlockingPing(CountDownLatch hold) {
            this.hold = hold;
        }

        @Override public void encode(RespWriter w) { w.array(1).arg("PING"); }

        @Override public RespHandler replyHandler() { return new RespHandler.Adapter(); }

        @Override public CommandKind kind() { return CommandKind.PLAIN; }

        @Override protected void onCompleted() {
            if (hold != null) {
                ClearErrorsTest.awaitQuietly(hold);
            }
            done.complete(null);
        }

        @Override protected void onFailed(RedisException error) {
            done.complete(null);
        }
    }

    @Test
    void closeReturnsWhileACompletionCallbackIsStuckAndEveryCallbackStillRuns() throws Exception {
        CountDownLatch hold = new CountDownLatch(1);
        IoRuntime io = IoRuntime.start(IoSettings.builder().threadName("respin-io-held").completionQueueCapacity(4).build());
        RedisEndpoint redis = io.connect(server.uri());
        List<BlockingPing> pings = new ArrayList<>();
        AtomicBoolean closed = new AtomicBoolean();
        try {
            BlockingPing first = new BlockingPing(hold);
            redis.submit(first);
            for (int i = 0; i < 100; i++) {
                BlockingPing p = new BlockingPing(null);
                redis.submit(p);
                pings.add(p);
            }
            Thread.sleep(300); // every reply has come: 4 callbacks in the ring, the rest held back by the IO thread
            assertFalse(first.done.isDone());
            // the old close() waited, on the IO thread, for the ring to take the held-back callbacks: forever
            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> io.close());
            closed.set(true);
            assertFalse(first.done.isDone(), "still stuck");
            long ran = pings.stream().filter(p -> p.done.isDone()).count();
            assertTrue(ran >= 100 - 4, "the callbacks that never reached the ring ran on the closing thread: " + ran);
        } finally {
            hold.countDown();
        }
        for (BlockingPing p : pings) {
            p.done.get(2, TimeUnit.SECONDS); // those in the ring run once the stuck one returns
        }
        assertTrue(closed.get());
    }
}
