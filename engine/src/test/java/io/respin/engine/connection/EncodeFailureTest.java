package io.respin.engine.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.respin.RedisConnectionException;
import io.respin.RedisException;
import io.respin.engine.resp.RespHandler;
import io.respin.engine.resp.RespWriter;
import java.lang.foreign.MemorySegment;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A request whose encoder throws (a user-written command, a codec that throws, a null nobody checked) or leaves
 * its array short fails alone, as "not sent", through onFailed; {@code encode} returns REFUSED and the connection
 * is as it was: nothing recorded, the commands around it matched to their replies, pending handshake writes kept.
 */
class EncodeFailureTest {

    static String bulk(String s) {
        return "$" + s.length() + "\r\n" + s + "\r\n";
    }

    static String arr(String... items) {
        return "*" + items.length + "\r\n" + String.join("", items);
    }

    /** Writes "SET k" and then throws, as a codec would on a value it cannot encode. */
    static class Throwing implements Request {
        final RuntimeException thrown = new NullPointerException("value is null");

        @Override public void encode(RespWriter w) {
            w.array(3).arg("SET").arg("k");
            throw thrown;
        }

        @Override public RespHandler replyHandler() { return new RespHandler.Adapter(); }

        @Override public CommandKind kind() { return CommandKind.PLAIN; }

        @Override public String toString() { return "SET"; }
    }

    /** Announces three arguments and writes two. */
    static final class Short implements Request {
        @Override public void encode(RespWriter w) { w.array(3).arg("SET").arg("k"); }

        @Override public RespHandler replyHandler() { return new RespHandler.Adapter(); }

        @Override public CommandKind kind() { return CommandKind.PLAIN; }

        @Override public String toString() { return "SHORT"; }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 5})
    void aThrowingEncoderFailsOnlyItsRequestAndTheConnectionStaysUp(int chunk) {
        Wire w = Wire.resp3(chunk);
        TestCommand a = TestCommand.of("GET", "a"), b = TestCommand.of("GET", "b");
        Throwing bad = new Throwing();
        assertEquals(arr(bulk("GET"), bulk("a")) + arr(bulk("GET"), bulk("b")), w.send(a, bad, b),
                "nothing of the failed request reaches the wire");
        assertEquals(List.of("failed SET: RedisException"), w.events.take());
        RedisException e = w.events.exceptions.getFirst();
        assertFalse(e instanceof RedisConnectionException, "the connection did not fail: " + e);
        assertEquals("SET was not sent: encoding it failed: java.lang.NullPointerException: value is null",
                e.getMessage());
        assertSame(bad.thrown, e.getCause());
        assertEquals(2, w.connection.inFlight(), "the failed request was not recorded");
        assertNull(w.connection.failure());
        assertEquals(Connection.Mode.NORMAL, w.connection.mode());
        w.feed(bulk("1") + bulk("2"));
        assertEquals(List.of("reply GET a: bulk \"1\"", "reply GET b: bulk \"2\""), w.events.take(),
                "replies still match their requests");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void aShortArrayIsRefusedTheSameWay(int chunk) {
        Wire w = Wire.resp3(chunk);
        TestCommand next = TestCommand.of("GET", "a");
        assertEquals(arr(bulk("GET"), bulk("a")), w.send(new Short(), next));
        assertEquals(List.of("failed SHORT: RedisException"), w.events.take());
        assertEquals("SHORT was not sent: encoding it failed: java.lang.IllegalStateException: SHORT wrote fewer "
                + "arguments than its array(n) announced", w.events.exceptions.getFirst().getMessage());
        w.feed(bulk("1"));
        assertEquals(List.of("reply GET a: bulk \"1\""), w.events.take());
    }

    @ParameterizedTest
    @ValueSource(longs = {4, 1 << 16})
    void pendingHandshakeWritesAreKeptForTheNextCommand(long limit) {
        Wire w = new Wire(ConnectionSettings.builder().libInfo(null, null).build(), 0);
        w.connection.startHandshake();
        MemorySegment out = MemorySegment.ofArray(new byte[1 << 16]);
        // the handshake is written into the buffer ahead of the bad request, then dropped with it — whether
        // everything fit or the writer was only counting
        assertEquals(Connection.REFUSED, w.connection.encode(new Throwing(), out, 0, limit));
        assertEquals(List.of("failed SET: RedisException"), w.events.take());
        assertTrue(w.connection.hasPendingWrites(), "the handshake still waits to be written");
        assertEquals(0, w.connection.inFlight());
        TestCommand get = TestCommand.of("GET", "k");
        String sent = w.send(get);
        assertTrue(sent.startsWith(arr(bulk("HELLO"), bulk("3"))), sent);
        assertTrue(sent.endsWith(arr(bulk("GET"), bulk("k"))), sent);
        w.feed("%1\r\n+proto\r\n:3\r\n" + bulk("v"));
        assertEquals(List.of("ready 3", "reply GET k: bulk \"v\""), w.events.take());
    }

    @ParameterizedTest
    @ValueSource(ints = {0})
    void aThrowingEncoderDoesNotChangeTheSendSideModes(int chunk) {
        Wire w = Wire.resp3(chunk);
        // a failed MULTI must not leave the connection believing it is in a transaction
        Request badMulti = new Throwing() {
            @Override public CommandKind kind() { return CommandKind.MULTI; }
        };
        w.send(badMulti);
        w.events.take();
        TestCommand get = TestCommand.of("GET", "a");
        w.send(get);
        w.feed(bulk("1"));
        assertEquals(List.of("reply GET a: bulk \"1\""), w.events.take());
        assertEquals(Connection.Mode.NORMAL, w.connection.mode());
        assertInstanceOf(RedisException.class, w.events.exceptions.getFirst());
    }
}
