package io.respin.engine.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.respin.engine.resp.ReplyAssembler;
import io.respin.engine.resp.RespParser;
import io.respin.engine.resp.CanonicalForm;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Mode × reply kind: in each mode a RESP3 connection can be in while running ordinary commands (normal,
 * subscribed, inside MULTI), every kind of RESP3 value — preceded by a push that must not be taken for it —
 * reaches the command it answers, errors as server errors, everything else as tokens for its handler. Fed whole
 * and byte by byte.
 */
class ModeMatrixTest {
    static final String PUSH = ">3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n";
    static final String PUSH_LINE = "push push [bulk \"message\", bulk \"ch\", bulk \"hi\"]";

    static final List<String> VALUES = List.of(
            "+simple\r\n", "$4\r\nbulk\r\n", "$0\r\n\r\n", ":-42\r\n", ",3.5\r\n", ",inf\r\n", "#t\r\n", "#f\r\n",
            "(12345678901234567890\r\n", "=7\r\ntxt:abc\r\n", "_\r\n", "$-1\r\n", "*-1\r\n", "*0\r\n",
            "*2\r\n:1\r\n*1\r\n$1\r\nx\r\n", "%1\r\n+k\r\n~2\r\n:1\r\n:2\r\n", "~1\r\n+m\r\n",
            "|1\r\n+ttl\r\n:9\r\n$1\r\nv\r\n", "$?\r\n;3\r\nabc\r\n;0\r\n", "*?\r\n:1\r\n.\r\n",
            "-ERR bad\r\n", "!11\r\nSYNTAX oops\r\n");

    enum Mode { NORMAL, SUBSCRIBED, MULTI }

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (Mode m : Mode.values()) {
            for (String v : VALUES) {
                for (int chunk : new int[] {0, 1}) {
                    out.add(Arguments.of(m, v, chunk));
                }
            }
        }
        return out.stream();
    }

    static String canonical(String resp) {
        ReplyAssembler a = new ReplyAssembler();
        byte[] b = resp.getBytes(StandardCharsets.ISO_8859_1);
        new RespParser().parse(MemorySegment.ofArray(b), 0, b.length, a);
        return CanonicalForm.of(a.poll());
    }

    static String expectedLine(String value) {
        if (value.startsWith("-")) {
            return "error GET k: " + value.substring(1, value.length() - 2);
        }
        if (value.startsWith("!")) {
            return "error GET k: SYNTAX oops";
        }
        return "reply GET k: " + canonical(value);
    }

    @ParameterizedTest(name = "{0} {1} chunk={2}")
    @MethodSource("cases")
    void everyValueReachesItsCommandInEveryMode(Mode mode, String value, int chunk) {
        Wire w = Wire.resp3(chunk);
        TestCommand get = TestCommand.of("GET", "k");
        switch (mode) {
            case NORMAL -> {
                w.send(get);
                w.feed(PUSH + value + PUSH);
                assertEquals(List.of(PUSH_LINE, expectedLine(value), PUSH_LINE), w.events.take());
            }
            case SUBSCRIBED -> {
                w.send(TestCommand.of("SUBSCRIBE", "ch"), get);
                w.feed(">3\r\n$9\r\nsubscribe\r\n$2\r\nch\r\n:1\r\n" + PUSH + value + PUSH);
                assertEquals(List.of("reply SUBSCRIBE ch", PUSH_LINE, expectedLine(value), PUSH_LINE), w.events.take());
                assertEquals(Connection.Mode.SUBSCRIBED, w.connection.mode());
            }
            case MULTI -> {
                w.send(TestCommand.of("MULTI"), get, TestCommand.of("EXEC"));
                w.feed("+OK\r\n" + PUSH + "+QUEUED\r\n" + PUSH + "*1\r\n" + value + PUSH);
                assertEquals(List.of("reply MULTI: simple \"OK\"", PUSH_LINE, PUSH_LINE, expectedLine(value),
                        "reply EXEC: array []", PUSH_LINE), w.events.take());
                assertEquals(Connection.Mode.NORMAL, w.connection.mode());
            }
        }
        assertEquals(0, w.connection.inFlight());
    }
}
