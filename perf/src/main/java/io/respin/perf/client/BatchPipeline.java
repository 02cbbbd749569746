package io.respin.perf.client;

import java.util.ArrayList;
import java.util.List;

/**
 * What every pipelined adapter shares: the pending GET results of the current batch, by slot, and a new batch
 * started by the first command queued after a {@link #sync()}. An adapter says how to queue each command, how to
 * send the batch, and how to read a result {@code R} (a Jedis {@code Response}, a future).
 *
 * @param <R> what queuing a GET returns in the adapted client
 */
abstract class BatchPipeline<R> implements PipelinedBenchClient, PipelinedBenchClient.Pipeline {
    private final List<R> values = new ArrayList<>();
    private boolean synced;

    /** Queues GET in the adapted client. */
    protected abstract R queueGet(byte[] key);

    protected abstract void queueSet(byte[] key, byte[] value);

    protected abstract void queueSetex(byte[] key, long seconds, byte[] value);

    /** Sends the batch and waits for every reply. */
    protected abstract void send();

    /** The value of a GET's result, once sent. */
    protected abstract byte[] valueOf(R result);

    @Override
    public final PipelinedBenchClient.Pipeline pipeline() {
        return this;
    }

    @Override
    public final int get(byte[] key) {
        startBatch();
        values.add(queueGet(key));
        return values.size() - 1;
    }

    @Override
    public final void set(byte[] key, byte[] value) {
        startBatch();
        queueSet(key, value);
    }

    @Override
    public final void setex(byte[] key, long seconds, byte[] value) {
        startBatch();
        queueSetex(key, seconds, value);
    }

    @Override
    public final void sync() {
        send();
        synced = true;
    }

    @Override
    public final byte[] value(int slot) {
        return valueOf(values.get(slot));
    }

    private void startBatch() {
        if (synced) {
            values.clear();
            synced = false;
        }
    }
}
