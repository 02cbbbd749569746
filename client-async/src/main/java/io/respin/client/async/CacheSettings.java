package io.respin.client.async;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Client-side caching for {@link RedisClientBuilder#clientCache(CacheSettings)}: how much memory the cache may hold,
 * how long a reply may be kept (never longer than the key's own PTTL on the server), and which {@code CLIENT TRACKING}
 * mode tells the client what changed. Needs RESP3 (the default protocol).
 *
 * <pre>{@code
 * RedisClient client = RedisClient.builder("redis://localhost:6379")
 *         .clientCache(CacheSettings.builder().maxBytes(64 << 20).ttl(Duration.ofMinutes(5)).build())
 *         .build();
 * String v = client.cached().get("user:1"); // a round trip the first time, local memory after
 * }</pre>
 *
 * @param maxBytes  the bound on keys and replies held (plus a fixed overhead per entry), enforced as each is stored
 * @param ttl       the longest a reply is kept; a key's own expiry (PTTL) shortens it; {@link #NO_TTL}: kept until
 *                  its key changes (or its PTTL ends), and a hit then reads no clock
 * @param mode      which tracking mode the connection uses
 * @param prefixes  for {@link Mode#BCAST}: the key prefixes broadcast (none: every key)
 * @param noLoop    {@code NOLOOP}: the server does not tell this connection of its own writes (the client already
 *                  invalidates what it writes itself, at the reply)
 */
public record CacheSettings(long maxBytes, Duration ttl, Mode mode, List<String> prefixes, boolean noLoop) {

    /** The {@code CLIENT TRACKING} modes. */
    public enum Mode {
        /** The server remembers every key this connection read and tells of each change to one of them. */
        DEFAULT,
        /**
         * The server remembers only reads sent right after {@code CLIENT CACHING YES}, which the cache sends with each
         * read it wants to keep (adjacent on the wire: nothing else goes between them); other reads cost it nothing.
         */
        OPTIN,
        /** The server remembers nothing per client and tells of every change to a key under the prefixes. */
        BCAST
    }

    /**
     * {@link Builder#ttl}: no client-side limit. A reply is kept until an invalidation, the memory bound, a lost
     * connection or its key's own PTTL removes it — what Redis' tracking already guarantees is never stale. A hit of
     * a key without a PTTL then costs no clock read (~30 ns of the ~80 ns a hit takes with a TTL).
     */
    public static final Duration NO_TTL = ChronoUnit.FOREVER.getDuration();

    public CacheSettings {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("CacheSettings.maxBytes must be > 0, got " + maxBytes);
        }
        Objects.requireNonNull(ttl, "CacheSettings.ttl");
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("CacheSettings.ttl must be > 0, got " + ttl);
        }
        Objects.requireNonNull(mode, "CacheSettings.mode");
        prefixes = List.copyOf(prefixes);
        if (!prefixes.isEmpty() && mode != Mode.BCAST) {
            throw new IllegalArgumentException("CacheSettings.prefixes apply to Mode.BCAST only; the mode is " + mode);
        }
    }

    /** 64 MiB, 60 s, default tracking. */
    public static CacheSettings defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** {@link #ttl} in nanoseconds; {@link Long#MAX_VALUE} for {@link #NO_TTL} (or any ttl past ~292 years). */
    public long ttlNanos() {
        return ttl.compareTo(Duration.ofNanos(Long.MAX_VALUE)) >= 0 ? Long.MAX_VALUE : ttl.toNanos();
    }

    /** The arguments after {@code CLIENT TRACKING ON} for these settings. */
    public List<String> trackingOptions() {
        List<String> o = new ArrayList<>();
        switch (mode) {
            case OPTIN -> o.add("OPTIN");
            case BCAST -> {
                o.add("BCAST");
                for (String p : prefixes) {
                    o.add("PREFIX");
                    o.add(p);
                }
            }
            default -> { }
        }
        if (noLoop) {
            o.add("NOLOOP");
        }
        return o;
    }

    /** Builds {@link CacheSettings}. */
    public static final class Builder {
        private long maxBytes = 64L << 20;
        private Duration ttl = Duration.ofSeconds(60);
        private Mode mode = Mode.DEFAULT;
        private final List<String> prefixes = new ArrayList<>();
        private boolean noLoop;

        private Builder() {
        }

        /** The memory bound in bytes (default 64 MiB). */
        public Builder maxBytes(long v) { maxBytes = v; return this; }

        /** The longest a reply is kept (default 60 s; {@link #NO_TTL}: no client limit); a key's PTTL shortens it. */
        public Builder ttl(Duration v) { ttl = v; return this; }

        /** The tracking mode (default {@link Mode#DEFAULT}). */
        public Builder mode(Mode v) { mode = v; return this; }

        /** {@link Mode#BCAST} for keys under these prefixes (sets the mode). */
        public Builder broadcast(String... keyPrefixes) {
            mode = Mode.BCAST;
            prefixes.addAll(List.of(keyPrefixes));
            return this;
        }

        /** {@code NOLOOP} (default off). */
        public Builder noLoop(boolean v) { noLoop = v; return this; }

        public CacheSettings build() {
            return new CacheSettings(maxBytes, ttl, mode, prefixes, noLoop);
        }
    }
}
