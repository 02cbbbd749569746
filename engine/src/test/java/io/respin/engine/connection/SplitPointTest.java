package io.respin.engine.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * One session that crosses every mode (MULTI, subscribed, attributes, pushes, errors, MONITOR, RESET) is fed in
 * two pieces, split at every byte position: the events must be the same as when it is fed whole.
 */
class SplitPointTest {
    static final String SERVER =
            ">2\r\n$10\r\ninvalidate\r\n_\r\n"                                 // push before anything
            + "+OK\r\n+QUEUED\r\n-ERR wrong number of arguments\r\n+QUEUED\r\n"  // MULTI, SET, bad, GET
            + "-EXECABORT Transaction discarded because of previous errors.\r\n"
            + "+OK\r\n+QUEUED\r\n*1\r\n%1\r\n+f\r\n,2.5\r\n"                    // MULTI, HGETALL, EXEC
            + ">3\r\n$9\r\nsubscribe\r\n$1\r\na\r\n:1\r\n"
            + ">3\r\n$7\r\nmessage\r\n$1\r\na\r\n$5\r\nhello\r\n"
            + "|1\r\n+ttl\r\n:3\r\n$?\r\n;2\r\nab\r\n;0\r\n"                     // GET k, attributed, streamed
            + "-MOVED 12 10.0.0.1:7000\r\n"                                      // GET m
            + ">3\r\n$11\r\nunsubscribe\r\n$1\r\na\r\n:0\r\n"
            + "+OK\r\n+1.0 [0 127.0.0.1:1] \"PING\"\r\n+RESET\r\n";           // MONITOR, a line, RESET

    static Wire session(String first, String second) {
        Wire w = Wire.resp3(0);
        w.send(TestCommand.of("MULTI"), TestCommand.of("SET", "k"), TestCommand.of("BAD"), TestCommand.of("GET", "k"),
                TestCommand.of("EXEC"), TestCommand.of("MULTI"), TestCommand.of("HGETALL", "h"), TestCommand.of("EXEC"),
                TestCommand.of("SUBSCRIBE", "a"), TestCommand.of("GET", "k"), TestCommand.of("GET", "m"),
                TestCommand.of("UNSUBSCRIBE", "a"), TestCommand.of("MONITOR"), TestCommand.of("RESET"));
        w.feed(first);
        w.feed(second);
        return w;
    }

    @Test
    void everySplitPointGivesTheSameEvents() {
        Wire whole = session(SERVER, "");
        List<String> expected = whole.events.take();
        assertEquals(List.of(
                "push push [bulk \"invalidate\", null]",
                "reply MULTI: simple \"OK\"",
                "error BAD: ERR wrong number of arguments",
                "failed SET k: RedisTransactionAbortedException",
                "failed GET k: RedisTransactionAbortedException",
                "error EXEC: EXECABORT Transaction discarded because of previous errors.",
                "reply MULTI: simple \"OK\"",
                "reply HGETALL h: map {simple \"f\": double 2.5}",
                "reply EXEC: array []",
                "reply SUBSCRIBE a",
                "push push [bulk \"message\", bulk \"a\", bulk \"hello\"]",
                "reply GET k: attr {simple \"ttl\": int 3} bulk \"ab\"",
                "error GET m: MOVED 12 10.0.0.1:7000",
                "reply UNSUBSCRIBE a",
                "reply MONITOR: simple \"OK\"",
                "monitor 1.0 [0 127.0.0.1:1] \"PING\"",
                "reply RESET: simple \"RESET\""), expected);
        assertEquals(0, whole.connection.inFlight());
        for (int i = 0; i <= SERVER.length(); i++) {
            Wire split = session(SERVER.substring(0, i), SERVER.substring(i));
            assertEquals(expected, split.events.take(), "split at byte " + i);
            assertEquals(Connection.Mode.NORMAL, split.connection.mode(), "split at byte " + i);
        }
    }
}
