package io.respin.perf.client;

import io.respin.client.RedisClient;
import io.respin.io.IoListener;
import io.respin.io.IoSettings;
import java.time.Duration;

/**
 * One respin {@link RedisClient} (its own IO runtime and auto-pipelined connection) with default settings but one:
 * a full submit queue waits instead of failing fast, so the seed workload's 100,000 simultaneous tasks are
 * backpressured, as Lettuce's unbounded queue would absorb them, rather than rejected.
 */
final class RespinConnection {
    private RespinConnection() {
    }

    static RedisClient open(String uri) {
        return open(uri, null);
    }

    /** {@link #open(String)} with {@code listener} on the client's runtime (null: none, the default). */
    static RedisClient open(String uri, IoListener listener) {
        // -Drespin.perf.idle=BUSY_SPIN measures the other idle strategy (README, section "Speed")
        IoSettings.Idle idle = IoSettings.Idle.valueOf(System.getProperty("respin.perf.idle", "BACKOFF"));
        var b = RedisClient.builder(uri).backpressure(IoSettings.Backpressure.WAIT_UNTIL_DEADLINE).idleStrategy(idle);
        // -Drespin.perf.submitterWrites=false: every command through the IO thread (the duty never handed over)
        b.submitterWrites(Boolean.parseBoolean(System.getProperty("respin.perf.submitterWrites", "true")));
        if (listener != null) {
            b.listener(listener);
        }
        return b.build();
    }

    /** {@code Duration.ofSeconds}, without allocating for the one TTL the seed workload uses over and over. */
    static Duration seconds(long seconds, Duration last) {
        return last.getSeconds() == seconds && last.getNano() == 0 ? last : Duration.ofSeconds(seconds);
    }
}
