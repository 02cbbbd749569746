package io.respin.io.loop;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Reconnect delays: {@code min}, then doubling up to {@code max}, each spread by ±jitter so that many clients that
 * lost the same server do not return in lock step. {@link #reset()} after a successful handshake. Duty-confined,
 * like the link that owns it.
 *
 * <pre>{@code
 * Backoff b = new Backoff(2_000_000, 1_000_000_000, 0.2);
 * long wait = b.next();   // ~2 ms, then ~4 ms, ~8 ms ... ~1 s
 * }</pre>
 */
public final class Backoff {
    private final long minNanos;
    private final long maxNanos;
    private final double jitter;
    private long current;

    public Backoff(long minNanos, long maxNanos, double jitter) {
        this.minNanos = minNanos;
        this.maxNanos = maxNanos;
        this.jitter = jitter;
        this.current = minNanos;
    }

    public long next() {
        long base = current;
        current = Math.min(maxNanos, current * 2);
        double spread = jitter == 0 ? 0 : ThreadLocalRandom.current().nextDouble(-jitter, jitter);
        return Math.max(0, (long) (base * (1 + spread)));
    }

    public void reset() {
        current = minNanos;
    }
}
