package io.respin.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.respin.RedisServerException;
import io.respin.client.sync.RedisCommands;
import io.respin.engine.command.KeyValues;
import io.respin.engine.command.LPosArgs;
import io.respin.engine.command.ListEnd;
import io.respin.engine.command.ScoredValue;
import io.respin.engine.command.ZAddArgs;
import io.respin.engine.command.ZRangeArgs;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Hashes, lists, sets and sorted sets on RESP2 and RESP3: the typed results must be equal. */
class CollectionCommandsTest {

    private static RedisCommands<String, String> redis(int resp) {
        return Redis.client(resp).sync();
    }

    @ParameterizedTest(name = "RESP{0}")
    @ValueSource(ints = {2, 3})
    void hashes(int resp) {
        var r = redis(resp);
        String k = "h:" + resp;
        r.del(k);
        assertTrue(r.hset(k, "a", "1"));
        assertFalse(r.hset(k, "a", "1"));
        Map<String, String> more = new LinkedHashMap<>();
        more.put("b", "2");
        more.put("c", "3");
        assertEquals(2L, r.hset(k, more));
        assertEquals(Map.of("a", "1", "b", "2", "c", "3"), r.hgetall(k));
        assertEquals(List.of("a", "b", "c"), List.copyOf(r.hgetall(k).keySet()));
        assertEquals("2", r.hget(k, "b"));
        assertNull(r.hget(k, "zz"));
        assertEquals(Arrays.asList("1", null), r.hmget(k, "a", "zz"));
        assertTrue(r.hexists(k, "a"));
        assertEquals(11L, r.hincrby(k, "a", 10));
        assertEquals(2.5, r.hincrbyfloat(k, "b", 0.5));
        assertEquals(List.of("a", "b", "c"), r.hkeys(k));
        assertEquals(List.of("11", "2.5", "3"), r.hvals(k));
        assertEquals(3L, r.hlen(k));
        assertEquals(2L, r.hstrlen(k, "a"));
        assertFalse(r.hsetnx(k, "a", "x"));
        assertEquals(3, r.hrandfield(k, 10).size());
        assertEquals(1L, r.hdel(k, "c", "nope"));
        assertEquals(Map.of(), r.hgetall(k + ":none"));
        r.set(k + ":str", "x");
        var e = assertThrows(RedisServerException.class, () -> r.hget(k + ":str", "f"));
        assertEquals("WRONGTYPE", e.prefix());
        r.del(k, k + ":str");
    }

    @ParameterizedTest(name = "RESP{0}")
    @ValueSource(ints = {2, 3})
    void lists(int resp) {
        var r = redis(resp);
        String k = "l:" + resp;
        r.del(k, k + "2", k + "3");
        assertEquals(3L, r.rpush(k, "a", "b", "c"));
        assertEquals(4L, r.lpush(k, "z"));
        assertEquals(List.of("z", "a", "b", "c"), r.lrange(k, 0, -1));
        assertEquals(4L, r.llen(k));
        assertEquals("a", r.lindex(k, 1));
        assertEquals("OK", r.lset(k, 1, "A"));
        assertEquals(5L, r.linsert(k, true, "b", "x"));
        assertEquals(-1L, r.linsert(k, false, "nope", "y"));
        assertEquals(2L, r.lpos(k, "x", new LPosArgs()));
        assertNull(r.lpos(k, "nope", new LPosArgs()));
        r.rpush(k, "x");
        assertEquals(5L, r.lpos(k, "x", new LPosArgs().rank(2)));
        assertEquals(List.of(2L, 5L), r.lpos(k, "x", 0, new LPosArgs()));
        assertEquals(1L, r.lrem(k, -1, "x"));
        assertEquals("z", r.lpop(k));
        assertEquals(List.of("A", "x"), r.lpop(k, 2));
        assertEquals("c", r.rpop(k));
        assertEquals(List.of("b"), r.rpop(k, 5));
        assertNull(r.lpop(k));
        assertNull(r.lpop(k, 2), "LPOP count on a missing key is null");
        assertEquals(0L, r.lpushx(k, "q"));
        r.rpush(k, "1", "2", "3", "4");
        assertEquals("OK", r.ltrim(k, 1, -1));
        assertEquals("4", r.lmove(k, k + "2", ListEnd.RIGHT, ListEnd.LEFT));
        assertEquals(new KeyValues<>(k, List.of("2", "3")), r.lmpop(ListEnd.LEFT, 5, k + "3", k));
        assertNull(r.lmpop(ListEnd.LEFT, 1, k + "3"));
        // blocking forms: they run on a dedicated connection
        assertEquals(new KeyValues<>(k + "2", List.of("4")), r.blpop(Duration.ofSeconds(1), k + "3", k + "2"));
        assertNull(r.brpop(Duration.ofMillis(100), k + "3"), "timed out: null");
        r.rpush(k, "m");
        assertEquals("m", r.blmove(k, k + "2", ListEnd.LEFT, ListEnd.LEFT, Duration.ofSeconds(1)));
        assertEquals(new KeyValues<>(k + "2", List.of("m")), r.blmpop(Duration.ofSeconds(1), ListEnd.LEFT, 1, k + "2"));
        r.del(k, k + "2", k + "3");
    }

    @ParameterizedTest(name = "RESP{0}")
    @ValueSource(ints = {2, 3})
    void sets(int resp) {
        var r = redis(resp);
        String k = "s:" + resp;
        r.del(k, k + "2", k + "d");
        assertEquals(3L, r.sadd(k, "a", "b", "c"));
        assertEquals(0L, r.sadd(k, "a"));
        assertEquals(Set.of("a", "b", "c"), r.smembers(k));
        assertTrue(r.sismember(k, "a"));
        assertEquals(List.of(true, false), r.smismember(k, "a", "x"));
        assertEquals(3L, r.scard(k));
        r.sadd(k + "2", "b", "c", "d");
        assertEquals(Set.of("b", "c"), r.sinter(k, k + "2"));
        assertEquals(Set.of("a", "b", "c", "d"), r.sunion(k, k + "2"));
        assertEquals(Set.of("a"), r.sdiff(k, k + "2"));
        assertEquals(2L, r.sinterstore(k + "d", k, k + "2"));
        assertEquals(4L, r.sunionstore(k + "d", k, k + "2"));
        assertEquals(1L, r.sdiffstore(k + "d", k, k + "2"));
        assertEquals(2L, r.sintercard(0, k, k + "2"));
        assertEquals(1L, r.sintercard(1, k, k + "2"));
        assertTrue(r.smove(k, k + "2", "a"));
        assertEquals(1L, r.srem(k, "b", "zz"));
        assertTrue(Set.of("c").contains(r.srandmember(k)));
        assertEquals(List.of("c"), r.srandmember(k, 5));
        assertEquals("c", r.spop(k));
        assertNull(r.spop(k));
        assertEquals(Set.of(), r.spop(k, 3));
        assertEquals(Set.of(), r.smembers(k));
        r.del(k, k + "2", k + "d");
    }

    @ParameterizedTest(name = "RESP{0}")
    @ValueSource(ints = {2, 3})
    void sortedSets(int resp) {
        var r = redis(resp);
        String k = "z:" + resp;
        r.del(k, k + "2", k + "d");
        assertEquals(1L, r.zadd(k, 1, "a"));
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("b", 2.0);
        m.put("c", 3.0);
        assertEquals(2L, r.zadd(k, new ZAddArgs(), m));
        assertEquals(0L, r.zadd(k, new ZAddArgs().nx(), 10, "a"), "NX does not update");
        assertEquals(1.0, r.zscore(k, "a"));
        assertEquals(1L, r.zadd(k, new ZAddArgs().gt().ch(), 5, "a"), "GT+CH counts the change");
        assertEquals(0L, r.zadd(k, new ZAddArgs().gt().ch(), 4, "a"), "GT refuses a lower score");
        assertNull(r.zaddIncr(k, new ZAddArgs().xx(), 1, "nobody"));
        assertEquals(6.0, r.zaddIncr(k, new ZAddArgs(), 1, "a"));
        assertEquals(7.5, r.zincrby(k, 1.5, "a"));
        assertNull(r.zscore(k, "nobody"));
        assertEquals(Arrays.asList(2.0, null), r.zmscore(k, "b", "nobody"));
        assertEquals(List.of("b", "c", "a"), r.zrange(k, 0, -1));
        List<ScoredValue<String>> ws = r.zrangeWithScores(k, 0, -1);
        assertEquals(List.of(new ScoredValue<>("b", 2.0), new ScoredValue<>("c", 3.0), new ScoredValue<>("a", 7.5)), ws);
        assertEquals(List.of("a", "c"), r.zrange(k, "+inf", "(2", new ZRangeArgs().byScore().rev()));
        assertEquals(List.of("c"), r.zrange(k, "-inf", "+inf", new ZRangeArgs().byScore().limit(1, 1)));
        assertEquals(List.of(new ScoredValue<>("a", 7.5)),
                r.zrangeWithScores(k, "5", "10", new ZRangeArgs().byScore()));
        r.zadd(k + "lex", new ZAddArgs(), Map.of("a", 0.0, "b", 0.0, "c", 0.0, "d", 0.0));
        assertEquals(List.of("b", "c"), r.zrange(k + "lex", "(a", "[c", new ZRangeArgs().byLex()));
        assertEquals(List.of("c", "b"), r.zrange(k + "lex", "[c", "(a", new ZRangeArgs().byLex().rev().limit(0, 2)));
        r.del(k + "lex");
        assertEquals(2L, r.zrangestore(k + "d", k, "0", "1", new ZRangeArgs()));
        assertEquals(List.of("a", "c", "b"), r.zrevrange(k, 0, -1));
        assertEquals(List.of("b", "c"), r.zrangebyscore(k, "2", "3"));
        assertEquals(2L, r.zrank(k, "a"));
        assertEquals(0L, r.zrevrank(k, "a"));
        assertNull(r.zrank(k, "nobody"));
        assertEquals(3L, r.zcard(k));
        assertEquals(2L, r.zcount(k, "2", "(7.5"));
        assertEquals(List.of(new ScoredValue<>("b", 2.0)), r.zpopmin(k, 1));
        assertEquals(List.of(new ScoredValue<>("a", 7.5)), r.zpopmax(k, 1));
        assertEquals("c", r.zrandmember(k));
        assertEquals(List.of(new ScoredValue<>("c", 3.0)), r.zrandmemberWithScores(k, 1));
        r.zadd(k + "2", 1, "c");
        assertEquals(1L, r.zunionstore(k + "d", k, k + "2"));
        assertEquals(1L, r.zinterstore(k + "d", k, k + "2"));
        assertEquals(4.0, r.zscore(k + "d", "c"), "ZINTERSTORE sums the scores");
        assertEquals(new KeyValues<>(k, List.of(new ScoredValue<>("c", 3.0))), r.bzpopmin(Duration.ofSeconds(1), k));
        assertNull(r.bzpopmax(Duration.ofMillis(100), k));
        r.zadd(k, 1, "x");
        r.zadd(k, 2, "y");
        assertEquals(1L, r.zremrangebyrank(k, 0, 0));
        assertEquals(1L, r.zremrangebyscore(k, "-inf", "+inf"));
        assertEquals(1L, r.zrem(k + "2", "c", "zz"));
        r.del(k, k + "2", k + "d");
    }
}
