package io.respin.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.respin.RedisConnectionException;
import io.respin.RedisException;
import io.respin.engine.connection.CommandKind;
import io.respin.engine.resp.RespHandler;
import io.respin.engine.resp.RespWriter;
import io.respin.testkit.RedisServer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/** Every command that submit() accepted ends, however its submit interleaves with IoRuntime.close(). */
class CloseRaceTest {

    static RedisServer server;

    @BeforeAll
    static void start() {
        server = RedisServer.builder().start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** Counts how it ended: exactly one of completed/failed per accepted submit. */
    static final class Ping extends AsyncCommand {
        final AtomicLong ended;
        final AtomicReference<RedisException> lastError;

        Ping(AtomicLong ended, AtomicReference<RedisException> lastError) {
            this.ended = ended;
            this.lastError = lastError;
        }

        @Override public void encode(RespWriter w) { w.array(1).arg("PING"); }
        @Override public RespHandler replyHandler() { return new RespHandler.Adapter(); }
        @Override public CommandKind kind() { return CommandKind.PLAIN; }
        @Override protected void onCompleted() { ended.incrementAndGet(); }
        @Override protected void onFailed(RedisException e) {
            lastError.set(e);
            ended.incrementAndGet();
        }
    }

    /**
     * The window made wide on purpose: the close runs to its end between the submit's closed check and its offer.
     * Before the fix that command stayed pending forever (nobody drained the queue after the closer's last drain).
     */
    @Test
    void aSubmitWhoseOfferLandsAfterTheWholeCloseStillEnds() throws Exception {
        IoRuntime io = IoRuntime.start(IoSettings.defaults());
        RedisEndpoint redis = io.connect(server.uri());
        AtomicLong ended = new AtomicLong();
        AtomicReference<RedisException> error = new AtomicReference<>();
        io.loop().beforeOfferForTest = () -> {
            io.loop().beforeOfferForTest = null;
            Thread closer = new Thread(io::close);
            closer.start();
            try {
                closer.join();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        };
        redis.submit(new Ping(ended, error)); // accepted: the check passed before the close
        assertEquals(1, ended.get(), "the command that raced with close() ended");
        assertInstanceOf(RedisConnectionException.class, error.get());
        assertTrue(error.get().getMessage().contains("closed"), error.get().getMessage());
    }

    /** Many submitters racing close(), repeated: accepted == ended, exactly. */
    @RepeatedTest(20)
    void manySubmittersRacingClose() throws Exception {
        IoRuntime io = IoRuntime.start(IoSettings.defaults());
        RedisEndpoint redis = io.connect(server.uri());
        AtomicLong accepted = new AtomicLong();
        AtomicLong ended = new AtomicLong();
        AtomicReference<RedisException> error = new AtomicReference<>();
        int threads = 4;
        CountDownLatch started = new CountDownLatch(threads);
        List<Thread> submitters = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread th = new Thread(() -> {
                started.countDown();
                while (true) {
                    try {
                        redis.submit(new Ping(ended, error));
                        accepted.incrementAndGet();
                    } catch (RedisException refused) {
                        return; // closed: nothing more is accepted
                    }
                }
            });
            th.start();
            submitters.add(th);
        }
        started.await();
        Thread.sleep(2);
        io.close();
        for (Thread th : submitters) {
            th.join(10_000);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (ended.get() < accepted.get() && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertEquals(accepted.get(), ended.get(), "every accepted command ended");
    }
}
