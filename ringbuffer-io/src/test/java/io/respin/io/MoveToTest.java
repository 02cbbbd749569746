package io.respin.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.respin.RedisConnectionException;
import io.respin.RedisServerException;
import io.respin.engine.resp.Reply;
import io.respin.io.loop.OnIoThread;
import io.respin.testkit.RedisServer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link RedisEndpoint#moveTo}: every connection of the endpoint leaves the old server and reconnects to the new one
 * (what a Sentinel failover needs), and {@link ConnectionEvents} hears of a lost shared connection and error replies.
 */
class MoveToTest {

    RedisServer a;
    RedisServer b;
    IoRuntime io;

    @BeforeEach
    void start() {
        a = RedisServer.builder().start();
        b = RedisServer.builder().start();
        a.command("SET", "who", "a");
        b.command("SET", "who", "b");
        io = IoRuntime.start(IoSettings.defaults());
    }

    @AfterEach
    void stop() {
        io.close();
        a.close();
        b.close();
    }

    @Test
    void everyConnectionLeavesTheOldServerAndSubscriptionsComeBackOnTheNewOne() throws Exception {
        LinkedBlockingQueue<String> messages = new LinkedBlockingQueue<>();
        PushListener listener = push -> {
            if (push instanceof Reply.Aggregate m && "message".equals(m.get(0).asString())) {
                messages.add(m.get(2).asString());
            }
        };
        RedisEndpoint redis = io.connect(RedisUri.parse(a.uri()).withClientName("mover"),
                ConnectionOptions.builder().pushListener(listener).build());
        new Cmd.Generic("SUBSCRIBE", "news").run(redis);
        a.command("PUBLISH", "news", "from-a");
        assertEquals("from-a", messages.poll(10, TimeUnit.SECONDS));
        try (DedicatedConnection d = redis.dedicated()) {
            Cmd.Generic get = new Cmd.Generic("GET", "who");
            d.submit(get);
            get.await();
            assertEquals("a", Cmd.str(get.reply()));
            assertEquals(3, clientsNamed(a, "mover"), "shared, subscriber, dedicated on a");

            redis.moveTo(b.host(), b.port());

            assertEquals("b", Cmd.str(new Cmd.Generic("GET", "who").run(redis)));
            Cmd.Generic dget = new Cmd.Generic("GET", "who");
            d.submit(dget);
            dget.await();
            assertEquals("b", Cmd.str(dget.reply()), "the dedicated connection moved too");
        }
        assertEquals(b.hostAndPort(), redis.uri().address());
        awaitSubscribers(b, "news");
        b.command("PUBLISH", "news", "from-b");
        assertEquals("from-b", messages.poll(10, TimeUnit.SECONDS), "the subscription was restored on b");
        awaitNoClientNamed(a, "mover");
        assertEquals(0L, a.command("PUBLISH", "news", "late-a"), "nobody listens on a any more");
        assertNull(messages.poll(200, TimeUnit.MILLISECONDS));
    }

    @Test
    void theLinksReconnectInTheSamePassAsTheMoveNotAtTheNextMaintenanceTick() throws Exception {
        RedisEndpoint redis = io.connect(RedisUri.parse(a.uri()));
        new Cmd.Generic("SUBSCRIBE", "news").run(redis); // two links: shared and subscriber, both up on a
        assertEquals("a", Cmd.str(new Cmd.Generic("GET", "who").run(redis)));
        for (int round = 0; round < 20; round++) { // each round moves from a READY state, maintenance up to 100 ms away
            redis.moveTo(round % 2 == 0 ? b.host() : a.host(), round % 2 == 0 ? b.port() : a.port());
            assertTrue(OnIoThread.reconnectUnderWayOrDue(io.loop(), redis.core()),
                    "round " + round + ": a moved link waits in BACKOFF for the agent's next maintenance tick");
            assertEquals(round % 2 == 0 ? "b" : "a", Cmd.str(new Cmd.Generic("GET", "who").run(redis)));
        }
    }

    @Test
    void aWriteInFlightOnTheOldServerFailsWithAnUnknownOutcomeAndIsNotSentAgain() throws Exception {
        RedisEndpoint redis = io.connect(RedisUri.parse(a.uri()));
        a.command("CLIENT", "PAUSE", "3000", "WRITE"); // the INCR is written and waits on a
        Cmd.Incr incr = new Cmd.Incr("counter");
        redis.submit(incr);
        awaitBlockedClients(a);
        redis.moveTo(b.host(), b.port());
        RedisConnectionException e = assertThrows(RedisConnectionException.class, incr::await);
        assertTrue(e.outcomeUnknown(), e.getMessage());
        assertTrue(e.getMessage().contains("moved from " + a.hostAndPort() + " to " + b.hostAndPort()), e.getMessage());
        assertEquals("b", Cmd.str(new Cmd.Generic("GET", "who").run(redis)));
        assertNull(b.command("GET", "counter"), "the INCR did not reach b");
        a.command("CLIENT", "UNPAUSE");
    }

    @Test
    void connectionEventsHearOfALostSharedConnectionAndOfErrorReplies() throws Exception {
        List<String> lost = new CopyOnWriteArrayList<>();
        List<String> errors = new CopyOnWriteArrayList<>();
        ConnectionEvents events = new ConnectionEvents() {
            @Override public void onConnectionLost(String address, RedisConnectionException why) { lost.add(address); }

            @Override public void onServerError(RedisServerException error) { errors.add(error.prefix()); }
        };
        RedisEndpoint redis = io.connect(RedisUri.parse(a.uri()).withClientName("watched"),
                ConnectionOptions.builder().connectionEvents(events).build());
        new Cmd.Generic("SET", "str", "x").run(redis);
        Cmd.Generic wrong = new Cmd.Generic("LPUSH", "str", "y");
        redis.submit(wrong);
        assertThrows(RedisServerException.class, wrong::await);
        assertEquals(List.of("WRONGTYPE"), errors);
        assertEquals(List.of(), lost);
        a.command("CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes");
        for (int i = 0; i < 500 && lost.isEmpty(); i++) {
            Thread.sleep(10); // the IO thread sees the socket close
        }
        assertEquals(List.of(a.hostAndPort()), lost);
        assertEquals("a", Cmd.str(new Cmd.Generic("GET", "who").run(redis))); // reconnected
        redis.moveTo(b.host(), b.port());
        assertEquals("b", Cmd.str(new Cmd.Generic("GET", "who").run(redis)));
        assertEquals(List.of(a.hostAndPort()), lost, "a move is not reported as a loss: the mover knows");
    }

    private static long clientsNamed(RedisServer s, String name) {
        String list = (String) s.command("CLIENT", "LIST");
        return list.lines().filter(l -> l.contains(" name=" + name + " ")).count();
    }

    private static void awaitNoClientNamed(RedisServer s, String name) throws InterruptedException {
        for (int i = 0; i < 500 && clientsNamed(s, name) > 0; i++) {
            Thread.sleep(10);
        }
        assertEquals(0, clientsNamed(s, name), "connections left on " + s);
    }

    private static void awaitSubscribers(RedisServer s, String channel) throws InterruptedException {
        for (int i = 0; i < 500; i++) {
            List<?> n = (List<?>) s.command("PUBSUB", "NUMSUB", channel);
            if (((Long) n.get(1)) > 0) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("nobody subscribed to " + channel + " on " + s);
    }

    private static void awaitBlockedClients(RedisServer s) throws InterruptedException {
        for (int i = 0; i < 500; i++) {
            String info = (String) s.command("INFO", "clients");
            if (info.lines().anyMatch(l -> l.startsWith("blocked_clients:") && !l.equals("blocked_clients:0"))) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no client waits on " + s + ": " + s.command("INFO", "clients"));
    }
}
