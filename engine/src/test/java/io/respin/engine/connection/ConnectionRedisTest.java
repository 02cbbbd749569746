package io.respin.engine.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.respin.RedisTransactionAbortedException;
import io.respin.testkit.RedisServer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The connection against a real redis-server, driven by {@link BlockingDriver}. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConnectionRedisTest {
    static RedisServer server;

    @BeforeAll
    static void start() {
        server = RedisServer.builder().config("user", "alice", "on", ">pw", "~*", "&*", "+@all").start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static BlockingDriver open(ConnectionSettings s) {
        return new BlockingDriver(server.port(), s);
    }

    static BlockingDriver open(int protocol) {
        return open(ConnectionSettings.builder().protocol(protocol).build());
    }

    static TestCommand cmd(String... args) {
        return TestCommand.of(args);
    }

    /** Sends one command and returns its event line. */
    static String call(BlockingDriver d, String... args) {
        d.events.take();
        TestCommand c = cmd(args);
        d.send(c);
        d.await(() -> d.events.lines.stream().anyMatch(l -> l.contains(" " + c + ":") || l.endsWith(" " + c)));
        return d.events.take().stream().filter(l -> l.contains(" " + c)).findFirst().orElseThrow();
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void handshakeWithAclUserNameAndDatabase(int protocol) throws Exception {
        try (BlockingDriver d = open(ConnectionSettings.builder().protocol(protocol).auth("alice", "pw")
                .clientName("respin-test").database(3).build())) {
            assertNotNull(d.events.ready, d.events.lines.toString());
            assertEquals(protocol, d.events.ready.protocol());
            assertEquals(protocol, d.connection.protocol());
            assertTrue(d.events.ready.serverVersion().startsWith("7."), d.events.ready.serverVersion());
            assertTrue(d.events.ready.clientId() > 0);
            assertEquals("reply ACL WHOAMI: bulk \"alice\"", call(d, "ACL", "WHOAMI"));
            assertEquals("reply CLIENT GETNAME: bulk \"respin-test\"", call(d, "CLIENT", "GETNAME"));
            assertTrue(call(d, "CLIENT", "INFO").contains(" db=3 "), "SELECT 3 ran");
        }
    }

    @Test
    void wrongPasswordIsAHandshakeFailure() throws Exception {
        try (BlockingDriver d = open(ConnectionSettings.builder().auth("alice", "wrong").build())) {
            assertNotNull(d.events.handshakeFailure);
            assertTrue(d.events.handshakeFailure.getMessage().contains("WRONGPASS"), d.events.handshakeFailure.getMessage());
            assertEquals(Connection.Mode.DEAD, d.connection.mode());
        }
    }

    @Test
    void requirepassServer() throws Exception {
        try (RedisServer secured = RedisServer.builder().requirePass("s3cret").start()) {
            try (BlockingDriver d = new BlockingDriver(secured.port(), ConnectionSettings.builder().password("s3cret").build())) {
                assertNotNull(d.events.ready, d.events.lines.toString());
                assertEquals("reply ACL WHOAMI: bulk \"default\"", call(d, "ACL", "WHOAMI"));
            }
            try (BlockingDriver d = new BlockingDriver(secured.port(), ConnectionSettings.DEFAULT)) {
                assertNotNull(d.events.handshakeFailure);
                String m = d.events.handshakeFailure.getMessage();
                assertTrue(m.contains("NOAUTH") && m.contains("ConnectionSettings.password") && m.contains("URI"), m);
            }
        }
    }

    @Test
    void serverWithoutHelloGetsAuthAndResp2() throws Exception {
        // rename-command HELLO "" makes a 7.0 server answer HELLO like a 5.x server: "ERR unknown command"
        try (RedisServer old = RedisServer.builder().requirePass("pw").config("rename-command", "HELLO", "").start();
             BlockingDriver d = new BlockingDriver(old.port(), ConnectionSettings.builder().protocol(3).password("pw")
                     .clientName("legacy").database(4).build())) {
            assertNotNull(d.events.ready, d.events.lines.toString());
            assertEquals(2, d.events.ready.protocol());
            assertEquals(2, d.connection.protocol());
            assertEquals("reply CLIENT GETNAME: bulk \"legacy\"", call(d, "CLIENT", "GETNAME"));
            assertTrue(call(d, "CLIENT", "INFO").contains(" db=4 "), "SELECT was sent again after AUTH");
            assertEquals("reply HGETALL none: array []", call(d, "HGETALL", "none"), "RESP2 framing");
        }
    }

    @Test
    void clientReplyOffAndSkipKeepRepliesMatched() throws Exception {
        try (BlockingDriver d = open(3)) {
            d.events.take();
            d.send(cmd("CLIENT", "REPLY", "SKIP"), cmd("SET", "cr", "1"), cmd("CLIENT", "REPLY", "OFF"),
                    cmd("INCR", "cr"), cmd("INCR", "cr"), cmd("CLIENT", "REPLY", "ON"), cmd("GET", "cr"));
            d.drain();
            assertEquals(List.of("reply CLIENT REPLY SKIP", "reply SET cr 1", "reply CLIENT REPLY OFF", "reply INCR cr",
                    "reply INCR cr", "reply CLIENT REPLY ON: simple \"OK\"", "reply GET cr: bulk \"3\""), d.events.take());
        }
    }

    @Test
    void anAbandonedBlockingCommandsLateReplyIsDiscarded() throws Exception {
        try (BlockingDriver d = open(3)) {
            d.events.take();
            TestCommand blpop = cmd("BLPOP", "nothing-here", "0.2"), echo = cmd("ECHO", "mine");
            d.send(blpop, echo);
            assertTrue(d.connection.abandon(blpop)); // the caller's deadline passed
            d.drain(); // BLPOP's null arrives after 200 ms and is dropped
            assertEquals(List.of("reply ECHO mine: bulk \"mine\""), d.events.take());
            assertEquals(null, blpop.reply());
        }
    }

    @Test
    void tenThousandPipelinedCommandsMatchInOrder() throws Exception {
        try (BlockingDriver d = open(3)) {
            call(d, "DEL", "pipeline:counter");
            List<TestCommand> cmds = new ArrayList<>();
            for (int i = 0; i < 10_000; i++) {
                cmds.add(i % 2 == 0 ? cmd("INCR", "pipeline:counter") : cmd("ECHO", "v" + i));
            }
            d.send(cmds.toArray(Request[]::new));
            d.drain();
            List<String> lines = d.events.take();
            assertEquals(10_000, lines.size());
            for (int i = 0; i < 10_000; i++) {
                String expected = i % 2 == 0 ? "reply INCR pipeline:counter: int " + (i / 2 + 1)
                        : "reply ECHO v" + i + ": bulk \"v" + i + "\"";
                assertEquals(expected, lines.get(i));
            }
        }
    }

    @Test
    void pubSubResp2() throws Exception {
        try (BlockingDriver sub = open(2); BlockingDriver pub = open(3)) {
            assertEquals("reply SUBSCRIBE r2:a r2:b", call(sub, "SUBSCRIBE", "r2:a", "r2:b"));
            assertEquals(Connection.Mode.SUBSCRIBED, sub.connection.mode());
            assertEquals("reply PUBLISH r2:a hello: int 1", call(pub, "PUBLISH", "r2:a", "hello"));
            sub.await(() -> !sub.events.pushes.isEmpty());
            assertEquals(List.of("push array [bulk \"message\", bulk \"r2:a\", bulk \"hello\"]"), sub.events.take());
            assertEquals("reply PING: array [bulk \"pong\", bulk \"\"]", call(sub, "PING"));
            sub.send(cmd("GET", "k"));
            assertTrue(sub.events.take().getFirst().startsWith("failed GET k"), "refused before reaching the server");
            assertEquals("reply UNSUBSCRIBE", call(sub, "UNSUBSCRIBE"));
            assertEquals(Connection.Mode.NORMAL, sub.connection.mode());
            assertEquals("reply GET r2:none: null", call(sub, "GET", "r2:none"));
        }
    }

    @Test
    void pubSubResp3MessagesInterleaveWithReplies() throws Exception {
        try (BlockingDriver sub = open(3); BlockingDriver pub = open(3)) {
            assertEquals("reply PSUBSCRIBE r3:*", call(sub, "PSUBSCRIBE", "r3:*"));
            call(pub, "SET", "r3-key", "v");
            for (int i = 0; i < 3; i++) {
                call(pub, "PUBLISH", "r3:c", "m" + i);
            }
            TestCommand get = cmd("GET", "r3-key");
            sub.send(get, cmd("PUBLISH", "r3:self", "own"), cmd("PING"));
            sub.drain();
            sub.await(() -> sub.events.pushes.size() == 4);
            List<String> lines = sub.events.take();
            assertEquals(List.of(
                    "push push [bulk \"pmessage\", bulk \"r3:*\", bulk \"r3:c\", bulk \"m0\"]",
                    "push push [bulk \"pmessage\", bulk \"r3:*\", bulk \"r3:c\", bulk \"m1\"]",
                    "push push [bulk \"pmessage\", bulk \"r3:*\", bulk \"r3:c\", bulk \"m2\"]",
                    "reply GET r3-key: bulk \"v\""), lines.subList(0, 4));
            assertTrue(lines.containsAll(List.of("reply PUBLISH r3:self own: int 1", "reply PING: simple \"PONG\"",
                    "push push [bulk \"pmessage\", bulk \"r3:*\", bulk \"r3:self\", bulk \"own\"]")), lines.toString());
        }
    }

    @Test
    void clientTrackingInvalidationsArePushes() throws Exception {
        try (BlockingDriver a = open(ConnectionSettings.builder().tracking().build()); BlockingDriver b = open(3)) {
            assertNotNull(a.events.ready, a.events.lines.toString());
            call(b, "SET", "tracked", "1");
            assertEquals("reply GET tracked: bulk \"1\"", call(a, "GET", "tracked"));
            call(b, "SET", "tracked", "2");
            a.await(() -> !a.events.pushes.isEmpty());
            assertEquals(List.of("push push [bulk \"invalidate\", array [bulk \"tracked\"]]"), a.events.take());
        }
    }

    @Test
    void multiExecAndWatchAbort() throws Exception {
        try (BlockingDriver a = open(2); BlockingDriver b = open(3)) {
            call(a, "SET", "tx", "1");
            a.send(cmd("MULTI"), cmd("INCR", "tx"), cmd("LPUSH", "tx", "x"), cmd("GET", "tx"), cmd("EXEC"));
            a.drain();
            assertEquals(List.of("reply MULTI: simple \"OK\"", "reply INCR tx: int 2",
                    "error LPUSH tx x: WRONGTYPE Operation against a key holding the wrong kind of value",
                    "reply GET tx: bulk \"2\"", "reply EXEC: array []"), a.events.take());

            call(a, "WATCH", "tx");
            call(b, "SET", "tx", "10");
            a.send(cmd("MULTI"), cmd("INCR", "tx"), cmd("EXEC"));
            a.drain();
            assertEquals(List.of("reply MULTI: simple \"OK\"", "failed INCR tx: RedisTransactionAbortedException",
                    "reply EXEC: null"), a.events.take());
            assertTrue(a.events.exceptions.getLast() instanceof RedisTransactionAbortedException);
            assertEquals("reply GET tx: bulk \"10\"", call(a, "GET", "tx"));

            a.send(cmd("MULTI"), cmd("SET", "tx", "1"), cmd("NOSUCHCOMMAND"), cmd("EXEC"));
            a.drain();
            List<String> lines = a.events.take();
            assertEquals("failed SET tx 1: RedisTransactionAbortedException", lines.get(2), lines.toString());
            assertTrue(lines.get(3).startsWith("error EXEC: EXECABORT"), lines.toString());
            assertEquals(Connection.Mode.NORMAL, a.connection.mode());
        }
    }

    @Test
    void monitorThenReset() throws Exception {
        try (BlockingDriver mon = open(3); BlockingDriver other = open(3)) {
            assertEquals("reply MONITOR: simple \"OK\"", call(mon, "MONITOR"));
            assertEquals(Connection.Mode.MONITOR, mon.connection.mode());
            call(other, "SET", "monitored-key", "v");
            mon.await(() -> mon.events.lines.stream().anyMatch(l -> l.contains("monitored-key")));
            String line = mon.events.take().stream().filter(l -> l.contains("monitored-key")).findFirst().orElseThrow();
            assertTrue(line.startsWith("monitor ") && line.contains("\"SET\" \"monitored-key\" \"v\""), line);
            mon.send(cmd("GET", "x"));
            assertTrue(mon.events.take().getFirst().startsWith("failed GET x"));
            mon.send(cmd("RESET"));
            mon.drain();
            assertTrue(mon.events.take().contains("reply RESET: simple \"RESET\""));
            assertEquals(Connection.Mode.NORMAL, mon.connection.mode());
            assertEquals("reply GET monitored-key: bulk \"v\"", call(mon, "GET", "monitored-key"));
            assertFalse(mon.connection.mode() == Connection.Mode.DEAD);
        }
    }
}
