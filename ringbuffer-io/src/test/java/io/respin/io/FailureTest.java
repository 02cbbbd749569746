package io.respin.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.respin.RedisConnectionException;
import io.respin.RedisException;
import io.respin.RedisTimeoutException;
import io.respin.engine.resp.Reply;
import io.respin.testkit.FaultProxy;
import io.respin.testkit.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Real faults: a killed server, a proxy that cuts, stalls or cuts a reply in half. */
class FailureTest {

    private static IoSettings settings() {
        return IoSettings.builder().commandTimeout(Duration.ofSeconds(5)).build();
    }

    /** Submits {@code n} commands without waiting for them. */
    private static List<Cmd.Generic> submitMany(RedisEndpoint e, int n, String... args) {
        List<Cmd.Generic> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Cmd.Generic c = new Cmd.Generic(args);
            e.submit(c);
            out.add(c);
        }
        return out;
    }

    /** Waits for every command; returns their failures (null for a success). */
    private static List<RedisException> outcomes(List<? extends SyncCommand> cmds) {
        List<RedisException> out = new ArrayList<>();
        for (SyncCommand c : cmds) {
            try {
                c.await();
                out.add(null);
            } catch (RedisException e) {
                out.add(e);
            }
        }
        return out;
    }

    @Test
    void serverKilledMidFlightFailsEveryPendingCommandThenReconnectsAndResubscribes() throws Exception {
        LinkedBlockingQueue<String> messages = new LinkedBlockingQueue<>();
        ConnectionOptions opts = ConnectionOptions.builder().pushListener(push -> {
            if (push instanceof Reply.Aggregate a && a.size() == 3) {
                messages.add(a.get(2).asString());
            }
        }).build();
        try (RedisServer server = RedisServer.builder().enableDebugCommand().start();
             IoRuntime io = IoRuntime.start(settings());
             RedisEndpoint redis = io.connect(RedisUri.parse(server.uri()), opts)) {
            new Cmd.Generic("SUBSCRIBE", "news").run(redis);
            server.command("PUBLISH", "news", "before");
            assertEquals("before", messages.poll(5, TimeUnit.SECONDS));

            Cmd.Generic sleep = new Cmd.Generic("DEBUG", "SLEEP", "2");
            redis.submit(sleep);
            List<Cmd.Generic> behind = submitMany(redis, 200, "INCR", "n");
            Thread.sleep(100); // let them reach the server's socket (the server is asleep)
            server.kill();

            List<RedisException> failures = outcomes(behind);
            for (RedisException f : failures) {
                RedisConnectionException ce = assertInstanceOf(RedisConnectionException.class, f);
                assertTrue(ce.outcomeUnknown(), "written commands have an unknown outcome: " + ce.getMessage());
            }
            // each ended by the disconnect, not by its 5 s timeout: RedisConnectionException, checked above

            server.restart();
            assertEquals("PONG", awaitPong(redis));
            // the subscriber connection came back and subscribed again
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            String got = null;
            while (got == null && System.nanoTime() < until) {
                server.command("PUBLISH", "news", "after");
                got = messages.poll(100, TimeUnit.MILLISECONDS);
            }
            assertEquals("after", got);
        }
    }

    /** Returns once the client has seen the connection drop (a PING fails or waits for the reconnect). */
    private static void awaitDisconnectNoticed(RedisEndpoint redis) throws InterruptedException {
        while (true) {
            Cmd.Generic ping = new Cmd.Generic("PING");
            ping.timeout(Duration.ofMillis(100));
            redis.submit(ping);
            try {
                ping.await();
                Thread.sleep(5);
            } catch (RedisConnectionException | RedisTimeoutException e) {
                return;
            }
        }
    }

    private static String awaitPong(RedisEndpoint redis) throws InterruptedException {
        // the first command after a restart may still meet the dead socket or a reconnect in progress
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try {
                return Cmd.str(new Cmd.Generic("PING").run(redis));
            } catch (RedisConnectionException e) {
                if (System.nanoTime() > until) {
                    throw e;
                }
                Thread.sleep(10);
            }
        }
    }

    @Test
    void proxyCutFailsInFlightCommandsAsOutcomeUnknownAndTheNextCommandSucceeds() throws Exception {
        try (RedisServer server = RedisServer.builder().start();
             FaultProxy proxy = FaultProxy.start(server);
             IoRuntime io = IoRuntime.start(settings());
             RedisEndpoint redis = io.connect(proxy.uri())) {
            proxy.stall(FaultProxy.Direction.TO_CLIENT);
            long before = proxy.bytesReceived(FaultProxy.Direction.TO_SERVER); // the handshake's bytes
            List<Cmd.Generic> pending = submitMany(redis, 50, "INCR", "cut");
            // all 50 (23 bytes each) on the wire before the cut: one still queued would rightly go out again
            assertTrue(proxy.awaitBytesForwarded(FaultProxy.Direction.TO_SERVER, before + 50 * 23, Duration.ofSeconds(5)));
            proxy.cutAll();
            for (RedisException f : outcomes(pending)) {
                assertTrue(assertInstanceOf(RedisConnectionException.class, f).outcomeUnknown());
            }
            proxy.reset();
            assertEquals("PONG", awaitPong(redis));
            String counter = Cmd.str(new Cmd.Generic("GET", "cut").run(redis));
            long ran = counter == null ? 0 : Long.parseLong(counter);
            // those that reached the server before the cut ran once; none was sent again
            assertTrue(ran <= 50, "INCR ran " + ran + " times for 50 sent once");
        }
    }

    /**
     * A peer that goes silent: the GET times out, and as the server sent nothing for the GET's whole wait the
     * connection is presumed dead and replaced. (The late reply then never arrives; a late reply on a live
     * connection is {@link #aTimedOutCommandsLateReplyIsDiscardedOnTheSameConnectionNotGivenToTheNext}'s.)
     */
    @Test
    void stalledRepliesTimeOutAndTheSilentConnectionIsReplaced() throws Exception {
        try (RedisServer server = RedisServer.builder().start();
             FaultProxy proxy = FaultProxy.start(server);
             IoRuntime io = IoRuntime.start(settings());
             RedisEndpoint redis = io.connect(proxy.uri())) {
            server.command("SET", "a", "value-a");
            server.command("SET", "b", "value-b");
            proxy.stall(FaultProxy.Direction.TO_CLIENT);
            Cmd.Get getA = new Cmd.Get();
            getA.key = "a".getBytes();
            getA.timeout(Duration.ofMillis(300));
            redis.submit(getA);
            RedisTimeoutException t = assertThrows(RedisTimeoutException.class, getA::await);
            assertTrue(t.getMessage().contains("GET") && t.getMessage().contains("300 ms"), t.getMessage());
            proxy.resume();
            // the old socket is gone with a's reply: b goes out on the new connection and gets b's value
            Cmd.Get getB = new Cmd.Get();
            getB.key = "b".getBytes();
            redis.submit(getB);
            getB.await();
            assertEquals("value-b", getB.text());
            assertEquals(-1, getA.length, "the late reply was not delivered to the timed-out command");
            assertEquals(2, proxy.acceptedConnections(), "the server said nothing while GET waited: the client "
                    + "treated the connection as dead and reconnected");
        }
    }

    /**
     * A late reply on a connection that stays up. Every reply is held 800 ms by the proxy while a PING goes out every
     * 20 ms, so replies keep arriving and the connection is never silent for a whole timeout: GET a (300 ms) times out,
     * its reply comes later on the same connection and must be dropped there — not given to the timed-out GET, not
     * to GET b behind it — without a reconnect.
     */
    @Test
    void aTimedOutCommandsLateReplyIsDiscardedOnTheSameConnectionNotGivenToTheNext() throws Exception {
        try (RedisServer server = RedisServer.builder().start();
             FaultProxy proxy = FaultProxy.start(server);
             IoRuntime io = IoRuntime.start(settings());
             RedisEndpoint redis = io.connect(proxy.uri())) {
            server.command("SET", "a", "value-a");
            server.command("SET", "b", "value-b");
            proxy.delay(FaultProxy.Direction.TO_CLIENT, Duration.ofMillis(800));
            AtomicBoolean stop = new AtomicBoolean();
            Thread pinger = Thread.ofPlatform().start(() -> {
                while (!stop.get()) {
                    redis.submit(new Cmd.Generic("PING")); // not awaited: each reply arrives 800 ms later
                    ClearErrorsTest.sleep(20);
                }
            });
            try {
                Thread.sleep(1_000); // the PINGs' replies are arriving now, one every ~20 ms
                Cmd.Get getA = new Cmd.Get();
                getA.key = "a".getBytes();
                getA.timeout(Duration.ofMillis(300));
                redis.submit(getA);
                RedisTimeoutException t = assertThrows(RedisTimeoutException.class, getA::await);
                assertTrue(t.getMessage().contains("it was sent and may have run; a late reply will be discarded"),
                        t.getMessage());
                Cmd.Get getB = new Cmd.Get();
                getB.key = "b".getBytes();
                redis.submit(getB); // behind a on the wire: when b's reply is in, a's late one has come and gone
                getB.await();
                assertEquals("value-b", getB.text(), "b got its own reply, not a's late one");
                assertEquals(-1, getA.length, "a's late reply was discarded, not delivered to the timed-out GET");
            } finally {
                stop.set(true);
                pinger.join();
            }
            assertEquals(1, proxy.acceptedConnections(), "no reconnect: the late reply was dropped on the same "
                    + "connection");
        }
    }

    @Test
    void replyCutInTheMiddleFailsTheCommandAndTheConnectionRecovers() throws Exception {
        try (RedisServer server = RedisServer.builder().start();
             FaultProxy proxy = FaultProxy.start(server);
             IoRuntime io = IoRuntime.start(settings());
             RedisEndpoint redis = io.connect(proxy.uri())) {
            String big = "x".repeat(100_000);
            server.command("SET", "big", big);
            proxy.cutAfterBytes(FaultProxy.Direction.TO_CLIENT, 50_000);
            Cmd.Get get = new Cmd.Get();
            get.key = "big".getBytes();
            redis.submit(get);
            RedisConnectionException e = assertThrows(RedisConnectionException.class, get::await);
            assertTrue(e.outcomeUnknown());
            assertEquals("PONG", awaitPong(redis));
            redis.submit(get);
            get.await();
            assertEquals(big, get.text());
        }
    }

    @Test
    void incrAcrossForcedReconnectsLosesNoAcknowledgedWrite() throws Exception {
        try (RedisServer server = RedisServer.builder().start();
             FaultProxy proxy = FaultProxy.start(server);
             IoRuntime io = IoRuntime.start(settings());
             RedisEndpoint redis = io.connect(proxy.uri())) {
            int threads = 4;
            int perThread = 25_000;
            AtomicLong ok = new AtomicLong();
            AtomicLong unknown = new AtomicLong();
            AtomicLong notSent = new AtomicLong();
            AtomicLong progress = new AtomicLong();
            List<Thread> ts = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                ts.add(Thread.ofPlatform().start(() -> {
                    Cmd.Incr incr = new Cmd.Incr("counter");
                    for (int i = 0; i < perThread; i++) {
                        redis.submit(incr);
                        try {
                            incr.await();
                            ok.incrementAndGet();
                        } catch (RedisConnectionException e) {
                            (e.outcomeUnknown() ? unknown : notSent).incrementAndGet();
                        } catch (RedisTimeoutException e) {
                            unknown.incrementAndGet();
                        }
                        progress.incrementAndGet();
                    }
                }));
            }
            for (long mark : new long[] {20_000, 50_000, 80_000}) {
                while (progress.get() < mark) {
                    Thread.sleep(5);
                }
                proxy.cutAll();
            }
            for (Thread t : ts) {
                t.join();
            }
            long value = Long.parseLong(server.command("GET", "counter").toString());
            System.out.printf("INCR x%d across 3 cuts: %d ok, %d outcome unknown, %d not sent; server value %d%n",
                    threads * perThread, ok.get(), unknown.get(), notSent.get(), value);
            assertEquals((long) threads * perThread, ok.get() + unknown.get() + notSent.get());
            assertTrue(value >= ok.get(), "every acknowledged INCR is in the counter");
            assertTrue(value <= ok.get() + unknown.get(), "nothing ran that was not sent or was sent twice");
            assertTrue(unknown.get() > 0 || value == ok.get());
        }
    }

    @Test
    void commandsSubmittedWhileDisconnectedWaitAndGoOutAfterTheReconnect() throws Exception {
        try (RedisServer server = RedisServer.builder().start();
             FaultProxy proxy = FaultProxy.start(server);
             IoRuntime io = IoRuntime.start(IoSettings.builder()
                     .reconnectBackoff(Duration.ofMillis(200), Duration.ofMillis(200), 0).build());
             RedisEndpoint redis = io.connect(proxy.uri())) {
            proxy.refuseNew(true);
            proxy.cutAll();
            awaitDisconnectNoticed(redis);
            Cmd.Generic set = new Cmd.Generic("SET", "late", "yes");
            redis.submit(set);
            proxy.refuseNew(false);
            set.await();
            assertEquals("OK", Cmd.str(set.reply()));
            assertEquals("yes", server.command("GET", "late"));
        }
    }

    /**
     * FAIL_FAST, a command submitted while the link is down (in its reconnect backoff): it fails at once, unsent.
     * The backoff is 30 s and the command timeout 3 s, so a command that waited for the reconnect instead would end
     * with a timeout, and there is no failed reconnect attempt that could fail it either.
     */
    @Test
    void failFastWhenDisconnectedFailsWithOutcomeKnown() throws Exception {
        try (RedisServer server = RedisServer.builder().start();
             FaultProxy proxy = FaultProxy.start(server);
             IoRuntime io = IoRuntime.start(IoSettings.builder()
                     .whenDisconnected(IoSettings.WhenDisconnected.FAIL_FAST)
                     .commandTimeout(Duration.ofSeconds(3))
                     .reconnectBackoff(Duration.ofSeconds(30), Duration.ofSeconds(30), 0).build());
             RedisEndpoint redis = io.connect(proxy.uri())) {
            proxy.cutAll();
            RedisConnectionException e = null;
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (e == null && System.nanoTime() < until) {
                Cmd.Generic ping = new Cmd.Generic("PING");
                redis.submit(ping);
                try {
                    ping.await();
                    Thread.sleep(5); // the cut has not been seen yet
                } catch (RedisConnectionException x) {
                    if (!x.outcomeUnknown()) {
                        e = x; // else: a PING on the wire when the cut was seen; not the case under test
                    }
                } catch (RedisTimeoutException waited) {
                    throw new AssertionError("the PING waited for the reconnect instead of failing fast", waited);
                }
            }
            assertNotNull(e, "no PING failed unsent");
            assertTrue(e.getMessage().contains("was not sent") && e.getMessage().contains("down")
                    && e.getMessage().contains("FAIL_FAST"), e.getMessage());
            assertEquals(1, proxy.acceptedConnections(), "no reconnect was attempted meanwhile");
        }
    }

    /**
     * FAIL_FAST, a command that waits for a reconnect's handshake (the link is not down, so it is kept): when that
     * reconnect fails — here by the connect timeout, the proxy holding the server's replies — the command fails,
     * unsent, instead of waiting on for the next attempt until its own timeout.
     */
    @Test
    void failFastFailsCommandsWaitingForAReconnectThatFails() throws Exception {
        try (RedisServer server = RedisServer.builder().start();
             FaultProxy proxy = FaultProxy.start(server);
             IoRuntime io = IoRuntime.start(IoSettings.builder()
                     .whenDisconnected(IoSettings.WhenDisconnected.FAIL_FAST)
                     .connectTimeout(Duration.ofMillis(1_500))
                     .commandTimeout(Duration.ofSeconds(6))
                     .reconnectBackoff(Duration.ofMillis(20), Duration.ofMillis(20), 0).build());
             RedisEndpoint redis = io.connect(proxy.uri())) {
            proxy.stall(FaultProxy.Direction.TO_CLIENT); // the next handshake gets no answer
            proxy.cutAll();
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (proxy.acceptedConnections() < 2 && System.nanoTime() < until) {
                Thread.sleep(5);
            }
            assertEquals(2, proxy.acceptedConnections(), "the link is reconnecting: its HELLO is held by the proxy");
            Cmd.Generic ping = new Cmd.Generic("PING");
            redis.submit(ping); // the link is connecting, not down: the PING waits for the handshake
            RedisConnectionException e = assertThrows(RedisConnectionException.class, ping::await);
            assertTrue(!e.outcomeUnknown(), e.getMessage());
            assertTrue(e.getMessage().startsWith("not sent: connecting to") && e.getMessage().contains("connect timeout")
                    && e.getMessage().contains("FAIL_FAST"), e.getMessage());
        }
    }

    @Test
    void idlePingFindsSilentDeadConnectionsAndReconnectsThemIncludingAResp2Subscriber() throws Exception {
        try (RedisServer server = RedisServer.builder().start();
             FaultProxy proxy = FaultProxy.start(server);
             IoRuntime io = IoRuntime.start(IoSettings.builder().idlePing(Duration.ofMillis(200)).build());
             RedisEndpoint redis = io.connect(RedisUri.parse(proxy.uri()).withProtocol(2))) {
            new Cmd.Generic("SUBSCRIBE", "quiet").run(redis); // a second link, in RESP2 subscribed mode
            assertEquals(2, proxy.acceptedConnections());
            Thread.sleep(500); // idle PINGs go out and are answered: no reconnect while the peer is alive
            assertEquals(2, proxy.acceptedConnections());
            proxy.stall(FaultProxy.Direction.TO_CLIENT); // the peer goes silent without closing anything
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (proxy.acceptedConnections() < 4 && System.nanoTime() < until) {
                Thread.sleep(20);
            }
            assertTrue(proxy.acceptedConnections() >= 4, "both links reconnected after unanswered idle PINGs: "
                    + proxy.acceptedConnections());
            proxy.resume();
            assertEquals("PONG", awaitPong(redis));
        }
    }

    /** A GET that says it is safe to run twice. */
    static final class IdempotentGet extends Cmd.Generic {
        IdempotentGet(String key) {
            super("GET", key);
        }

        @Override public boolean idempotent() { return true; }
    }

    @Test
    void idempotentCommandsCaughtByACutAreSentAgain() throws Exception {
        try (RedisServer server = RedisServer.builder().start();
             FaultProxy proxy = FaultProxy.start(server);
             IoRuntime io = IoRuntime.start(IoSettings.builder().retryIdempotent(true).build());
             RedisEndpoint redis = io.connect(proxy.uri())) {
            server.command("SET", "r", "value");
            proxy.stall(FaultProxy.Direction.TO_CLIENT);
            long before = proxy.bytesReceived(FaultProxy.Direction.TO_SERVER); // the handshake's bytes
            IdempotentGet get = new IdempotentGet("r");
            Cmd.Generic incr = new Cmd.Generic("INCR", "n");
            redis.submit(get);
            redis.submit(incr);
            // both must be on the wire before the cut (GET r is 20 bytes, INCR n 21): an INCR still queued when
            // the link drops was never written, so it would rightly be sent after the reconnect
            assertTrue(proxy.awaitBytesReceived(FaultProxy.Direction.TO_SERVER, before + 20 + 21, Duration.ofSeconds(5)));
            proxy.cutAll();
            proxy.reset();
            get.await();
            assertEquals("value", Cmd.str(get.reply()), "the read was sent again after the reconnect");
            assertTrue(assertThrows(RedisConnectionException.class, incr::await).outcomeUnknown(),
                    "the write was not: it may have run");
        }
    }

    @Test
    void idempotentCommandsCaughtByACutAreNotSentAgainWhenRetryIsOff() throws Exception {
        try (RedisServer server = RedisServer.builder().start();
             FaultProxy proxy = FaultProxy.start(server);
             IoRuntime io = IoRuntime.start(IoSettings.builder().retryIdempotent(false).build()); // on by default
             RedisEndpoint redis = io.connect(proxy.uri())) {
            server.command("SET", "r", "value");
            proxy.stall(FaultProxy.Direction.TO_CLIENT);
            long before = proxy.bytesReceived(FaultProxy.Direction.TO_SERVER);
            IdempotentGet get = new IdempotentGet("r");
            redis.submit(get);
            assertTrue(proxy.awaitBytesReceived(FaultProxy.Direction.TO_SERVER, before + 20, Duration.ofSeconds(5)));
            proxy.cutAll();
            proxy.reset();
            RedisConnectionException e = assertThrows(RedisConnectionException.class, get::await,
                    "an idempotent GET on the wire is not sent again when IoSettings.retryIdempotent is off");
            assertTrue(e.outcomeUnknown() && e.getMessage().contains("was not sent again"), e.getMessage());
        }
    }
}
