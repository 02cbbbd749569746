package io.respin.engine.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.respin.RedisConnectionException;
import io.respin.RedisProtocolException;
import io.respin.RedisRedirectException;
import io.respin.RedisServerException;
import io.respin.RedisTransactionAbortedException;
import io.respin.engine.resp.RespHandler;
import io.respin.engine.resp.RespWriter;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * State × input with canned server bytes: every mode (normal, MULTI, RESP2/RESP3 subscribed, MONITOR, dead)
 * against replies, errors and pushes. Each test runs with the server's bytes fed whole, byte by byte and in
 * 5-byte chunks: the events must not depend on how the bytes arrive.
 */
class ConnectionStateTest {

    static String bulk(String s) {
        return "$" + s.length() + "\r\n" + s + "\r\n";
    }

    static String arr(String... items) {
        return "*" + items.length + "\r\n" + String.join("", items);
    }

    static String push(String... items) {
        return ">" + items.length + "\r\n" + String.join("", items);
    }

    static TestCommand cmd(String... args) {
        return TestCommand.of(args);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 5})
    void pipelineRepliesMatchInOrder(int chunk) {
        Wire w = Wire.resp3(chunk);
        TestCommand a = cmd("GET", "a"), b = cmd("GET", "b"), c = cmd("INCR", "c");
        assertEquals(arr(bulk("GET"), bulk("a")) + arr(bulk("GET"), bulk("b")) + arr(bulk("INCR"), bulk("c")), w.send(a, b, c));
        assertEquals(3, w.connection.inFlight());
        w.feed(bulk("1") + "_\r\n" + ":7\r\n");
        assertEquals(List.of("reply GET a: bulk \"1\"", "reply GET b: null", "reply INCR c: int 7"), w.events.take());
        assertEquals(0, w.connection.inFlight());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 5})
    void resp3PushesInsideAPipelineAreNotReplies(int chunk) {
        Wire w = Wire.resp3(chunk);
        TestCommand a = cmd("GET", "a"), b = cmd("LRANGE", "l", "0", "-1");
        w.send(a, b);
        w.feed(push(bulk("message"), bulk("ch"), bulk("hi")) + bulk("1")
                + push(bulk("invalidate"), arr(bulk("k"))) + arr(bulk("x"), bulk("y")));
        assertEquals(List.of(
                "push push [bulk \"message\", bulk \"ch\", bulk \"hi\"]",
                "reply GET a: bulk \"1\"",
                "push push [bulk \"invalidate\", array [bulk \"k\"]]",
                "reply LRANGE l 0 -1: array [bulk \"x\", bulk \"y\"]"), w.events.take());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 5})
    void serverErrorsAreValuesWithTheirPrefixAndRedirectsAreParsed(int chunk) {
        Wire w = Wire.resp3(chunk);
        w.send(cmd("GET", "a"), cmd("GET", "b"), cmd("GET", "c"), cmd("GET", "d"), cmd("GET", "e"));
        w.feed("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"
                + "-MOVED 3999 127.0.0.1:6381\r\n-ASK 12 ::1:7000\r\n!10\r\nNOSCRIPT x\r\n" + bulk("ok"));
        assertEquals(5, w.events.take().size());
        assertEquals("WRONGTYPE", ((RedisServerException) w.events.exceptions.get(0)).prefix());
        RedisRedirectException moved = assertInstanceOf(RedisRedirectException.class, w.events.exceptions.get(1));
        assertEquals(new RedisRedirectException.Redirect(false, 3999, "127.0.0.1", 6381), moved.redirect());
        assertEquals("MOVED", moved.prefix());
        RedisRedirectException ask = assertInstanceOf(RedisRedirectException.class, w.events.exceptions.get(2));
        assertEquals(new RedisRedirectException.Redirect(true, 12, "::1", 7000), ask.redirect());
        assertEquals("NOSCRIPT", ((RedisServerException) w.events.exceptions.get(3)).prefix());
        assertEquals(Connection.Mode.NORMAL, w.connection.mode());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 5})
    void execDeliversEachElementToItsQueuedCommand(int chunk) {
        Wire w = Wire.resp3(chunk);
        TestCommand multi = cmd("MULTI"), set = cmd("SET", "k", "v"), lpush = cmd("LPUSH", "k", "x"),
                get = cmd("GET", "k"), exec = cmd("EXEC");
        w.send(multi, set, lpush, get, exec);
        w.feed("+OK\r\n+QUEUED\r\n+QUEUED\r\n");
        assertEquals(Connection.Mode.MULTI, w.connection.mode());
        w.feed("+QUEUED\r\n" + push(bulk("message"), bulk("c"), bulk("m"))
                + arr("+OK\r\n", "-WRONGTYPE wrong kind\r\n", bulk("v")));
        assertEquals(List.of(
                "reply MULTI: simple \"OK\"",
                "push push [bulk \"message\", bulk \"c\", bulk \"m\"]",
                "reply SET k v: simple \"OK\"",
                "error LPUSH k x: WRONGTYPE wrong kind",
                "reply GET k: bulk \"v\"",
                "reply EXEC: array []"), w.events.take());
        assertEquals(Connection.Mode.NORMAL, w.connection.mode());
        assertEquals(0, w.connection.inFlight());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 5})
    void errorWhileQueueingThenExecAbort(int chunk) {
        Wire w = Wire.resp3(chunk);
        TestCommand set = cmd("SET", "k", "v"), bad = cmd("NOSUCH"), exec = cmd("EXEC");
        w.send(cmd("MULTI"), set, bad, exec);
        w.feed("+OK\r\n+QUEUED\r\n-ERR unknown command 'NOSUCH'\r\n"
                + "-EXECABORT Transaction discarded because of previous errors.\r\n");
        assertEquals(List.of(
                "reply MULTI: simple \"OK\"",
                "error NOSUCH: ERR unknown command 'NOSUCH'",
                "failed SET k v: RedisTransactionAbortedException",
                "error EXEC: EXECABORT Transaction discarded because of previous errors."), w.events.take());
        assertEquals(Connection.Mode.NORMAL, w.connection.mode());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void watchAbortedExecFailsQueuedCommandsAndCompletesExecWithNull(int chunk) {
        Wire w = Wire.resp2(chunk);
        w.send(cmd("WATCH", "k"), cmd("MULTI"), cmd("INCR", "k"), cmd("EXEC"));
        w.feed("+OK\r\n+OK\r\n+QUEUED\r\n*-1\r\n");
        assertEquals(List.of("reply WATCH k: simple \"OK\"", "reply MULTI: simple \"OK\"",
                "failed INCR k: RedisTransactionAbortedException", "reply EXEC: null"), w.events.take());
        assertTrue(w.events.exceptions.getFirst().getMessage().contains("WATCHed key"));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void discardFailsQueuedCommands(int chunk) {
        Wire w = Wire.resp3(chunk);
        w.send(cmd("MULTI"), cmd("INCR", "k"), cmd("DISCARD"), cmd("GET", "k"));
        w.feed("+OK\r\n+QUEUED\r\n+OK\r\n" + bulk("QUEUED"));
        assertEquals(List.of("reply MULTI: simple \"OK\"", "failed INCR k: RedisTransactionAbortedException",
                "reply DISCARD: simple \"OK\"", "reply GET k: bulk \"QUEUED\""), w.events.take());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 5})
    void resp2SubscribedMode(int chunk) {
        Wire w = Wire.resp2(chunk);
        TestCommand sub = cmd("SUBSCRIBE", "a", "b");
        w.send(sub);
        w.feed(arr(bulk("subscribe"), bulk("a"), ":1\r\n"));
        assertEquals(List.of(), w.events.take(), "SUBSCRIBE completes after all its confirmations");
        w.feed(arr(bulk("subscribe"), bulk("b"), ":2\r\n") + arr(bulk("message"), bulk("a"), bulk("hello")));
        assertEquals(List.of("reply SUBSCRIBE a b", "push array [bulk \"message\", bulk \"a\", bulk \"hello\"]"),
                w.events.take());
        assertEquals(Connection.Mode.SUBSCRIBED, w.connection.mode());
        assertEquals(List.of("a", "b"), w.connection.channels());

        // the server would refuse GET now: the connection refuses it first, with a clear error
        assertEquals(Connection.REFUSED, w.connection.encode(cmd("GET", "x"), java.lang.foreign.MemorySegment.ofArray(new byte[64]), 0, 64));
        assertEquals(List.of("failed GET x: RedisConnectionException"), w.events.take());
        assertTrue(w.events.exceptions.getLast().getMessage().contains("only (P|S)SUBSCRIBE"));

        // PING is allowed and its RESP2 subscribed-mode reply is an array
        w.send(cmd("PING"), cmd("PSUBSCRIBE", "p*"));
        w.feed(arr(bulk("pmessage"), bulk("p*"), bulk("px"), bulk("m")) + arr(bulk("pong"), bulk(""))
                + arr(bulk("psubscribe"), bulk("p*"), ":3\r\n"));
        assertEquals(List.of("push array [bulk \"pmessage\", bulk \"p*\", bulk \"px\", bulk \"m\"]",
                "reply PING: array [bulk \"pong\", bulk \"\"]", "reply PSUBSCRIBE p*"), w.events.take());

        // unsubscribe from all channels: one confirmation per channel; the last one leaves subscribed mode
        w.send(cmd("UNSUBSCRIBE"), cmd("PUNSUBSCRIBE", "p*"));
        w.feed(arr(bulk("unsubscribe"), bulk("a"), ":2\r\n") + arr(bulk("message"), bulk("b"), bulk("late"))
                + arr(bulk("unsubscribe"), bulk("b"), ":1\r\n"));
        assertEquals(List.of("push array [bulk \"message\", bulk \"b\", bulk \"late\"]", "reply UNSUBSCRIBE"), w.events.take());
        assertEquals(Connection.Mode.SUBSCRIBED, w.connection.mode());
        w.feed(arr(bulk("punsubscribe"), bulk("p*"), ":0\r\n"));
        assertEquals(List.of("reply PUNSUBSCRIBE p*"), w.events.take());
        assertEquals(Connection.Mode.NORMAL, w.connection.mode());
        TestCommand get = cmd("GET", "x");
        w.send(get);
        w.feed(arr(bulk("a"), bulk("b")));
        assertEquals(List.of("reply GET x: array [bulk \"a\", bulk \"b\"]"), w.events.take(), "an array is a reply again");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void unsubscribeAllWhenNotSubscribedExpectsOneConfirmation(int chunk) {
        Wire w = Wire.resp2(chunk);
        w.send(cmd("UNSUBSCRIBE"), cmd("GET", "k"));
        w.feed(arr(bulk("unsubscribe"), "$-1\r\n", ":0\r\n") + bulk("v"));
        assertEquals(List.of("reply UNSUBSCRIBE", "reply GET k: bulk \"v\""), w.events.take());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 5})
    void resp3SubscribedConnectionStillRunsCommands(int chunk) {
        Wire w = Wire.resp3(chunk);
        w.send(cmd("SUBSCRIBE", "a"), cmd("GET", "k"), cmd("SSUBSCRIBE", "s"));
        w.feed(push(bulk("subscribe"), bulk("a"), ":1\r\n") + push(bulk("message"), bulk("a"), bulk("m1"))
                + bulk("v") + push(bulk("ssubscribe"), bulk("s"), ":1\r\n") + push(bulk("smessage"), bulk("s"), bulk("m2")));
        assertEquals(List.of("reply SUBSCRIBE a", "push push [bulk \"message\", bulk \"a\", bulk \"m1\"]",
                "reply GET k: bulk \"v\"", "reply SSUBSCRIBE s", "push push [bulk \"smessage\", bulk \"s\", bulk \"m2\"]"),
                w.events.take());
        assertEquals(2, w.connection.subscriptionCount());
        w.send(cmd("UNSUBSCRIBE", "a"), cmd("SUNSUBSCRIBE", "s"));
        w.feed(push(bulk("unsubscribe"), bulk("a"), ":0\r\n") + push(bulk("sunsubscribe"), bulk("s"), ":0\r\n"));
        assertEquals(List.of("reply UNSUBSCRIBE a", "reply SUNSUBSCRIBE s"), w.events.take());
        assertEquals(Connection.Mode.NORMAL, w.connection.mode());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 5})
    void monitorModeThenReset(int chunk) {
        Wire w = Wire.resp2(chunk);
        w.send(cmd("MONITOR"));
        w.feed("+OK\r\n+1700000000.000001 [0 127.0.0.1:5555] \"SET\" \"k\" \"v\"\r\n+OK\r\n");
        assertEquals(List.of("reply MONITOR: simple \"OK\"",
                "monitor 1700000000.000001 [0 127.0.0.1:5555] \"SET\" \"k\" \"v\"", "monitor OK"), w.events.take());
        assertEquals(Connection.Mode.MONITOR, w.connection.mode());
        assertEquals("", w.send(cmd("GET", "k")));
        assertTrue(w.events.take().getFirst().startsWith("failed GET k: RedisConnectionException"));
        assertTrue(w.events.exceptions.getLast().getMessage().contains("MONITOR"));
        w.send(cmd("RESET"));
        w.feed("+1700000000.2 [0 127.0.0.1:5555] \"GET\" \"x\"\r\n+RESET\r\n");
        assertEquals(List.of("monitor 1700000000.2 [0 127.0.0.1:5555] \"GET\" \"x\"", "reply RESET: simple \"RESET\""),
                w.events.take());
        assertEquals(Connection.Mode.NORMAL, w.connection.mode());
        TestCommand get = cmd("GET", "k");
        w.send(get);
        w.feed("+OK\r\n");
        assertEquals(List.of("reply GET k: simple \"OK\""), w.events.take(), "a simple string is a reply again");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void resetFromEveryMode(int chunk) {
        // MULTI: the queued commands are discarded
        Wire m = Wire.resp3(chunk);
        m.send(cmd("MULTI"), cmd("INCR", "k"), cmd("RESET"));
        m.feed("+OK\r\n+QUEUED\r\n+RESET\r\n");
        assertEquals(List.of("reply MULTI: simple \"OK\"", "failed INCR k: RedisTransactionAbortedException",
                "reply RESET: simple \"RESET\""), m.events.take());
        assertEquals(Connection.Mode.NORMAL, m.connection.mode());
        assertEquals(2, m.connection.protocol(), "RESET returns the connection to RESP2");

        // RESP2 subscribed: RESET is allowed, its reply is a simple string, subscriptions are gone
        Wire s = Wire.resp2(chunk);
        s.send(cmd("SUBSCRIBE", "a"));
        s.feed(arr(bulk("subscribe"), bulk("a"), ":1\r\n"));
        s.send(cmd("RESET"));
        s.feed(arr(bulk("message"), bulk("a"), bulk("x")) + "+RESET\r\n");
        assertEquals(List.of("reply SUBSCRIBE a", "push array [bulk \"message\", bulk \"a\", bulk \"x\"]",
                "reply RESET: simple \"RESET\""), s.events.take());
        assertEquals(Connection.Mode.NORMAL, s.connection.mode());
        assertEquals(0, s.connection.subscriptionCount());

        // RESP3 subscribed
        Wire s3 = Wire.resp3(chunk);
        s3.send(cmd("PSUBSCRIBE", "p*"), cmd("RESET"));
        s3.feed(push(bulk("psubscribe"), bulk("p*"), ":1\r\n") + "+RESET\r\n");
        assertEquals(List.of("reply PSUBSCRIBE p*", "reply RESET: simple \"RESET\""), s3.events.take());
        assertEquals(Connection.Mode.NORMAL, s3.connection.mode());

        // normal mode and MONITOR are covered by the tests above and below
        Wire n = Wire.resp3(chunk);
        n.send(cmd("RESET"));
        n.feed("+RESET\r\n");
        assertEquals(List.of("reply RESET: simple \"RESET\""), n.events.take());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void attributeGoesToTheReplyItAnnotates(int chunk) {
        Wire w = Wire.resp3(chunk);
        w.send(cmd("GET", "a"), cmd("GET", "b"));
        w.feed("|1\r\n+key-popularity\r\n:9\r\n" + bulk("1") + "|1\r\n+a\r\n:1\r\n" + push(bulk("invalidate"), "_\r\n")
                + bulk("2"));
        assertEquals(List.of("reply GET a: attr {simple \"key-popularity\": int 9} bulk \"1\"",
                "push attr {simple \"a\": int 1} push [bulk \"invalidate\", null]", "reply GET b: bulk \"2\""),
                w.events.take());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 5})
    void helloRejectedFallsBackToAuthAndResp2(int chunk) {
        Wire w = new Wire(ConnectionSettings.builder().password("pw").clientName("app").database(2)
                .libInfo("respin", "1.0").build(), chunk);
        w.connection.startHandshake();
        TestCommand get = cmd("GET", "k");
        String first = w.send(get);
        assertTrue(first.startsWith(arr(bulk("HELLO"), bulk("3"), bulk("AUTH"), bulk("default"), bulk("pw"),
                bulk("SETNAME"), bulk("app")) + arr(bulk("SELECT"), bulk("2"))), first);
        assertTrue(first.endsWith(arr(bulk("GET"), bulk("k"))), "user commands go behind the handshake");
        // an old server: no HELLO; everything behind it is refused for lack of AUTH
        w.feed("-ERR unknown command 'HELLO'\r\n-NOAUTH Authentication required.\r\n"
                + "-NOAUTH Authentication required.\r\n-NOAUTH Authentication required.\r\n");
        assertEquals(List.of(), w.events.take(), "fallback in progress");
        assertEquals(2, w.connection.protocol());
        assertEquals(arr(bulk("AUTH"), bulk("pw")) + arr(bulk("CLIENT"), bulk("SETNAME"), bulk("app"))
                + arr(bulk("SELECT"), bulk("2")) + arr(bulk("CLIENT"), bulk("SETINFO"), bulk("LIB-NAME"), bulk("respin"))
                + arr(bulk("CLIENT"), bulk("SETINFO"), bulk("LIB-VER"), bulk("1.0")), w.sendPending());
        w.feed("-NOAUTH Authentication required.\r\n"); // the GET that went behind the first flight
        w.feed("+OK\r\n+OK\r\n+OK\r\n-ERR unknown command 'CLIENT'\r\n-ERR unknown command 'CLIENT'\r\n");
        assertEquals(List.of("error GET k: NOAUTH Authentication required.", "ready 2"), w.events.take());
        assertEquals(new HandshakeResult(2, "", -1), w.events.ready);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void noprotoFallsBackWithoutAuth(int chunk) {
        Wire w = new Wire(ConnectionSettings.builder().clientName("app").libInfo(null, null).build(), chunk);
        w.connection.startHandshake();
        w.sendPending();
        w.feed("-NOPROTO unsupported protocol version\r\n");
        assertEquals(arr(bulk("CLIENT"), bulk("SETNAME"), bulk("app")), w.sendPending());
        w.feed("+OK\r\n");
        assertEquals(List.of("ready 2"), w.events.take());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void wrongPasswordFailsTheHandshakeAndEverythingBehindIt(int chunk) {
        Wire w = new Wire(ConnectionSettings.builder().auth("alice", "nope").build(), chunk);
        w.connection.startHandshake();
        TestCommand get = cmd("GET", "k");
        w.send(get);
        long rc = w.feed("-WRONGPASS invalid username-password pair or user is disabled.\r\n"
                + "-NOAUTH Authentication required.\r\n-NOAUTH Authentication required.\r\n-NOAUTH x\r\n");
        assertEquals(Connection.FAILED, rc);
        List<String> ev = w.events.take();
        assertEquals(2, ev.size(), ev.toString());
        assertEquals("failed GET k: RedisConnectionException", ev.get(0));
        assertTrue(ev.get(1).startsWith("handshake-failed handshake failed: the server refused HELLO with 'WRONGPASS"), ev.get(1));
        assertTrue(ev.get(1).contains("check the username and password"), ev.get(1));
        assertTrue(((RedisConnectionException) w.events.exceptions.getFirst()).outcomeUnknown());
        assertEquals(Connection.Mode.DEAD, w.connection.mode());
        assertEquals("", w.send(cmd("GET", "later")));
        assertEquals(List.of("failed GET later: RedisConnectionException"), w.events.take());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void aServerErrorThatEchoesThePasswordIsReportedWithoutIt(int chunk) {
        Wire w = new Wire(ConnectionSettings.builder().auth("alice", "Echo3d-pw").build(), chunk);
        w.connection.startHandshake();
        w.send(cmd("GET", "k"));
        w.feed("-ERR Syntax error in HELLO option 'AUTH' 'alice' 'Echo3d-pw'\r\n");
        List<String> ev = w.events.take();
        assertEquals(2, ev.size(), ev.toString());
        assertTrue(ev.get(1).contains("'AUTH' 'alice' '***'"), ev.get(1));
        for (Throwable t : w.events.exceptions) {
            for (Throwable c = t; c != null; c = c.getCause()) {
                assertFalse(c.getMessage().contains("Echo3d-pw"), c.toString());
            }
        }
        Wire shortPw = new Wire(ConnectionSettings.builder().password("e").build(), chunk);
        shortPw.connection.startHandshake();
        shortPw.sendPending();
        shortPw.feed("-WRONGPASS invalid username-password pair or user is disabled.\r\n");
        List<String> shortEv = shortPw.events.take();
        assertTrue(shortEv.getLast().contains("'WRONGPASS invalid username-password pair or user is disabled.'"),
                "a short password does not mangle the server's words: " + shortEv);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void unknownDatabaseFailsTheHandshake(int chunk) {
        Wire w = new Wire(ConnectionSettings.builder().database(99).libInfo(null, null).build(), chunk);
        w.connection.startHandshake();
        w.sendPending();
        w.feed("%1\r\n+proto\r\n:3\r\n-ERR DB index is out of range\r\n");
        assertTrue(w.events.handshakeFailure.getMessage().contains("database 99 does not exist"),
                w.events.handshakeFailure.getMessage());
        assertFalse(w.connection.isReady());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 5})
    void abandonedRequestsReplyIsDiscardedNotHandedOn(int chunk) {
        Wire w = Wire.resp3(chunk);
        TestCommand slow = cmd("BLPOP", "q", "1"), next = cmd("GET", "k");
        w.send(slow, next);
        assertTrue(w.connection.abandon(slow));
        assertFalse(w.connection.abandon(cmd("GET", "never-sent")));
        w.feed(arr(bulk("q"), bulk("late")) + bulk("v"));
        assertEquals(List.of("reply GET k: bulk \"v\""), w.events.take());
        assertNull(slow.reply(), "the abandoned request's handler saw nothing");
    }

    /**
     * A transport may clear or reuse a request the moment it abandons it (a timed-out sync call does): the engine must
     * frame the late reply by what it recorded at encode time and never call the request again. Before the fix the
     * late reply's completion called kind() on the cleared request (a NullPointerException on the IO thread, and the
     * shared connection dropped).
     */
    @ParameterizedTest
    @ValueSource(ints = {0, 1, 5})
    void abandonedRequestIsNeverTouchedAgain(int chunk) {
        Wire w = Wire.resp3(chunk);
        Poisonable slow = new Poisonable(cmd("DEBUG", "SLEEP", "1")), sub = new Poisonable(cmd("SUBSCRIBE", "a"));
        TestCommand next = cmd("GET", "k"), multi = cmd("MULTI"), exec = cmd("EXEC");
        Poisonable queued = new Poisonable(cmd("INCR", "n"));
        w.send(slow, next, multi, queued, exec, sub, cmd("PING"));
        assertTrue(w.connection.abandon(slow));
        assertTrue(w.connection.abandon(sub));
        slow.poisoned = true; // from here on any call on it throws, as a cleared SyncCall's would
        sub.poisoned = true;
        w.feed("+OK\r\n" + bulk("v") + "+OK\r\n+QUEUED\r\n");
        assertTrue(w.connection.abandon(queued));
        queued.poisoned = true;
        w.feed("*1\r\n:1\r\n" + push(bulk("subscribe"), bulk("a"), ":1\r\n") + "+PONG\r\n");
        assertEquals(List.of("reply GET k: bulk \"v\"", "reply MULTI: simple \"OK\"", "reply EXEC: array []",
                "reply PING: simple \"PONG\""), w.events.take());
        assertNull(w.connection.failure(), "the connection is still up");
        assertEquals(1, w.connection.subscriptionCount(), "the abandoned SUBSCRIBE still counted its confirmation");
    }

    /** What a transport watches to tell a late reply that ends from one that never does. */
    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void headAbandonedAndRepliesMatchedTrackTheReplyBoundaries(int chunk) {
        Wire w = Wire.resp3(chunk);
        TestCommand slow = cmd("GET", "a"), next = cmd("GET", "b");
        w.send(slow, next);
        long before = w.connection.repliesMatched();
        assertFalse(w.connection.headAbandoned());
        w.connection.abandon(slow);
        assertTrue(w.connection.headAbandoned());
        w.feed("*3\r\n:1\r\n:1\r\n"); // the abandoned reply, unfinished: no boundary yet
        assertTrue(w.connection.headAbandoned());
        assertEquals(before, w.connection.repliesMatched());
        w.feed(":1\r\n");
        assertFalse(w.connection.headAbandoned(), "its reply ended: the head is the next, live request");
        assertEquals(before + 1, w.connection.repliesMatched());
    }

    /** A request that throws from every method once poisoned. */
    private static final class Poisonable implements Request {
        final TestCommand inner;
        boolean poisoned;

        Poisonable(TestCommand inner) {
            this.inner = inner;
        }

        private TestCommand inner() {
            if (poisoned) {
                throw new NullPointerException("the engine touched an abandoned request");
            }
            return inner;
        }

        @Override public void encode(RespWriter w) { inner().encode(w); }
        @Override public RespHandler replyHandler() { return inner().replyHandler(); }
        @Override public CommandKind kind() { return inner().kind(); }
        @Override public int channelCount() { return inner().channelCount(); }
        @Override public String toString() { return inner.toString(); }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void protocolErrorFailsEveryInFlightRequestAndIsSticky(int chunk) {
        Wire w = Wire.resp3(chunk);
        w.send(cmd("GET", "a"), cmd("GET", "b"), cmd("GET", "c"));
        assertEquals(Connection.FAILED, w.feed(bulk("1") + "?garbage\r\n"));
        assertEquals(List.of("reply GET a: bulk \"1\"", "failed GET b: RedisProtocolException",
                "failed GET c: RedisProtocolException"), w.events.take());
        assertInstanceOf(RedisProtocolException.class, w.connection.failure());
        assertEquals(Connection.FAILED, w.feed("+OK\r\n"), "sticky");
        w.connection.restart();
        w.sendPending();
        w.feed("%1\r\n+proto\r\n:3\r\n");
        assertEquals(List.of("ready 3"), w.events.take(), "a restart runs the handshake on the new socket");
        assertEquals(Connection.Mode.NORMAL, w.connection.mode());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void replyWithNoRequestIsAProtocolError(int chunk) {
        Wire w = Wire.resp3(chunk);
        assertEquals(Connection.FAILED, w.feed("+OK\r\n"));
        assertTrue(w.connection.failure().getMessage().contains("no command was waiting"));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void transportFailureMeansOutcomeUnknown(int chunk) {
        Wire w = Wire.resp3(chunk);
        w.send(cmd("INCR", "a"), cmd("MULTI"), cmd("INCR", "b"));
        w.feed("+OK\r\n".replace("+OK", ":1") + "+OK\r\n+QUEUED\r\n");
        w.events.take();
        w.connection.fail("connection reset by peer");
        w.send(cmd("GET", "x"));
        assertEquals(List.of("failed INCR b: RedisConnectionException", "failed GET x: RedisConnectionException"),
                w.events.take());
        RedisConnectionException e = (RedisConnectionException) w.events.exceptions.get(0);
        assertTrue(e.outcomeUnknown());
        assertTrue(e.getMessage().contains("outcome unknown"));
        assertFalse(((RedisConnectionException) w.events.exceptions.get(1)).outcomeUnknown(), "never sent");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void clientReplyOffAndSkipExpectNoReplies(int chunk) {
        Wire w = Wire.resp3(chunk);
        w.send(cmd("CLIENT", "REPLY", "SKIP"), cmd("SET", "a", "1"), cmd("GET", "a"));
        assertEquals(List.of("reply CLIENT REPLY SKIP", "reply SET a 1"), w.events.take());
        assertEquals(1, w.connection.inFlight());
        w.feed(bulk("1"));
        w.send(cmd("CLIENT", "REPLY", "OFF"), cmd("SET", "b", "2"), cmd("CLIENT", "REPLY", "ON"), cmd("GET", "b"));
        assertEquals(2, w.connection.inFlight());
        w.feed("+OK\r\n" + bulk("2"));
        assertEquals(List.of("reply GET a: bulk \"1\"", "reply CLIENT REPLY OFF", "reply SET b 2",
                "reply CLIENT REPLY ON: simple \"OK\"", "reply GET b: bulk \"2\""), w.events.take());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void commandsThatDoNotFitAreNotRecorded(int chunk) {
        Wire w = Wire.resp3(chunk);
        java.lang.foreign.MemorySegment small = java.lang.foreign.MemorySegment.ofArray(new byte[8]);
        TestCommand get = cmd("GET", "key");
        long rc = w.connection.encode(get, small, 0, 8);
        assertEquals(-(4 + 9 + 9), rc, "needs *2 $3 GET $3 key = 22 bytes");
        assertEquals(0, w.connection.inFlight());
        w.send(get);
        w.feed(bulk("v"));
        assertEquals(List.of("reply GET key: bulk \"v\""), w.events.take());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 5})
    void restartResubscribesWhatTheServerConfirmed(int chunk) {
        Wire w = Wire.resp3(chunk);
        w.send(cmd("SUBSCRIBE", "a", "b"), cmd("PSUBSCRIBE", "p*"));
        w.feed(push(bulk("subscribe"), bulk("a"), ":1\r\n") + push(bulk("subscribe"), bulk("b"), ":2\r\n")
                + push(bulk("psubscribe"), bulk("p*"), ":3\r\n"));
        w.events.take();
        w.connection.fail("closed");
        w.connection.restart();
        String hs = w.sendPending();
        assertTrue(hs.endsWith(arr(bulk("SUBSCRIBE"), bulk("a"), bulk("b")) + arr(bulk("PSUBSCRIBE"), bulk("p*"))), hs);
        w.feed("%1\r\n+proto\r\n:3\r\n" + push(bulk("subscribe"), bulk("a"), ":1\r\n")
                + push(bulk("subscribe"), bulk("b"), ":2\r\n") + push(bulk("message"), bulk("a"), bulk("m"))
                + push(bulk("psubscribe"), bulk("p*"), ":3\r\n"));
        assertEquals(List.of("push push [bulk \"message\", bulk \"a\", bulk \"m\"]", "ready 3"), w.events.take());
        assertEquals(3, w.connection.subscriptionCount());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 5})
    void execElementsMayBeNestedStreamedOrAnnotated(int chunk) {
        Wire w = Wire.resp3(chunk);
        w.send(cmd("MULTI"), cmd("LRANGE", "l", "0", "-1"), cmd("HGETALL", "h"), cmd("GET", "s"), cmd("GET", "t"), cmd("EXEC"));
        w.feed("+OK\r\n+QUEUED\r\n+QUEUED\r\n+QUEUED\r\n+QUEUED\r\n"
                + "*4\r\n*2\r\n:1\r\n*1\r\n:2\r\n%1\r\n+a\r\n:1\r\n$?\r\n;2\r\nab\r\n;1\r\nc\r\n;0\r\n"
                + "|1\r\n+ttl\r\n:5\r\n" + bulk("t"));
        assertEquals(List.of("reply MULTI: simple \"OK\"",
                "reply LRANGE l 0 -1: array [int 1, array [int 2]]",
                "reply HGETALL h: map {simple \"a\": int 1}",
                "reply GET s: bulk \"abc\"",
                "reply GET t: attr {simple \"ttl\": int 5} bulk \"t\"",
                "reply EXEC: array []"), w.events.take());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void resetPipelinedBehindSubscribeLetsTheNextCommandThrough(int chunk) {
        Wire w = Wire.resp2(chunk);
        TestCommand get = cmd("GET", "k");
        String sent = w.send(cmd("SUBSCRIBE", "a"), cmd("RESET"), get);
        assertTrue(sent.endsWith(arr(bulk("GET"), bulk("k"))), "GET follows RESET, which ends subscribed mode");
        w.feed(arr(bulk("subscribe"), bulk("a"), ":1\r\n") + "+RESET\r\n" + bulk("v"));
        assertEquals(List.of("reply SUBSCRIBE a", "reply RESET: simple \"RESET\"", "reply GET k: bulk \"v\""),
                w.events.take());
        w.send(cmd("SUBSCRIBE", "b"), cmd("GET", "k"));
        assertEquals(List.of("failed GET k: RedisConnectionException"), w.events.take(), "counters stay consistent");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void socketLostDuringTheHandshakeIsAHandshakeFailure(int chunk) {
        Wire w = new Wire(ConnectionSettings.DEFAULT, chunk);
        w.connection.startHandshake();
        w.send(cmd("GET", "k"));
        w.connection.fail("connection refused");
        List<String> ev = w.events.take();
        assertEquals("failed GET k: RedisConnectionException", ev.get(0));
        assertTrue(ev.get(1).startsWith("handshake-failed handshake did not finish: connection lost (connection refused)"),
                ev.toString());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void abandonedQueuedCommandAndAbandonedSubscribe(int chunk) {
        Wire w = Wire.resp3(chunk);
        TestCommand incr = cmd("INCR", "k"), sub = cmd("SUBSCRIBE", "a", "b");
        w.send(cmd("MULTI"), incr, cmd("EXEC"), sub, cmd("PING"));
        w.feed("+OK\r\n+QUEUED\r\n");
        assertTrue(w.connection.abandon(incr));
        assertTrue(w.connection.abandon(sub));
        w.feed("*1\r\n:1\r\n" + push(bulk("subscribe"), bulk("a"), ":1\r\n") + push(bulk("subscribe"), bulk("b"), ":2\r\n")
                + "+PONG\r\n");
        assertEquals(List.of("reply MULTI: simple \"OK\"", "reply EXEC: array []", "reply PING: simple \"PONG\""),
                w.events.take());
        assertEquals(2, w.connection.subscriptionCount(), "an abandoned SUBSCRIBE still subscribed");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void aHelloSentByTheUserSwitchesTheProtocolWhenAccepted(int chunk) {
        Wire w = Wire.resp2(chunk);
        w.send(cmd("HELLO", "3"), cmd("hello", "2"), cmd("HELLO", "4"), cmd("HELLO"));
        w.feed("%1\r\n+proto\r\n:3\r\n");
        assertEquals(3, w.connection.protocol());
        w.feed("*2\r\n+proto\r\n:2\r\n");
        assertEquals(2, w.connection.protocol());
        w.feed("-NOPROTO unsupported protocol version\r\n*2\r\n+proto\r\n:2\r\n");
        assertEquals(2, w.connection.protocol(), "refused, and HELLO without a version, change nothing");
        assertEquals(4, w.events.take().size());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void failCalledFromAListenerHalfWayThroughExecStopsEverything(int chunk) {
        Wire w = Wire.resp3(chunk);
        Events events = w.events;
        TestCommand a = cmd("GET", "a"), b = cmd("GET", "b"), exec = cmd("EXEC"), after = cmd("GET", "c");
        w.send(cmd("MULTI"), a, b, exec, after);
        w.feed("+OK\r\n+QUEUED\r\n+QUEUED\r\n");
        events.take();
        // the transport gives up while the listener handles element 0 of EXEC's array
        Wire.onReply(w, a, () -> w.connection.fail("the transport gave up"));
        assertEquals(Connection.FAILED, w.feed("*2\r\n" + bulk("1") + bulk("2") + bulk("3")));
        assertEquals(List.of("reply GET a: bulk \"1\"", "failed GET b: RedisConnectionException",
                "failed EXEC: RedisConnectionException", "failed GET c: RedisConnectionException"), events.take());
    }


    @ParameterizedTest
    @ValueSource(ints = {0}) // one receive() call holds both replies: what is left of it must be ignored
    void restartFromInsideAListenerIgnoresTheOldSocketsRemainingBytes(int chunk) {
        Wire w = Wire.resp3(chunk);
        TestCommand a = cmd("GET", "a");
        w.send(a, cmd("GET", "b"));
        Wire.onReply(w, a, w.connection::restart);
        // the rest of the old socket's bytes ("2") must not answer the new handshake's HELLO
        long rc = w.feed(bulk("1") + bulk("2"));
        assertTrue(rc >= 0, "not a failure: " + rc);
        assertEquals(List.of("reply GET a: bulk \"1\"", "failed GET b: RedisConnectionException"), w.events.take());
        assertTrue(w.sendPending().contains("HELLO"));
        w.feed("%1\r\n+proto\r\n:3\r\n+OK\r\n+OK\r\n");
        assertEquals(List.of("ready 3"), w.events.take());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void nothingIsSentAfterQuit(int chunk) {
        Wire w = Wire.resp3(chunk);
        String sent = w.send(cmd("QUIT"), cmd("GET", "k"));
        assertEquals(arr(bulk("QUIT")), sent);
        assertEquals(List.of("failed GET k: RedisConnectionException"), w.events.take());
        assertFalse(((RedisConnectionException) w.events.exceptions.getLast()).outcomeUnknown());
        w.feed("+OK\r\n");
        assertEquals(List.of("reply QUIT: simple \"OK\""), w.events.take());
    }

    @org.junit.jupiter.api.Test
    void settingsNeverPrintThePassword() {
        String text = ConnectionSettings.builder().auth("alice", "hunter2").build().toString();
        assertFalse(text.contains("hunter2"), text);
        assertTrue(text.contains("username=alice"), text);
    }
}
