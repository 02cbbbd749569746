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
 */
public record CacheStats(long hits, long misses, long evictions, long invalidations, long stored, long bytes,
                         long maxBytes, long clears) {
}
