package io.respin.io;

import io.respin.engine.resp.RespLimits;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Per-endpoint options that do not belong in a URI: TLS trust, parser limits, how many dedicated connections
 * (blocking commands, transactions) an endpoint may open, and who hears pushes on the shared connection.
 *
 * <pre>{@code
 * ConnectionOptions opts = ConnectionOptions.builder()
 *         .trustStore(Path.of("ca.p12"), "changeit".toCharArray())
 *         .maxDedicatedConnections(4)
 *         .build();
 * RedisEndpoint redis = io.connect(RedisUri.parse("rediss://cache:6380"), opts);
 * }</pre>
 */
public final class ConnectionOptions {

    private static final ConnectionOptions DEFAULTS = builder().build();

    private final SSLContext sslContext;
    private final boolean verifyHostname;
    private final RespLimits limits;
    private final int maxDedicatedConnections;
    private final PushListener pushListener;
    private final List<String> tracking;
    private final ConnectionEvents connectionEvents;
    private final CacheHook cacheHook;

    private ConnectionOptions(Builder b) {
        this.sslContext = b.sslContext;
        this.verifyHostname = b.verifyHostname;
        this.limits = b.limits;
        this.maxDedicatedConnections = b.maxDedicatedConnections;
        this.pushListener = b.pushListener;
        this.tracking = b.tracking;
        this.connectionEvents = b.connectionEvents;
        this.cacheHook = b.cacheHook;
    }

    public static ConnectionOptions defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The TLS context for {@code rediss://}, or null for the JDK's default (system trust store). */
    public SSLContext sslContext() { return sslContext; }

    /** Whether TLS checks that the server's certificate names the host (default true; the URI can turn it off). */
    public boolean verifyHostname() { return verifyHostname; }

    public RespLimits limits() { return limits; }

    /** Upper bound on dedicated connections per endpoint (default 8). */
    public int maxDedicatedConnections() { return maxDedicatedConnections; }

    /** Receives pushes (e.g. client-tracking invalidations) arriving on the shared connection, or null. */
    public PushListener pushListener() { return pushListener; }

    /** CLIENT TRACKING options sent in every handshake of this endpoint's connections, or null when off. */
    public List<String> tracking() { return tracking; }

    /** Hears of a lost shared connection and of error replies, or null (see {@link ConnectionEvents}). */
    public ConnectionEvents connectionEvents() { return connectionEvents; }

    /** Hears the shared connection's handshakes, losses, pushes and replies in parse order (a client cache), or null. */
    public CacheHook cacheHook() { return cacheHook; }

    /** A builder holding these options, to change some of them. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.sslContext = sslContext;
        b.verifyHostname = verifyHostname;
        b.limits = limits;
        b.maxDedicatedConnections = maxDedicatedConnections;
        b.pushListener = pushListener;
        b.tracking = tracking;
        b.connectionEvents = connectionEvents;
        b.cacheHook = cacheHook;
        return b;
    }

    /** Builds {@link ConnectionOptions}. */
    public static final class Builder {
        private SSLContext sslContext;
        private boolean verifyHostname = true;
        private RespLimits limits = RespLimits.DEFAULT;
        private int maxDedicatedConnections = 8;
        private PushListener pushListener;
        private List<String> tracking;
        private ConnectionEvents connectionEvents;
        private CacheHook cacheHook;

        private Builder() {
        }

        /** TLS with this context (its trust and key managers decide whom to trust and which client cert to show). */
        public Builder sslContext(SSLContext v) { sslContext = v; return this; }

        /**
         * TLS trusting the certificates in a PKCS#12 or JKS trust store (e.g. the CA that signed the server's).
         *
         * @throws IllegalArgumentException when the file cannot be read or is not a key store
         */
        public Builder trustStore(Path file, char[] password) {
            try (InputStream in = Files.newInputStream(file)) {
                KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
                ks.load(in, password);
                TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(ks);
                SSLContext ctx = SSLContext.getInstance("TLS");
                ctx.init(null, tmf.getTrustManagers(), null);
                sslContext = ctx;
                return this;
            } catch (IOException | GeneralSecurityException e) {
                throw new IllegalArgumentException("cannot load trust store " + file + ": " + e.getMessage()
                        + " (expected a PKCS#12 or JKS file and its password)", e);
            }
        }

        /**
         * No client tracking and no cache hook: for connections to other nodes made from a cached connection's
         * options (replicas, topology viewers), which no cache reads from.
         */
        public Builder withoutCache() { tracking = null; cacheHook = null; return this; }

        /** A client-side cache that hears the shared connection in parse order (see {@link CacheHook}); null: none. */
        public Builder cacheHook(CacheHook v) { cacheHook = v; return this; }

        /** Hostname verification for TLS (default on; turning it off accepts any certificate the trust allows). */
        public Builder verifyHostname(boolean v) { verifyHostname = v; return this; }

        /** Parser limits (depth, elements, bulk length) for replies on this endpoint. */
        public Builder limits(RespLimits v) { limits = Objects.requireNonNull(v); return this; }

        /** Upper bound on dedicated connections (blocking commands, transactions) for this endpoint (default 8). */
        public Builder maxDedicatedConnections(int v) {
            if (v < 1) {
                throw new IllegalArgumentException("maxDedicatedConnections must be >= 1, got " + v);
            }
            maxDedicatedConnections = v;
            return this;
        }

        /** Who hears pushes that arrive on the shared connection (client tracking); runs off the IO thread. */
        public Builder pushListener(PushListener v) { pushListener = v; return this; }

        /**
         * Turns on client-side caching support: {@code CLIENT TRACKING ON} plus these options (e.g. "BCAST",
         * "PREFIX", "user:") in every handshake; invalidations arrive at the {@link #pushListener} (RESP3).
         */
        public Builder tracking(String... options) { tracking = List.of(options); return this; }

        /**
         * Who hears that the shared connection was lost and that a server sent an error reply, on the IO duty's
         * thread (see {@link ConnectionEvents}: publish and return); null (default): nobody.
         */
        public Builder connectionEvents(ConnectionEvents v) { connectionEvents = v; return this; }

        public ConnectionOptions build() {
            return new ConnectionOptions(this);
        }
    }
}
