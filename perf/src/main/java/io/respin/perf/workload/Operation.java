package io.respin.perf.workload;

import io.respin.perf.client.AsyncBenchClient;
import io.respin.perf.client.PipelinedBenchClient;
import io.respin.perf.client.SyncBenchClient;
import java.util.concurrent.CompletionStage;

/**
 * The command a loop sends as its i-th operation, in each client shape, and the check of its reply. Operations are
 * stateless and allocation-free so the harness adds nothing but its timing to what is measured.
 *
 * <pre>{@code
 * Operation get = Operation.get(keys);
 * Object reply = get.call(syncClient, 42);
 * boolean ok = get.accept(42, reply);
 * }</pre>
 */
public interface Operation {

    CompletionStage<?> start(AsyncBenchClient client, long i);

    Object call(SyncBenchClient client, long i);

    /** Queues the operation; returns the slot of its value or -1 when the reply carries no value to check. */
    int queue(PipelinedBenchClient.Pipeline pipeline, long i);

    /** True if {@code reply} (a GET's value, or whatever a write returned) is what operation i expects. */
    boolean accept(long i, Object reply);

    /** Value bytes moved by each operation (for MB/s), 0 when it is not the point. */
    long payloadBytes();

    /** GET of a key of the space; the reply must be the space's value (a miss would be a cheaper, false result). */
    static Operation get(KeySpace keys) {
        return new Operation() {
            @Override
            public CompletionStage<?> start(AsyncBenchClient client, long i) {
                return client.get(keys.key(i));
            }

            @Override
            public Object call(SyncBenchClient client, long i) {
                return client.get(keys.key(i));
            }

            @Override
            public int queue(PipelinedBenchClient.Pipeline pipeline, long i) {
                return pipeline.get(keys.key(i));
            }

            @Override
            public boolean accept(long i, Object reply) {
                return reply instanceof byte[] b && b.length == keys.valueSize();
            }

            @Override
            public long payloadBytes() {
                return 0;
            }
        };
    }

    /** Even operations SET a key of the space to its value, odd ones GET it back (the large-value workloads). */
    static Operation setThenGet(KeySpace keys) {
        return new Operation() {
            @Override
            public CompletionStage<?> start(AsyncBenchClient client, long i) {
                byte[] key = keys.key(i >>> 1);
                return (i & 1) == 0 ? client.set(key, keys.value()) : client.get(key);
            }

            @Override
            public Object call(SyncBenchClient client, long i) {
                byte[] key = keys.key(i >>> 1);
                if ((i & 1) == 0) {
                    client.set(key, keys.value());
                    return null;
                }
                return client.get(key);
            }

            @Override
            public int queue(PipelinedBenchClient.Pipeline pipeline, long i) {
                byte[] key = keys.key(i >>> 1);
                if ((i & 1) == 0) {
                    pipeline.set(key, keys.value());
                    return -1;
                }
                return pipeline.get(key);
            }

            @Override
            public boolean accept(long i, Object reply) {
                return (i & 1) == 0 || reply instanceof byte[] b && b.length == keys.valueSize();
            }

            @Override
            public long payloadBytes() {
                return keys.valueSize();
            }
        };
    }
}
