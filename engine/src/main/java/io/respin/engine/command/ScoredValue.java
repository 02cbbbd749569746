package io.respin.engine.command;

/**
 * A sorted-set member with its score (ZRANGE ... WITHSCORES, ZPOPMIN, ZRANDMEMBER ... WITHSCORES), the same on
 * RESP2 and RESP3.
 *
 * <pre>{@code
 * for (ScoredValue<String> e : redis.zrangeWithScores("board", 0, 9)) print(e.value() + " " + e.score());
 * }</pre>
 */
public record ScoredValue<V>(V value, double score) {
}
