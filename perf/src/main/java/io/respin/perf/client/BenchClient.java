package io.respin.perf.client;

/**
 * A Redis client under test: the seam between the harness and a client library. An adapter implements exactly one
 * of the three shapes below, the one the library is meant to be used in; the workloads drive each shape its own
 * natural way (an async client keeps K commands outstanding from one thread, a sync client uses K caller threads,
 * a pipelined client sends batches of K) and measure all of them the same way.
 *
 * <ul>
 *   <li>{@link AsyncBenchClient}: non-blocking calls returning a {@code CompletionStage} (Lettuce async).</li>
 *   <li>{@link SyncBenchClient}: blocking calls, safe from many threads at once (Lettuce sync, Jedis pooled).</li>
 *   <li>{@link PipelinedBenchClient}: one connection, commands queued then sent together (Jedis pipelined).</li>
 * </ul>
 *
 * <p>Adding a client is one adapter class plus one line in {@link ClientCatalog}:
 * <pre>{@code
 * final class MyAsync implements AsyncBenchClient {
 *     public String name() { return "my-async"; }
 *     public CompletionStage<byte[]> get(byte[] key) { return client.get(key); }
 *     ...
 * }
 * }</pre>
 */
public interface BenchClient extends AutoCloseable {

    /** The name used on the command line, in the table and in file names, e.g. {@code lettuce-async}. */
    String name();

    /** Closes connections and threads; the harness calls it once, after the last workload. */
    @Override
    void close();
}
