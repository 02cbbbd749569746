package io.respin.io.loop;

import java.util.concurrent.Executor;

/**
 * The settings as the loop reads them: {@code io.respin.io.IoSettings} made into plain values once, when a runtime
 * starts (each component is documented on the builder method of the same name there). Immutable.
 *
 * <pre>{@code
 * Tuning t = settings.tuning();   // IoSettings, in the API package
 * }</pre>
 *
 * @param probe where events go (the API's {@code IoListener}, adapted), or null: none, and nothing is reported
 */
public record Tuning(
        String threadName,
        boolean busySpin,
        boolean submitterWrites,
        int submitQueueCapacity,
        int batchLimit,
        long maxPendingCommands,
        long maxPendingBytes,
        boolean failFastWhenFull,
        long commandTimeoutNanos,
        long connectTimeoutNanos,
        long reconnectMinNanos,
        long reconnectMaxNanos,
        double reconnectJitter,
        int readBufferSize,
        int maxReadBufferSize,
        int writeBufferSize,
        int maxWriteBufferSize,
        boolean keepAlive,
        long idlePingNanos,
        boolean failFastWhenDisconnected,
        boolean retryIdempotent,
        Executor completionExecutor,
        int completionQueueCapacity,
        int pushQueueCapacity,
        Probe probe) {
}
