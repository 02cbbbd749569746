package io.respin.engine.resp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.respin.engine.resp.Feed.Outcome;
import org.junit.jupiter.api.Test;

/** Each limit allows exactly N, refuses N+1 as soon as the header is read, and says how to raise it. */
class RespLimitsTest {

    private static Outcome parse(String input, RespLimits limits) {
        Outcome whole = Feed.whole(Feed.bytes(input), limits, Long.MAX_VALUE);
        assertEquals(whole.withoutPosition(), Feed.compacting(Feed.bytes(input), limits, 0, () -> 1).withoutPosition(),
                "byte at a time, in pieces");
        return whole;
    }

    private static void refused(String input, RespLimits limits, long offset, String message) {
        Outcome o = parse(input, limits);
        assertEquals("error: " + message + " at offset " + offset, o.end());
    }

    @Test
    void maxBulkAllowsNRefusesNPlusOneAtTheHeader() {
        RespLimits l = RespLimits.DEFAULT.withMaxBulk(10);
        assertEquals("ok", parse("$10\r\n0123456789\r\n", l).end());
        refused("$11\r\nab", l, 0, "bulk length 11 exceeds maxBulk 10 (RespLimits.withMaxBulk / --max-bulk)");
        refused("$1000\r\nab", l, 0, "bulk length 1000 exceeds maxBulk 10 (RespLimits.withMaxBulk / --max-bulk)");
        assertEquals("ok", parse("=10\r\ntxt:456789\r\n", l).end());
        refused("=11\r\n", l, 0, "verbatim string length 11 exceeds maxBulk 10 (RespLimits.withMaxBulk / --max-bulk)");
        assertEquals("ok", parse("!10\r\nERR 456789\r\n", l).end());
        refused("+OK\r\n!11\r\n", l, 5, "blob error length 11 exceeds maxBulk 10 (RespLimits.withMaxBulk / --max-bulk)");
        assertEquals("ok", parse("$?\r\n;10\r\n0123456789\r\n;10\r\n0123456789\r\n;0\r\n", l).end(),
                "the limit applies to each chunk, not the whole streamed string");
        refused("$?\r\n;11\r\n", l, 4, "streamed chunk length 11 exceeds maxBulk 10 (RespLimits.withMaxBulk / --max-bulk)");
        assertEquals("ok", parse("+" + "x".repeat(50) + "\r\n", l).end(), "not applied to simple strings");
        assertEquals("ok", parse("$0\r\n\r\n", RespLimits.DEFAULT.withMaxBulk(0)).end());
    }

    @Test
    void maxElementsAppliesToEachAggregateOnItsOwn() {
        RespLimits l = RespLimits.DEFAULT.withMaxElements(2);
        assertEquals("ok", parse("*2\r\n*2\r\n:1\r\n:2\r\n*2\r\n:3\r\n:4\r\n", l).end());
        refused("*3\r\n", l, 0, "array of 3 elements exceeds maxElements 2 (RespLimits.withMaxElements / --max-elements)");
        refused("*1\r\n~3\r\n", l, 4, "set of 3 elements exceeds maxElements 2 (RespLimits.withMaxElements / --max-elements)");
        refused(">3\r\n", l, 0, "push of 3 elements exceeds maxElements 2 (RespLimits.withMaxElements / --max-elements)");
        assertEquals("ok", parse("%2\r\n:1\r\n:1\r\n:2\r\n:2\r\n", l).end(), "a map's count is in pairs");
        refused("%3\r\n", l, 0, "map of 3 pairs exceeds maxElements 2 (RespLimits.withMaxElements / --max-elements)");
        refused("|3\r\n", l, 0, "attribute of 3 pairs exceeds maxElements 2 (RespLimits.withMaxElements / --max-elements)");
        assertEquals("ok", parse("*0\r\n", RespLimits.DEFAULT.withMaxElements(0)).end());
        assertEquals("ok", parse("*-1\r\n", RespLimits.DEFAULT.withMaxElements(0)).end(), "null array has no elements");
    }

    @Test
    void depthCountsEveryAggregateKind128PassByDefault129Fail() {
        assertEquals("ok", parse("*1\r\n".repeat(128) + ":1\r\n", RespLimits.DEFAULT).end());
        refused("*1\r\n".repeat(128) + "*0\r\n", RespLimits.DEFAULT, 128 * 4,
                "nesting depth 129 exceeds maxDepth 128 (RespLimits.withMaxDepth / --max-depth)");
        RespLimits three = RespLimits.DEFAULT.withMaxDepth(3);
        assertEquals("ok", parse("%1\r\n:1\r\n~1\r\n>1\r\n:1\r\n", three).end());
        refused("%1\r\n:1\r\n~1\r\n>1\r\n*?\r\n", three, 16, "nesting depth 4 exceeds maxDepth 3 (RespLimits.withMaxDepth / --max-depth)");
        refused("*?\r\n*1\r\n*1\r\n|1\r\n", three, 12, "nesting depth 4 exceeds maxDepth 3 (RespLimits.withMaxDepth / --max-depth)");
        assertEquals("ok", parse("*1\r\n*1\r\n|1\r\n:1\r\n:1\r\n:1\r\n", three).end(), "attribute at depth 3");
        assertEquals("ok", parse("*1\r\n*1\r\n*1\r\n$?\r\n;1\r\na\r\n;0\r\n", three).end(),
                "a streamed string is not an aggregate");
    }

    @Test
    void limitsRejectNonsense() {
        assertTrue(org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> RespLimits.DEFAULT.withMaxDepth(0)).getMessage().contains("positive"));
    }
}
