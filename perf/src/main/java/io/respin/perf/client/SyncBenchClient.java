package io.respin.perf.client;

/**
 * A client whose calls block until the reply arrives. The harness calls it from many threads at once (K callers for
 * K outstanding commands), so it must be thread-safe: a shared connection (Lettuce sync) or a pool (Jedis).
 *
 * <pre>{@code
 * byte[] value = client.get("key:000000000001".getBytes(US_ASCII));
 * }</pre>
 */
public interface SyncBenchClient extends BenchClient {

    /** {@code GET key}; the value, or {@code null} when the key does not exist. */
    byte[] get(byte[] key);

    /** {@code SET key value}. */
    void set(byte[] key, byte[] value);

    /** {@code SETEX key seconds value}. */
    void setex(byte[] key, long seconds, byte[] value);

    /**
     * Whether the harness should call this client from virtual threads (one per caller, or one per task in the seed
     * workload) instead of platform threads. Adapters for a virtual-thread variant return {@code true}.
     */
    default boolean virtualCallers() {
        return false;
    }
}
