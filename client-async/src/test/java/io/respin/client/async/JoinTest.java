package io.respin.client.async;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.respin.testkit.FaultProxy;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A caller that joins the future of a command in flight runs the command's completion itself: the reply reaches it
 * with one wake-up (IO thread → caller) instead of two (IO thread → completion thread → caller), and a callback
 * attached before the join runs on the caller. A caller that stops waiting early (timed get, interrupt) leaves the
 * completion to the completion thread: nothing is stranded. The proxy delays every reply by 200 ms so that the join
 * has certainly begun before the reply arrives.
 */
class JoinTest {

    @Test
    void aJoinerRunsTheCompletionOfItsCommandItself() {
        try (FaultProxy proxy = FaultProxy.start(Redis.server());
             RedisClient client = RedisClient.create(proxy.uri())) {
            client.async().set("join:k", "v").join();
            proxy.delay(FaultProxy.Direction.TO_CLIENT, Duration.ofMillis(200));
            for (boolean useGet : new boolean[] {false, true}) {
                AtomicReference<Thread> ranOn = new AtomicReference<>();
                AtomicReference<Boolean> viaGather = new AtomicReference<>();
                CompletableFuture<String> f = client.async().get("join:k");
                f.thenRun(() -> {
                    ranOn.set(Thread.currentThread());
                    viaGather.set(completedByAGather());
                });
                String v = useGet ? getQuietly(f) : f.join();
                assertEquals("v", v);
                assertSame(Thread.currentThread(), ranOn.get(),
                        (useGet ? "get()" : "join()") + ": the completion ran on " + ranOn.get());
                assertEquals(true, viaGather.get(), "the caller ran the completion itself, handed over by the IO "
                        + "thread (not by helping a future the completion thread completed)");
            }
        }
    }

    @Test
    void aTimedGetThatGivesUpLeavesTheCompletionToTheCompletionThread() throws Exception {
        try (FaultProxy proxy = FaultProxy.start(Redis.server());
             RedisClient client = RedisClient.create(proxy.uri())) {
            client.async().set("join:t", "v").join();
            proxy.delay(FaultProxy.Direction.TO_CLIENT, Duration.ofMillis(300));
            AtomicReference<Thread> ranOn = new AtomicReference<>();
            CompletableFuture<String> f = client.async().get("join:t");
            AtomicReference<Boolean> viaGather = new AtomicReference<>();
            CompletableFuture<Void> dependent = f.thenRun(() -> {
                ranOn.set(Thread.currentThread());
                viaGather.set(completedByAGather());
            });
            assertThrows(TimeoutException.class, () -> f.get(20, TimeUnit.MILLISECONDS));
            assertEquals("v", f.get(5, TimeUnit.SECONDS), "the reply still completes the future");
            dependent.get(5, TimeUnit.SECONDS); // it may still be running on the completion thread
            assertTrue(ranOn.get() != null, "the callback ran");
            assertEquals(false, viaGather.get(), "after the timed get gave up, the completion came the usual way "
                    + "(the completion thread; a waiting get may then help run the dependents, which is the JDK's)");
        }
    }

    @Test
    void anInterruptedGetThrowsAndTheFutureStillCompletes() throws Exception {
        try (FaultProxy proxy = FaultProxy.start(Redis.server());
             RedisClient client = RedisClient.create(proxy.uri())) {
            client.async().set("join:i", "v").join();
            proxy.delay(FaultProxy.Direction.TO_CLIENT, Duration.ofMillis(300));
            CompletableFuture<String> f = client.async().get("join:i");
            Thread me = Thread.currentThread();
            Thread interrupter = Thread.ofPlatform().start(() -> {
                sleep(30);
                me.interrupt();
            });
            assertThrows(InterruptedException.class, f::get);
            interrupter.join();
            assertEquals("v", f.get(5, TimeUnit.SECONDS), "the completion thread completed it after the interrupt");
            AtomicReference<Boolean> viaGather = new AtomicReference<>();
            CompletableFuture<String> g = client.async().get("join:i");
            g.thenRun(() -> viaGather.set(completedByAGather()));
            assertEquals("v", g.join());
            assertEquals(true, viaGather.get(), "the next join runs its completion on the caller again");
        }
    }

    /** Whether the current callback was run by a Gather (the waiter's own hand-over), judged by the stack. */
    private static boolean completedByAGather() {
        for (StackTraceElement e : Thread.currentThread().getStackTrace()) {
            if (e.getClassName().equals("io.respin.io.Gather")) {
                return true;
            }
        }
        return false;
    }

    private static String getQuietly(CompletableFuture<String> f) {
        try {
            return f.get();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
