package io.respin.client.async;

/**
 * A client-side cache's counters at one moment ({@code client.cached().stats()}).
 *
 * @param hits          reads answered from memory
 * @param misses        reads that went to the server (or joined a read of the same key on its way)
 * @param evictions     replies dropped to stay under the memory bound
 * @param invalidations keys the server (or the client's own writes) invalidated while the cache held them
 * @param stored        replies kept so far
 * @param bytes         bytes held now (keys, replies and a fixed overhead per entry)
 * @param maxBytes      the bound
 * @param clears        times the whole cache was emptied: connection lost or re-made, server flush
 * @param slotDrops     on a cluster client, keys dropped from a node's cache because the client learned that their
 *                      slot is served by another node now (also counted in {@code invalidations}); 0 otherwise
 */
public record CacheStats(long hits, long misses, long evictions, long invalidations, long stored, long bytes,
                         long maxBytes, long clears, long slotDrops) {

    /** The counters of one server's cache (no slot ever moves). */
    public CacheStats(long hits, long misses, long evictions, long invalidations, long stored, long bytes,
                      long maxBytes, long clears) {
        this(hits, misses, evictions, invalidations, stored, bytes, maxBytes, clears, 0);
    }

    /** These counters added to {@code other}'s ({@code maxBytes} too): a cluster client's caches as one. */
    public CacheStats plus(CacheStats other) {
        return new CacheStats(hits + other.hits, misses + other.misses, evictions + other.evictions,
                invalidations + other.invalidations, stored + other.stored, bytes + other.bytes,
                maxBytes + other.maxBytes, clears + other.clears, slotDrops + other.slotDrops);
    }
}
