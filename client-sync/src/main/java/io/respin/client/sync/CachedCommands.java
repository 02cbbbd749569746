package io.respin.client.sync;

import io.respin.client.async.CacheStats;
import io.respin.client.async.cache.CachedReads;
import io.respin.engine.command.ScoredValue;
import io.respin.engine.command.ZRangeArgs;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The read commands whose reply depends only on their key, answered from the client-side cache when it holds them
 * (see docs/caching.md): {@code client.cached()}. A reply is kept until the server says the key changed (RESP3
 * {@code CLIENT TRACKING}), the client writes the key itself, the connection is lost, or its TTL (capped by the key's
 * PTTL) ends — never served after an invalidation that was parsed before it. Thread-safe; share it.
 *
 * <pre>{@code
 * CachedCommands<String, String> cached = client.cached();
 * String name = cached.hget("user:1", "name"); // the first time from the server, then from memory
 * }</pre>
 *
 * @param <K> key type
 * @param <V> value type
 */
@SuppressWarnings("varargs") // arrays are handed to the catalogue, which only reads them
public final class CachedCommands<K, V> {
    private final CachedReads<K, V> reads;

    @SuppressWarnings("exports") // made by RedisClient.cached(); the reads type is internal
    public CachedCommands(CachedReads<K, V> reads) {
        this.reads = reads;
    }

    /** Hits, misses, evictions, invalidations and the bytes held, now. */
    public CacheStats stats() {
        return reads.stats();
    }

    /** MGET as one cached GET per key (each key is its own entry, invalidated on its own), in key order. */
    @SafeVarargs
    public final List<V> mget(K... keys) {
        List<V> values = new ArrayList<>(keys.length);
        for (K k : keys) {
            values.add(get(k));
        }
        return values;
    }

    /** GET, from the cache when it holds the key's value. */
    public V get(K key) {
        return reads.read(CachedReads.GET, key);
    }

    public Long strlen(K key) {
        return reads.read(CachedReads.STRLEN, key);
    }

    /** 1 when the key exists, else 0 */
    public Long exists(K key) {
        return reads.read(CachedReads.EXISTS, key);
    }

    public String type(K key) {
        return reads.read(CachedReads.TYPE, key);
    }

    public Map<K, V> hgetall(K key) {
        return reads.read(CachedReads.HGETALL, key);
    }

    public List<K> hkeys(K key) {
        return reads.read(CachedReads.HKEYS, key);
    }

    public List<V> hvals(K key) {
        return reads.read(CachedReads.HVALS, key);
    }

    public Long hlen(K key) {
        return reads.read(CachedReads.HLEN, key);
    }

    public Set<V> smembers(K key) {
        return reads.read(CachedReads.SMEMBERS, key);
    }

    public Long scard(K key) {
        return reads.read(CachedReads.SCARD, key);
    }

    public Long llen(K key) {
        return reads.read(CachedReads.LLEN, key);
    }

    public Long zcard(K key) {
        return reads.read(CachedReads.ZCARD, key);
    }

    public V hget(K key, K field) {
        return reads.read(key, reads.commands().hashes().hget(key, field));
    }

    @SafeVarargs
    public final List<V> hmget(K key, K... fields) {
        return reads.read(key, reads.commands().hashes().hmget(key, fields));
    }

    public Boolean hexists(K key, K field) {
        return reads.read(key, reads.commands().hashes().hexists(key, field));
    }

    public Long hstrlen(K key, K field) {
        return reads.read(key, reads.commands().hashes().hstrlen(key, field));
    }

    public Boolean sismember(K key, V member) {
        return reads.read(key, reads.commands().sets().sismember(key, member));
    }

    @SafeVarargs
    public final List<Boolean> smismember(K key, V... members) {
        return reads.read(key, reads.commands().sets().smismember(key, members));
    }

    public List<V> lrange(K key, long start, long stop) {
        return reads.read(key, reads.commands().lists().lrange(key, start, stop));
    }

    public V lindex(K key, long index) {
        return reads.read(key, reads.commands().lists().lindex(key, index));
    }

    public Double zscore(K key, V member) {
        return reads.read(key, reads.commands().sortedSets().zscore(key, member));
    }

    @SafeVarargs
    public final List<Double> zmscore(K key, V... members) {
        return reads.read(key, reads.commands().sortedSets().zmscore(key, members));
    }

    public Long zrank(K key, V member) {
        return reads.read(key, reads.commands().sortedSets().zrank(key, member));
    }

    public Long zcount(K key, String min, String max) {
        return reads.read(key, reads.commands().sortedSets().zcount(key, min, max));
    }

    public List<V> zrange(K key, long start, long stop) {
        return reads.read(key, reads.commands().sortedSets().zrange(key, start, stop));
    }

    public List<ScoredValue<V>> zrangeWithScores(K key, long start, long stop) {
        return reads.read(key, reads.commands().sortedSets().zrangeWithScores(key, start, stop));
    }

    public List<V> zrange(K key, String start, String stop, ZRangeArgs args) {
        return reads.read(key, reads.commands().sortedSets().zrange(key, start, stop, args));
    }

    public List<ScoredValue<V>> zrangeWithScores(K key, String start, String stop, ZRangeArgs args) {
        return reads.read(key, reads.commands().sortedSets().zrangeWithScores(key, start, stop, args));
    }

    public List<V> zrevrange(K key, long start, long stop) {
        return reads.read(key, reads.commands().sortedSets().zrevrange(key, start, stop));
    }

    public List<V> zrangebyscore(K key, String min, String max) {
        return reads.read(key, reads.commands().sortedSets().zrangebyscore(key, min, max));
    }

    public List<V> zrangebylex(K key, String min, String max) {
        return reads.read(key, reads.commands().sortedSets().zrangebylex(key, min, max));
    }

    public V getrange(K key, long start, long end) {
        return reads.read(key, reads.commands().strings().getrange(key, start, end));
    }

    public Long getbit(K key, long offset) {
        return reads.read(key, reads.commands().strings().getbit(key, offset));
    }

    public Long bitcount(K key) {
        return reads.read(key, reads.commands().strings().bitcount(key));
    }
}
