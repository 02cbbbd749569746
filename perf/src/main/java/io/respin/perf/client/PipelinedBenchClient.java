package io.respin.perf.client;

/**
 * A client used through explicit pipelining on one connection: the harness queues a batch of commands, then
 * {@link Pipeline#sync() syncs} (sends the batch and waits for all replies). Only one harness thread uses it.
 *
 * <pre>{@code
 * Pipeline p = client.pipeline();
 * int slot = p.get(key);
 * p.sync();
 * byte[] value = p.value(slot);
 * }</pre>
 */
public interface PipelinedBenchClient extends BenchClient {

    /** The pipeline of this client's connection (the same object on every call). */
    Pipeline pipeline();

    /** A batch being built; queuing after {@link #sync()} starts the next batch. */
    interface Pipeline {

        /** Queues {@code GET key}; returns the slot to read its value from after {@link #sync()}. */
        int get(byte[] key);

        /** Queues {@code SET key value}. */
        void set(byte[] key, byte[] value);

        /** Queues {@code SETEX key seconds value}. */
        void setex(byte[] key, long seconds, byte[] value);

        /** Sends everything queued and waits for every reply. */
        void sync();

        /** The value a queued GET returned, valid after {@link #sync()} until the next command is queued. */
        byte[] value(int slot);
    }
}
