package io.respin.engine.resp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.respin.engine.resp.Corpus.Fixture;
import io.respin.engine.resp.Feed.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every fixture of the {@link Corpus}, fed five ways — whole, byte at a time (into a compacting native buffer),
 * split at every position, followed by the bytes of a next reply, and at an offset inside a larger native
 * segment — and with strings delivered whole and in pieces: every way must print exactly the same, and the whole
 * way must print what the fixture specifies.
 */
class RespParserCorpusTest {

    private static final RespLimits LIMITS = RespLimits.DEFAULT;
    private static final long WHOLE = Long.MAX_VALUE;
    private static final long PIECES = 0;

    static Stream<Fixture> valid() {
        return Corpus.valid().stream();
    }

    static Stream<Fixture> incompletes() {
        return Corpus.incompletes().stream();
    }

    static Stream<Fixture> errors() {
        return Corpus.errors().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valid")
    void validFixturePrintsItsLinesEveryWay(Fixture f) {
        Outcome expected = new Outcome(f.lines(), "ok", 0);
        assertEquals(expected, Feed.whole(f.bytes(), LIMITS, WHOLE).withoutPosition(), "whole");
        assertSameEveryWay(f.bytes(), expected);
        assertEquals(f.bytes().length, Feed.whole(f.bytes(), LIMITS, WHOLE).position(), "consumes all");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valid")
    void validFixtureFollowedByNextReplyStopsAtItsEnd(Fixture f) {
        byte[] next = Feed.bytes(f.input() + "+next\r\n:12");
        List<String> lines = new ArrayList<>(f.lines());
        lines.add("simple \"next\"");
        Outcome expected = new Outcome(lines, "incomplete", 0);
        for (long threshold : new long[] {WHOLE, PIECES}) {
            Outcome whole = Feed.whole(next, LIMITS, threshold);
            assertEquals(expected, whole.withoutPosition());
            assertEquals(f.bytes().length + 7, whole.position(), "consumed up to the partial third reply");
        }
        assertSameEveryWay(next, expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("incompletes")
    void truncatedFixtureIsIncompleteEveryWay(Fixture f) {
        Outcome expected = new Outcome(f.lines(), "incomplete", 0);
        assertEquals(expected, Feed.whole(f.bytes(), LIMITS, WHOLE).withoutPosition());
        assertSameEveryWay(f.bytes(), expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errors")
    void malformedFixtureFailsAtItsOffsetEveryWay(Fixture f) {
        Outcome whole = Feed.whole(f.bytes(), LIMITS, WHOLE);
        assertEquals(f.lines(), whole.lines(), "replies before the error");
        assertTrue(whole.end().startsWith("error: ") && whole.end().contains(f.errorFragment()),
                () -> "expected an error containing '" + f.errorFragment() + "' but got " + whole.end());
        assertTrue(whole.end().endsWith(" at offset " + f.errorOffset()), () -> "offset: " + whole.end());
        assertEquals(f.errorOffset(), whole.position(), "RedisProtocolException.offset()");
        assertSameEveryWay(f.bytes(), whole.withoutPosition());
        // followed by more bytes: the error is found at the same place
        byte[] more = Feed.bytes(f.input() + "+next\r\n");
        assertEquals(whole.withoutPosition(), Feed.whole(more, LIMITS, WHOLE).withoutPosition(), "with trailing bytes");
    }

    /** Byte at a time, every split point, at an offset; each with strings whole and in pieces. */
    static void assertSameEveryWay(byte[] input, Outcome expected) {
        for (long threshold : new long[] {WHOLE, PIECES, 3}) {
            assertEquals(expected, Feed.whole(input, LIMITS, threshold).withoutPosition(), "whole, threshold " + threshold);
            assertEquals(expected, Feed.compacting(input, LIMITS, threshold, () -> 1).withoutPosition(),
                    "byte at a time, threshold " + threshold);
            assertEquals(expected, Feed.shared(input, LIMITS, threshold, () -> 1).withoutPosition(),
                    "byte at a time in place, threshold " + threshold);
            assertEquals(expected, Feed.atOffset(input, LIMITS, threshold).withoutPosition(),
                    "at offset 13 of a native segment, threshold " + threshold);
            for (int cut = 1; cut < input.length; cut++) {
                assertEquals(expected, Feed.split(input, cut, LIMITS, threshold).withoutPosition(),
                        "split at " + cut + ", threshold " + threshold);
            }
        }
    }
}
