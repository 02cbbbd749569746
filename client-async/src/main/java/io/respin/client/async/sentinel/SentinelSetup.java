package io.respin.client.async.sentinel;

import io.respin.client.async.sentinel.NodeProbe.Access;
import io.respin.engine.sentinel.HostAndPort;
import io.respin.io.ConnectionOptions;
import io.respin.io.IoRuntime;
import io.respin.io.RedisUri;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Objects;
import javax.net.ssl.SSLContext;

/**
 * What a client builder gathers for Sentinel beyond the data nodes' settings: the {@code redis-sentinel://} URI,
 * the sentinels' own credentials and timeout, the TLS context. {@link #start} finds the primary and returns the
 * {@link SentinelFollower} that keeps the client on it. Not thread-safe (a builder's).
 */
public final class SentinelSetup {

    /** How long a sentinel (or a named node's ROLE check) may take to connect and to answer. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(500);

    private final SentinelUri uri;
    private String user;
    private String password;
    private Duration timeout = DEFAULT_TIMEOUT;
    private SSLContext sslContext;
    private boolean readFromReplicas;

    public SentinelSetup(SentinelUri uri) {
        this.uri = Objects.requireNonNull(uri);
    }

    public SentinelUri uri() {
        return uri;
    }

    /** The sentinels' ACL user (null: default) and password ({@code requirepass} in sentinel.conf). */
    public void credentials(String user, String password) {
        this.user = user;
        this.password = password;
    }

    /** Connect and reply timeout of each question to a sentinel, and of the ROLE check on a named node. */
    public void timeout(Duration t) {
        if (t.isNegative() || t.isZero()) {
            throw new IllegalArgumentException("sentinelTimeout must be > 0, got " + t);
        }
        this.timeout = t;
    }

    /** Whether read-only commands go to verified replicas. */
    public void readFromReplicas(boolean on) {
        this.readFromReplicas = on;
    }

    boolean readFromReplicas() {
        return readFromReplicas;
    }

    /** The TLS context for {@code rediss-sentinel://} (null: the JDK's default). */
    public void sslContext(SSLContext context) {
        this.sslContext = context;
    }

    /**
     * Finds the primary, connects the client's endpoint to it with {@code options} (the data nodes' settings of
     * {@code data}, which differs from {@link SentinelUri#data()} by what the builder changed) and follows it.
     */
    public SentinelFollower start(IoRuntime runtime, RedisUri data, ConnectionOptions.Builder options) {
        return SentinelFollower.start(runtime, this, data, options);
    }

    PrimaryFinder finder(RedisUri data) {
        SSLContext tls = data.tls() ? context() : null;
        long ms = timeout.toMillis();
        return new PrimaryFinder(uri.masterName(), uri.sentinels(),
                new Access(user, password, ms, tls, data.verifyPeer()),
                new Access(data.user(), data.password(), ms, tls, data.verifyPeer()));
    }

    /** The URI of one sentinel, for the {@code +switch-master} subscription; TLS when the data nodes' is. */
    RedisUri sentinelUri(HostAndPort sentinel, RedisUri data) {
        RedisUri u = RedisUri.tcp(sentinel.host(), sentinel.port()).withTls(data.tls()); // as the probes: the client's
        return password == null ? u : u.withCredentials(user, password);
    }

    ConnectionOptions.Builder sentinelOptions() {
        ConnectionOptions.Builder b = ConnectionOptions.builder();
        if (sslContext != null) {
            b.sslContext(sslContext);
        }
        return b;
    }

    private SSLContext context() {
        if (sslContext != null) {
            return sslContext;
        }
        try {
            return SSLContext.getDefault();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no default TLS context; give one with RedisClientBuilder.tls", e);
        }
    }

    @Override
    public String toString() {
        return "SentinelSetup[" + uri + ", sentinel user=" + user + ", sentinel password="
                + (password == null ? "none" : "***") + ", timeout=" + timeout.toMillis() + "ms]";
    }
}
