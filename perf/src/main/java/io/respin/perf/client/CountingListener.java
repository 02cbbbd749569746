package io.respin.perf.client;

import io.respin.RedisException;
import io.respin.io.IoListener;
import io.respin.io.RedisEndpoint;
import java.util.concurrent.atomic.LongAdder;

/**
 * The cheapest useful {@link IoListener}: it counts the commands that ended and the bytes they moved, as a metrics
 * adapter's first step would, allocating nothing. {@code respin-sync-listener} runs with it, so that a run shows
 * the event hook's cost next to {@code respin-sync} (no listener: one null check per command).
 *
 * <pre>{@code
 * RedisClient c = RedisClient.builder(uri).listener(new CountingListener()).build();
 * }</pre>
 */
final class CountingListener implements IoListener {
    private final LongAdder commands = new LongAdder();
    private final LongAdder bytes = new LongAdder();

    @Override
    public void commandCompleted(RedisEndpoint endpoint, String command, Object started, long durationNanos,
                                 long bytesOut, long bytesIn, Outcome outcome, RedisException error) {
        commands.increment();
        bytes.add(bytesOut + bytesIn);
    }

    long commands() {
        return commands.sum();
    }

    @Override
    public String toString() {
        return "CountingListener[" + commands.sum() + " commands, " + bytes.sum() + " bytes]";
    }
}
