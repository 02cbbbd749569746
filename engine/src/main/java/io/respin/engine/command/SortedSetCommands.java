package io.respin.engine.command;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The sorted-set commands. Members with scores come back as {@link ScoredValue}s, the same from RESP2's flat
 * arrays and RESP3's pairs; scores are doubles from RESP3 doubles and RESP2 strings alike.
 *
 * <pre>{@code
 * Command<List<ScoredValue<String>>> top = new SortedSetCommands<>(Codec.utf8()).zrangeWithScores("b", 0, 9);
 * }</pre>
 */
@SuppressWarnings("varargs") // member and key arrays are only read, never stored or exposed
public final class SortedSetCommands<K, V> extends Family<K, V> {

    public SortedSetCommands(Codec<K, V> codec) {
        super(codec);
    }

    SortedSetCommands(Codec<K, V> codec, java.util.function.Supplier<CommandScratch> scratch) {
        super(codec, scratch);
    }

    private Decoder<List<ScoredValue<V>>> scored() {
        return Decoders.scored(value());
    }

    /** ZADD one member: the number of members added (0 when it only got a new score). */
    public Command<Long> zadd(K key, double score, V member) {
        nonNull("ZADD", "key", key, "member", member);
        return cmd("ZADD", w -> codec.writeValue(codec.writeKey(w.array(4).arg("ZADD"), key).arg(score), member),
                integer()).weigh(weight(member));
    }

    /** ZADD with NX/XX/GT/LT/CH. */
    public Command<Long> zadd(K key, ZAddArgs args, double score, V member) {
        nonNull("ZADD", "key", key, "args", args, "member", member);
        return cmd("ZADD", w -> {
            codec.writeKey(w.array(4 + args.count()).arg("ZADD"), key);
            args.write(w);
            codec.writeValue(w.arg(score), member);
        }, integer()).weigh(weight(member));
    }

    /** ZADD many members (member → score). */
    public Command<Long> zadd(K key, ZAddArgs args, Map<V, Double> members) {
        nonNull("ZADD", "key", key, "args", args);
        noNulls("ZADD", "members", members, "member", "score");
        return cmd("ZADD", w -> {
            codec.writeKey(w.array(2 + args.count() + 2 * members.size()).arg("ZADD"), key);
            args.write(w);
            members.forEach((m, s) -> codec.writeValue(w.arg(s), m));
        }, integer()).weigh(weight(members.keySet()));
    }

    /** ZADD ... INCR: the new score, null when an NX/XX/GT/LT condition stopped it. */
    public Command<Double> zaddIncr(K key, ZAddArgs args, double increment, V member) {
        nonNull("ZADD", "key", key, "args", args, "member", member);
        return cmd("ZADD", w -> {
            codec.writeKey(w.array(5 + args.count()).arg("ZADD"), key);
            args.write(w);
            codec.writeValue(w.arg("INCR").arg(increment), member);
        }, dbl());
    }

    public Command<Double> zincrby(K key, double increment, V member) {
        nonNull("ZINCRBY", "key", key, "member", member);
        return cmd("ZINCRBY", w -> codec.writeValue(codec.writeKey(w.array(4).arg("ZINCRBY"), key).arg(increment),
                member), dbl());
    }

    public Command<Double> zscore(K key, V member) {
        nonNull("ZSCORE", "key", key, "member", member);
        return cmd("ZSCORE", w -> codec.writeValue(codec.writeKey(w.array(3).arg("ZSCORE"), key), member),
                dbl());
    }

    @SafeVarargs
    public final Command<List<Double>> zmscore(K key, V... members) {
        nonNull("ZMSCORE", "key", key);
        noNulls("ZMSCORE", "members", members);
        return cmd("ZMSCORE", w -> vals(codec.writeKey(w.array(2 + members.length).arg("ZMSCORE"), key), members),
                Decoders.list(dbl()));
    }

    /** ZRANK: the member's 0-based rank by ascending score, null when it is not a member. */
    public Command<Long> zrank(K key, V member) {
        nonNull("ZRANK", "key", key, "member", member);
        return cmd("ZRANK", w -> codec.writeValue(codec.writeKey(w.array(3).arg("ZRANK"), key), member),
                integer());
    }

    public Command<Long> zrevrank(K key, V member) {
        nonNull("ZREVRANK", "key", key, "member", member);
        return cmd("ZREVRANK", w -> codec.writeValue(codec.writeKey(w.array(3).arg("ZREVRANK"), key), member),
                integer());
    }

    @SafeVarargs
    public final Command<Long> zrem(K key, V... members) {
        nonNull("ZREM", "key", key);
        noNulls("ZREM", "members", members);
        return cmd("ZREM", w -> vals(codec.writeKey(w.array(2 + members.length).arg("ZREM"), key), members),
                integer());
    }

    public Command<Long> zcard(K key) {
        return keyed("ZCARD", key, integer());
    }

    /** ZCOUNT key min max, bounds as scores ("1", "(1", "-inf", "+inf"). */
    public Command<Long> zcount(K key, String min, String max) {
        nonNull("ZCOUNT", "key", key, "min", min, "max", max);
        return cmd("ZCOUNT", w -> codec.writeKey(w.array(4).arg("ZCOUNT"), key).arg(min).arg(max),
                integer());
    }

    /** ZRANGE by rank (0-based, negative from the end). */
    public Command<List<V>> zrange(K key, long start, long stop) {
        nonNull("ZRANGE", "key", key);
        return cmd("ZRANGE", w -> codec.writeKey(w.array(4).arg("ZRANGE"), key).arg(start).arg(stop), values());
    }

    public Command<List<ScoredValue<V>>> zrangeWithScores(K key, long start, long stop) {
        nonNull("ZRANGE", "key", key);
        return cmd("ZRANGE", w -> codec.writeKey(w.array(5).arg("ZRANGE"), key).arg(start).arg(stop)
                .arg("WITHSCORES"), scored());
    }

    /** ZRANGE with BYSCORE/BYLEX, REV and LIMIT; bounds as the server takes them. */
    public Command<List<V>> zrange(K key, String start, String stop, ZRangeArgs args) {
        nonNull("ZRANGE", "key", key, "start", start, "stop", stop);
        nonNull("ZRANGE", "args", args);
        return cmd("ZRANGE", w -> {
            codec.writeKey(w.array(4 + args.count()).arg("ZRANGE"), key).arg(start).arg(stop);
            args.write(w);
        }, values());
    }

    public Command<List<ScoredValue<V>>> zrangeWithScores(K key, String start, String stop, ZRangeArgs args) {
        nonNull("ZRANGE", "key", key, "start", start, "stop", stop);
        nonNull("ZRANGE", "args", args);
        return cmd("ZRANGE", w -> {
            codec.writeKey(w.array(5 + args.count()).arg("ZRANGE"), key).arg(start).arg(stop);
            args.write(w);
            w.arg("WITHSCORES");
        }, scored());
    }

    /** ZRANGESTORE dst src start stop [options]: the number of members stored. */
    public Command<Long> zrangestore(K destination, K source, String start, String stop, ZRangeArgs args) {
        nonNull("ZRANGESTORE", "destination", destination, "source", source, "start", start);
        nonNull("ZRANGESTORE", "stop", stop, "args", args);
        return cmd("ZRANGESTORE", w -> {
            codec.writeKey(codec.writeKey(w.array(5 + args.count()).arg("ZRANGESTORE"), destination), source)
                    .arg(start).arg(stop);
            args.write(w);
        }, integer());
    }

    public Command<List<V>> zrevrange(K key, long start, long stop) {
        nonNull("ZREVRANGE", "key", key);
        return cmd("ZREVRANGE", w -> codec.writeKey(w.array(4).arg("ZREVRANGE"), key).arg(start).arg(stop), values());
    }

    public Command<List<V>> zrangebyscore(K key, String min, String max) {
        nonNull("ZRANGEBYSCORE", "key", key, "min", min, "max", max);
        return cmd("ZRANGEBYSCORE", w -> codec.writeKey(w.array(4).arg("ZRANGEBYSCORE"), key).arg(min).arg(max),
                values());
    }

    public Command<List<ScoredValue<V>>> zpopmin(K key, long count) {
        nonNull("ZPOPMIN", "key", key);
        return cmd("ZPOPMIN", w -> codec.writeKey(w.array(3).arg("ZPOPMIN"), key).arg(count), scored());
    }

    public Command<List<ScoredValue<V>>> zpopmax(K key, long count) {
        nonNull("ZPOPMAX", "key", key);
        return cmd("ZPOPMAX", w -> codec.writeKey(w.array(3).arg("ZPOPMAX"), key).arg(count), scored());
    }

    /** BZPOPMIN key... timeout: [key, member, score] or null on timeout. */
    @SafeVarargs
    public final Command<KeyValues<K, ScoredValue<V>>> bzpopmin(Duration timeout, K... keys) {
        return bzpop("BZPOPMIN", timeout, keys);
    }

    @SafeVarargs
    public final Command<KeyValues<K, ScoredValue<V>>> bzpopmax(Duration timeout, K... keys) {
        return bzpop("BZPOPMAX", timeout, keys);
    }

    private Command<KeyValues<K, ScoredValue<V>>> bzpop(String name, Duration timeout, K[] keys) {
        double seconds = seconds(name, timeout);
        noNulls(name, "keys", keys);
        return cmd(name, w -> keys(w.array(2 + keys.length).arg(name), keys).arg(seconds),
                Decoders.triple(key(), value(), dbl(),
                        (k, m, s) -> new KeyValues<>(k, List.of(new ScoredValue<>(m, s))))).blocking(timeout);
    }

    public Command<V> zrandmember(K key) {
        return keyed("ZRANDMEMBER", key, value());
    }

    public Command<List<ScoredValue<V>>> zrandmemberWithScores(K key, long count) {
        nonNull("ZRANDMEMBER", "key", key);
        return cmd("ZRANDMEMBER", w -> codec.writeKey(w.array(4).arg("ZRANDMEMBER"), key).arg(count)
                .arg("WITHSCORES"), scored());
    }

    public Command<Long> zremrangebyrank(K key, long start, long stop) {
        nonNull("ZREMRANGEBYRANK", "key", key);
        return cmd("ZREMRANGEBYRANK", w -> codec.writeKey(w.array(4).arg("ZREMRANGEBYRANK"), key).arg(start)
                .arg(stop), integer());
    }

    public Command<Long> zremrangebyscore(K key, String min, String max) {
        nonNull("ZREMRANGEBYSCORE", "key", key, "min", min, "max", max);
        return cmd("ZREMRANGEBYSCORE", w -> codec.writeKey(w.array(4).arg("ZREMRANGEBYSCORE"), key).arg(min)
                .arg(max), integer());
    }

    @SafeVarargs
    public final Command<Long> zunionstore(K destination, K... keys) {
        nonNull("ZUNIONSTORE", "destination", destination);
        noNulls("ZUNIONSTORE", "keys", keys);
        return cmd("ZUNIONSTORE", w -> keys(codec.writeKey(w.array(3 + keys.length).arg("ZUNIONSTORE"), destination)
                .arg(keys.length), keys), integer());
    }

    @SafeVarargs
    public final Command<Long> zinterstore(K destination, K... keys) {
        nonNull("ZINTERSTORE", "destination", destination);
        noNulls("ZINTERSTORE", "keys", keys);
        return cmd("ZINTERSTORE", w -> keys(codec.writeKey(w.array(3 + keys.length).arg("ZINTERSTORE"), destination)
                .arg(keys.length), keys), integer());
    }

    /** ZMPOP numkeys key... MIN|MAX COUNT n: members popped from the first non-empty set, null when all are empty. */
    @SafeVarargs
    public final Command<KeyValues<K, ScoredValue<V>>> zmpop(boolean min, long count, K... keys) {
        noNulls("ZMPOP", "keys", keys);
        return cmd("ZMPOP", w -> keys(w.array(5 + keys.length).arg("ZMPOP").arg(keys.length), keys)
                .arg(min ? "MIN" : "MAX").arg("COUNT").arg(count), Decoders.pair(key(), scored(), KeyValues::new));
    }

    /** BZMPOP timeout numkeys key... MIN|MAX COUNT n. */
    @SafeVarargs
    public final Command<KeyValues<K, ScoredValue<V>>> bzmpop(Duration timeout, boolean min, long count, K... keys) {
        double seconds = seconds("BZMPOP", timeout);
        noNulls("BZMPOP", "keys", keys);
        return cmd("BZMPOP", w -> keys(w.array(6 + keys.length).arg("BZMPOP").arg(seconds)
                .arg(keys.length), keys).arg(min ? "MIN" : "MAX").arg("COUNT").arg(count),
                Decoders.pair(key(), scored(), KeyValues::new)).blocking(timeout);
    }

    public Command<Long> zlexcount(K key, String min, String max) {
        nonNull("ZLEXCOUNT", "key", key, "min", min, "max", max);
        return cmd("ZLEXCOUNT", w -> codec.writeKey(w.array(4).arg("ZLEXCOUNT"), key).arg(min).arg(max),
                integer());
    }

    public Command<List<V>> zrangebylex(K key, String min, String max) {
        nonNull("ZRANGEBYLEX", "key", key, "min", min, "max", max);
        return cmd("ZRANGEBYLEX", w -> codec.writeKey(w.array(4).arg("ZRANGEBYLEX"), key).arg(min).arg(max), values());
    }

    public Command<List<V>> zrevrangebyscore(K key, String max, String min) {
        nonNull("ZREVRANGEBYSCORE", "key", key, "max", max, "min", min);
        return cmd("ZREVRANGEBYSCORE", w -> codec.writeKey(w.array(4).arg("ZREVRANGEBYSCORE"), key).arg(max).arg(min),
                values());
    }

    public Command<List<V>> zrevrangebylex(K key, String max, String min) {
        nonNull("ZREVRANGEBYLEX", "key", key, "max", max, "min", min);
        return cmd("ZREVRANGEBYLEX", w -> codec.writeKey(w.array(4).arg("ZREVRANGEBYLEX"), key).arg(max).arg(min),
                values());
    }

    public Command<Long> zremrangebylex(K key, String min, String max) {
        nonNull("ZREMRANGEBYLEX", "key", key, "min", min, "max", max);
        return cmd("ZREMRANGEBYLEX", w -> codec.writeKey(w.array(4).arg("ZREMRANGEBYLEX"), key).arg(min).arg(max),
                integer());
    }

    @SafeVarargs
    public final Command<Long> zdiffstore(K destination, K... keys) {
        nonNull("ZDIFFSTORE", "destination", destination);
        noNulls("ZDIFFSTORE", "keys", keys);
        return cmd("ZDIFFSTORE", w -> keys(codec.writeKey(w.array(3 + keys.length).arg("ZDIFFSTORE"), destination)
                .arg(keys.length), keys), integer());
    }

    /** ZUNION numkeys key... WITHSCORES. */
    @SafeVarargs
    public final Command<List<ScoredValue<V>>> zunionWithScores(K... keys) {
        return combine("ZUNION", keys);
    }

    @SafeVarargs
    public final Command<List<ScoredValue<V>>> zinterWithScores(K... keys) {
        return combine("ZINTER", keys);
    }

    @SafeVarargs
    public final Command<List<ScoredValue<V>>> zdiffWithScores(K... keys) {
        return combine("ZDIFF", keys);
    }

    private Command<List<ScoredValue<V>>> combine(String name, K[] keys) {
        noNulls(name, "keys", keys);
        return cmd(name, w -> keys(w.array(3 + keys.length).arg(name).arg(keys.length), keys).arg("WITHSCORES"),
                scored());
    }

    @SafeVarargs
    public final Command<Long> zintercard(long limit, K... keys) {
        noNulls("ZINTERCARD", "keys", keys);
        return cmd("ZINTERCARD", w -> keys(w.array(4 + keys.length).arg("ZINTERCARD").arg(keys.length), keys)
                .arg("LIMIT").arg(limit), integer());
    }

    public Command<ScanPage<ScoredValue<V>>> zscan(K key, String cursor, ScanArgs args) {
        nonNull("ZSCAN", "key", key, "cursor", cursor, "args", args);
        return cmd("ZSCAN", w -> {
            codec.writeKey(w.array(3 + args.count()).arg("ZSCAN"), key).arg(cursor);
            args.write(w);
        }, Decoders.scanPage(scored()));
    }
}
