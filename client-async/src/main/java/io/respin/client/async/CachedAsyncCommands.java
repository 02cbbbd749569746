package io.respin.client.async;

import io.respin.client.async.cache.CachedReads;
import io.respin.engine.command.ScoredValue;
import io.respin.engine.command.ZRangeArgs;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * {@code client.cachedAsync()}: the cached reads of {@code CachedCommands} as futures — a hit completes at once, on
 * the calling thread; a miss completes off the IO thread. Same guarantees (see docs/caching.md).
 *
 * <pre>{@code
 * client.cachedAsync().get("user:1").thenAccept(System.out::println);
 * }</pre>
 *
 * @param <K> key type
 * @param <V> value type
 */
@SuppressWarnings("varargs") // arrays are handed to the catalogue, which only reads them
public final class CachedAsyncCommands<K, V> {
    private final CachedReads<K, V> reads;

    CachedAsyncCommands(CachedReads<K, V> reads) {
        this.reads = reads;
    }

    /** Hits, misses, evictions, invalidations and the bytes held, now. */
    public CacheStats stats() {
        return reads.stats();
    }

    /** MGET as one cached GET per key, in key order. */
    @SafeVarargs
    public final CompletableFuture<List<V>> mget(K... keys) {
        List<CompletableFuture<V>> each = new ArrayList<>(keys.length);
        for (K k : keys) {
            each.add(get(k));
        }
        return CompletableFuture.allOf(each.toArray(new CompletableFuture<?>[0]))
                .thenApply(x -> each.stream().map(CompletableFuture::join).toList());
    }

    /** GET, from the cache when it holds the key's value. */
    public CompletableFuture<V> get(K key) {
        return reads.readAsync(CachedReads.GET, key);
    }

    public CompletableFuture<Long> strlen(K key) {
        return reads.readAsync(CachedReads.STRLEN, key);
    }

    /** 1 when the key exists, else 0 */
    public CompletableFuture<Long> exists(K key) {
        return reads.readAsync(CachedReads.EXISTS, key);
    }

    public CompletableFuture<String> type(K key) {
        return reads.readAsync(CachedReads.TYPE, key);
    }

    public CompletableFuture<Map<K, V>> hgetall(K key) {
        return reads.readAsync(CachedReads.HGETALL, key);
    }

    public CompletableFuture<List<K>> hkeys(K key) {
        return reads.readAsync(CachedReads.HKEYS, key);
    }

    public CompletableFuture<List<V>> hvals(K key) {
        return reads.readAsync(CachedReads.HVALS, key);
    }

    public CompletableFuture<Long> hlen(K key) {
        return reads.readAsync(CachedReads.HLEN, key);
    }

    public CompletableFuture<Set<V>> smembers(K key) {
        return reads.readAsync(CachedReads.SMEMBERS, key);
    }

    public CompletableFuture<Long> scard(K key) {
        return reads.readAsync(CachedReads.SCARD, key);
    }

    public CompletableFuture<Long> llen(K key) {
        return reads.readAsync(CachedReads.LLEN, key);
    }

    public CompletableFuture<Long> zcard(K key) {
        return reads.readAsync(CachedReads.ZCARD, key);
    }

    public CompletableFuture<V> hget(K key, K field) {
        return reads.readAsync(key, reads.commands().hashes().hget(key, field));
    }

    @SafeVarargs
    public final CompletableFuture<List<V>> hmget(K key, K... fields) {
        return reads.readAsync(key, reads.commands().hashes().hmget(key, fields));
    }

    public CompletableFuture<Boolean> hexists(K key, K field) {
        return reads.readAsync(key, reads.commands().hashes().hexists(key, field));
    }

    public CompletableFuture<Long> hstrlen(K key, K field) {
        return reads.readAsync(key, reads.commands().hashes().hstrlen(key, field));
    }

    public CompletableFuture<Boolean> sismember(K key, V member) {
        return reads.readAsync(key, reads.commands().sets().sismember(key, member));
    }

    @SafeVarargs
    public final CompletableFuture<List<Boolean>> smismember(K key, V... members) {
        return reads.readAsync(key, reads.commands().sets().smismember(key, members));
    }

    public CompletableFuture<List<V>> lrange(K key, long start, long stop) {
        return reads.readAsync(key, reads.commands().lists().lrange(key, start, stop));
    }

    public CompletableFuture<V> lindex(K key, long index) {
        return reads.readAsync(key, reads.commands().lists().lindex(key, index));
    }

    public CompletableFuture<Double> zscore(K key, V member) {
        return reads.readAsync(key, reads.commands().sortedSets().zscore(key, member));
    }

    @SafeVarargs
    public final CompletableFuture<List<Double>> zmscore(K key, V... members) {
        return reads.readAsync(key, reads.commands().sortedSets().zmscore(key, members));
    }

    public CompletableFuture<Long> zrank(K key, V member) {
        return reads.readAsync(key, reads.commands().sortedSets().zrank(key, member));
    }

    public CompletableFuture<Long> zcount(K key, String min, String max) {
        return reads.readAsync(key, reads.commands().sortedSets().zcount(key, min, max));
    }

    public CompletableFuture<List<V>> zrange(K key, long start, long stop) {
        return reads.readAsync(key, reads.commands().sortedSets().zrange(key, start, stop));
    }

    public CompletableFuture<List<ScoredValue<V>>> zrangeWithScores(K key, long start, long stop) {
        return reads.readAsync(key, reads.commands().sortedSets().zrangeWithScores(key, start, stop));
    }

    public CompletableFuture<List<V>> zrange(K key, String start, String stop, ZRangeArgs args) {
        return reads.readAsync(key, reads.commands().sortedSets().zrange(key, start, stop, args));
    }

    public CompletableFuture<List<ScoredValue<V>>> zrangeWithScores(K key, String start, String stop, ZRangeArgs args) {
        return reads.readAsync(key, reads.commands().sortedSets().zrangeWithScores(key, start, stop, args));
    }

    public CompletableFuture<List<V>> zrevrange(K key, long start, long stop) {
        return reads.readAsync(key, reads.commands().sortedSets().zrevrange(key, start, stop));
    }

    public CompletableFuture<List<V>> zrangebyscore(K key, String min, String max) {
        return reads.readAsync(key, reads.commands().sortedSets().zrangebyscore(key, min, max));
    }

    public CompletableFuture<List<V>> zrangebylex(K key, String min, String max) {
        return reads.readAsync(key, reads.commands().sortedSets().zrangebylex(key, min, max));
    }

    public CompletableFuture<V> getrange(K key, long start, long end) {
        return reads.readAsync(key, reads.commands().strings().getrange(key, start, end));
    }

    public CompletableFuture<Long> getbit(K key, long offset) {
        return reads.readAsync(key, reads.commands().strings().getbit(key, offset));
    }

    public CompletableFuture<Long> bitcount(K key) {
        return reads.readAsync(key, reads.commands().strings().bitcount(key));
    }
}
