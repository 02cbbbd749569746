package io.respin.client.async;

import io.respin.client.async.sentinel.SentinelFollower;
import io.respin.client.async.sentinel.SentinelSetup;
import io.respin.client.async.sentinel.SentinelUri;
import io.respin.client.async.cluster.ClusterNodes;
import io.respin.client.async.cluster.ClusterOptions;
import io.respin.client.async.cluster.ClusterRouter;
import io.respin.client.async.cluster.ClusterSeeds;
import io.respin.engine.cluster.Redirects;
import io.respin.engine.resp.RespLimits;
import io.respin.io.ConnectionOptions;
import io.respin.io.IoListener;
import io.respin.io.IoRuntime;
import io.respin.io.IoSettings;
import io.respin.io.RedisEndpoint;
import io.respin.io.RedisUri;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import javax.net.ssl.SSLContext;

/**
 * Settings of a {@link RedisClient}, each with a default: command timeout 10 s, connect timeout 10 s, idle
 * strategy BACKOFF (an idle client costs ~0 CPU), submit queue 65,536 commands failing fast when full, RESP3
 * (falling back to RESP2 on servers without HELLO), reconnect backoff from a few ms up to about a second.
 *
 * <pre>{@code
 * RedisClient client = RedisClient.builder("redis://cache:6379")
 *         .commandTimeout(Duration.ofSeconds(2))
 *         .credentials("app", secret)
 *         .clientName("orders")
 *         .build();
 * }</pre>
 *
 * @param <C> the client {@link #build()} returns: {@link RedisClient}, or client-sync's {@code RedisClient}
 */
public final class RedisClientBuilder<C extends RedisClient> {
    private RedisUri uri;
    private final IoSettings.Builder io = IoSettings.builder();
    private CacheSettings cacheSettings;
    private final ConnectionOptions.Builder options = ConnectionOptions.builder();
    private final Function<RedisClient, C> view;
    private IoRuntime runtime;
    /** Null for one server; the seed addresses of a Redis Cluster. */
    private List<RedisUri> clusterSeeds;
    private ClusterOptions cluster = ClusterOptions.DEFAULT;

    /** Set for a {@code redis-sentinel://} URI (see docs/sentinel.md); {@link #uri} is then the data nodes' settings. */
    private final SentinelSetup sentinel;

    RedisClientBuilder(String uri, Function<RedisClient, C> view) {
        if (ClusterSeeds.isClusterUri(uri)) {
            this.sentinel = null;
            this.clusterSeeds = ClusterSeeds.parse(uri).seeds();
            this.uri = clusterSeeds.getFirst();
        } else {
            this.sentinel = SentinelUri.isSentinel(uri) ? new SentinelSetup(SentinelUri.parse(uri)) : null;
            this.uri = sentinel != null ? sentinel.uri().data() : RedisUri.parse(uri);
        }
        this.view = view;
    }

    /**
     * For a {@code redis-sentinel://} URI: the sentinels' own ACL user (null for "default") and password, when they
     * have one ({@code requirepass} in sentinel.conf). The URI's user info and {@link #credentials} are the data
     * nodes'.
     */
    public RedisClientBuilder<C> sentinelCredentials(String user, String password) {
        requireSentinel("sentinelCredentials").credentials(user, password);
        return this;
    }

    /**
     * Makes this a client of the Redis Cluster these nodes belong to ({@code "host:port"}; one reachable node is
     * enough, more survive a node being down at start): the same as a {@code redis-cluster://h1:p1,h2:p2} URI. The
     * builder's URI still gives the settings every node connection uses (credentials, TLS, timeout, name, RESP
     * version); its own address is not used unless it is among the seeds.
     *
     * <pre>{@code
     * RedisClient client = RedisClient.builder("redis://default:secret@ignored:6379")
     *         .clusterSeeds("10.0.0.1:7000", "10.0.0.2:7000")
     *         .build();
     * }</pre>
     */
    public RedisClientBuilder<C> clusterSeeds(String... hostPorts) {
        this.clusterSeeds = ClusterSeeds.of(uri, List.of(hostPorts)).seeds();
        return this;
    }

    /**
     * For a {@code redis-sentinel://} URI: how long each question to a sentinel, and the ROLE check of the node it
     * names, may take to connect and to answer (default 500 ms) before the next sentinel is asked.
     */
    public RedisClientBuilder<C> sentinelTimeout(Duration timeout) {
        requireSentinel("sentinelTimeout").timeout(timeout);
        return this;
    }

    /**
     * On a cluster client, how often the topology is refreshed even when nothing asks for it (default 10 s,
     * jittered; {@code Duration.ZERO}: only when a MOVED or a connection loss asks), so that an idle client still
     * follows a failover.
     */
    public RedisClientBuilder<C> clusterRefreshPeriod(Duration period) {
        cluster = cluster.withRefreshPeriod(period);
        return this;
    }

    /**
     * For a {@code redis-sentinel://} URI: send read-only commands ({@code GET}, {@code HGETALL}... — those the server
     * flags {@code readonly}) of {@code async()} and {@code sync()} to the replicas the sentinels list, each verified
     * with {@code ROLE}, in turn (default off: everything goes to the primary). A replica may lag: a read after a
     * write may not see it. Pipelines, transactions and pub/sub stay on the primary; with no usable replica, reads go
     * to the primary.
     */
    public RedisClientBuilder<C> readFromReplicas(boolean on) {
        requireSentinel("readFromReplicas").readFromReplicas(on);
        return this;
    }

    private SentinelSetup requireSentinel(String setting) {
        if (sentinel == null) {
            throw new IllegalStateException(setting + " is a setting of a redis-sentinel:// URI; this client's URI is "
                    + uri);
        }
        return sentinel;
    }

    /**
     * On a cluster client, where read-only commands go (default {@link ReadFrom#PRIMARY}): replicas serve them after
     * {@code READONLY}, possibly a little behind their primary.
     */
    public RedisClientBuilder<C> clusterReadFrom(ReadFrom from) {
        cluster = cluster.withReadFrom(Objects.requireNonNull(from, "clusterReadFrom: from is null"));
        return this;
    }

    /**
     * On a cluster client, the most MOVED/ASK redirects and TRYAGAIN/CLUSTERDOWN retries one command may take
     * (default 5; retries back off from 10 ms, doubling, up to 500 ms), always inside its timeout.
     */
    public RedisClientBuilder<C> clusterMaxRedirects(int redirects) {
        Redirects.Policy p = cluster.redirects();
        cluster = cluster.withRedirects(new Redirects.Policy(redirects, p.firstBackoffNanos(), p.maxBackoffNanos()));
        return this;
    }

    /** Deadline of each command, from submit to reply. */
    public RedisClientBuilder<C> commandTimeout(Duration timeout) {
        io.commandTimeout(timeout);
        return this;
    }

    /** Time allowed for connect, TLS and the Redis handshake. */
    public RedisClientBuilder<C> connectTimeout(Duration timeout) {
        io.connectTimeout(timeout);
        return this;
    }

    /** BUSY_SPIN for the lowest latency (burns a core), BACKOFF (default) to cost ~0 CPU when idle. */
    public RedisClientBuilder<C> idleStrategy(IoSettings.Idle idle) {
        io.idleStrategy(idle);
        return this;
    }

    /**
     * Whether a caller that finds the IO thread asleep with nothing in flight sends its command (and, when sync,
     * reads the reply) itself, saving two thread hand-offs (default on; see {@link IoSettings.Builder#submitterWrites}).
     */
    public RedisClientBuilder<C> submitterWrites(boolean on) {
        io.submitterWrites(on);
        return this;
    }

    /**
     * Pub/sub messages and MONITOR lines that may wait for slow listeners before new ones are dropped and counted
     * (default 65,536; see {@link IoSettings.Builder#pushQueueCapacity} and {@link PubSub#dropped()}). Listeners
     * run on a thread of their own, so however slow they are, commands are not delayed.
     */
    public RedisClientBuilder<C> pushQueueCapacity(int messages) {
        io.pushQueueCapacity(messages);
        return this;
    }

    /** The IO settings this builder has gathered so far (tests check that each builder method reaches them). */
    IoSettings ioSettings() {
        return io.build();
    }

    /**
     * The most commands the client holds at once — queued, waiting for a connection, in flight (default 65,536);
     * beyond it a command meets the backpressure policy. Memory stays bounded whatever callers do.
     */
    public RedisClientBuilder<C> maxPendingCommands(int commands) {
        io.maxPendingCommands(commands);
        return this;
    }

    /**
     * The most bytes of command values (SET's, MSET's, HSET's, RPUSH's... as the codec weighs them) one client holds
     * in commands not yet answered (default 256 MiB); beyond it a submit gets the {@link #backpressure} policy. One
     * command larger than the bound goes alone.
     */
    public RedisClientBuilder<C> maxPendingBytes(long bytes) {
        io.maxPendingBytes(bytes);
        return this;
    }

    /** The older name of {@link #maxPendingCommands(int)}. */
    public RedisClientBuilder<C> submitQueueCapacity(int commands) {
        return maxPendingCommands(commands);
    }

    /**
     * Off-heap buffers of each connection: they start at {@code initial} bytes and grow up to {@code max} for a
     * large reply (default 64 KiB and 64 MiB), shrinking back after a run of small ones.
     */
    public RedisClientBuilder<C> readBuffer(int initial, int max) {
        io.readBuffer(initial, max);
        return this;
    }

    /** The same for commands being written (default 64 KiB and 64 MiB). */
    public RedisClientBuilder<C> writeBuffer(int initial, int max) {
        io.writeBuffer(initial, max);
        return this;
    }

    /**
     * What a command submitted while its connection is down does: wait for the reconnect, bounded by its deadline
     * (default {@code WAIT}), or fail at once, unsent ({@code FAIL_FAST}).
     */
    public RedisClientBuilder<C> whenDisconnected(IoSettings.WhenDisconnected policy) {
        io.whenDisconnected(policy);
        return this;
    }

    /**
     * PING a connection the server has been silent on for this long (default off); no answer closes and reopens
     * it, which finds peers that vanished without closing the socket.
     */
    public RedisClientBuilder<C> idlePing(Duration after) {
        io.idlePing(after);
        return this;
    }

    /**
     * Whether a read-only command (GET, HGETALL, ZRANGE... — those the server flags {@code readonly}) that a
     * connection loss caught on the wire is sent once more after the reconnect, within its deadline (default on).
     * Writes are never resent: one that was written without a reply may have run, and fails with
     * {@code outcomeUnknown()}. Off: reads fail that way too.
     */
    public RedisClientBuilder<C> retryReadOnly(boolean on) {
        io.retryIdempotent(on);
        return this;
    }

    /** What a command beyond {@link #maxPendingCommands} does: wait for room up to its deadline (default) or fail. */
    public RedisClientBuilder<C> backpressure(IoSettings.Backpressure policy) {
        io.backpressure(policy);
        return this;
    }

    /** RESP version to ask for: 3 (default) or 2. Typed results are the same on both. */
    public RedisClientBuilder<C> protocol(int resp) {
        uri = uri.withProtocol(resp);
        return this;
    }

    /** ACL user (null for "default") and password. */
    public RedisClientBuilder<C> credentials(String user, String password) {
        uri = uri.withCredentials(user, password);
        return this;
    }

    /** CLIENT SETNAME on every connection. */
    public RedisClientBuilder<C> clientName(String name) {
        uri = uri.withClientName(name);
        return this;
    }

    public RedisClientBuilder<C> database(int db) {
        uri = uri.withDatabase(db);
        return this;
    }

    /** TLS with this context (trust and client certificates); same as a {@code rediss://} URI with it. */
    public RedisClientBuilder<C> tls(SSLContext context) {
        uri = uri.withTls(true);
        options.sslContext(Objects.requireNonNull(context));
        if (sentinel != null) {
            sentinel.sslContext(context);
        }
        return this;
    }

    /** Reconnect backoff: first delay, largest delay, jitter fraction (0..1). */
    public RedisClientBuilder<C> reconnectBackoff(Duration min, Duration max, double jitter) {
        io.reconnectBackoff(min, max, jitter);
        return this;
    }

    /** Bound on connections for blocking commands and transactions (default 8). */
    public RedisClientBuilder<C> maxDedicatedConnections(int n) {
        options.maxDedicatedConnections(n);
        return this;
    }

    /**
     * The longest value a reply may hold (default 512 MiB, Redis's {@code proto-max-bulk-len}). A longer one fails
     * only its command, with {@link io.respin.RedisLimitException}; the rest of that reply is read and dropped and the
     * connection carries on.
     */
    public RedisClientBuilder<C> maxBulk(long bytes) {
        options.limits(RespLimits.DEFAULT.withMaxBulk(bytes));
        return this;
    }

    /**
     * Who hears of every command that ends (name, duration, outcome), of connections going down and up, and of
     * backpressure: a metrics or tracing adapter ({@link IoListener}; see docs/observability.md). Default none,
     * which costs nothing. Ignored with {@link #runtime(IoRuntime)}: a shared runtime has its own
     * ({@link IoSettings.Builder#listener}).
     */
    public RedisClientBuilder<C> listener(IoListener listener) {
        io.listener(listener);
        return this;
    }

    /**
     * Client-side caching: {@code CLIENT TRACKING} on the shared connection and a cache of the replies of
     * {@code client.cached()} / {@code cachedAsync()} reads, bounded in bytes, kept until the server says the key
     * changed (see docs/caching.md). Needs RESP3 (the default {@link #protocol}). With Sentinel the cache lives on the
     * current primary's connection (a failover empties it); on a Cluster each primary's shared connection tracks and
     * has a cache of its own, cached reads go to the primary of their key's slot whatever {@code readFrom} says, and a
     * node's entries of a slot it lost are dropped. Default off.
     */
    public RedisClientBuilder<C> clientCache(CacheSettings settings) {
        this.cacheSettings = Objects.requireNonNull(settings, "clientCache: settings is null");
        return this;
    }

    /** Share an existing IO runtime (many clients, one IO thread); the client will not close it. */
    public RedisClientBuilder<C> runtime(IoRuntime shared) {
        this.runtime = shared;
        return this;
    }

    /** Starts the IO runtime (unless shared) and connects; throws if the server is unreachable or refuses. */
    public C build() {
        boolean owns = runtime == null;
        IoRuntime rt = owns ? IoRuntime.start(io.build()) : runtime;
        PushRouter router = new PushRouter();
        try {
            if (cacheSettings != null) {
                refuseCacheWithout();
                if (clusterSeeds == null) { // a cluster's primaries get a cache each (ClusterNodes), nothing else does
                    options.tracking(cacheSettings.trackingOptions().toArray(new String[0]))
                            .cacheHook(new io.respin.client.async.cache.TrackedCache(cacheSettings));
                }
            }
            ConnectionOptions connection = options.pushListener(router).build();
            if (clusterSeeds != null) {
                return view.apply(buildCluster(rt, owns, router, connection));
            }
            if (sentinel != null) {
                SentinelFollower f = sentinel.start(rt, uri, options.pushListener(router));
                return view.apply(new RedisClient(rt, owns, f.endpoint(), router, f, f.commandTarget(), null));
            }
            RedisEndpoint endpoint = rt.connect(uri, connection);
            return view.apply(new RedisClient(rt, owns, endpoint, router));
        } catch (RuntimeException e) {
            if (owns) {
                rt.close();
            }
            throw e;
        }
    }

    /** Client-side caching needs RESP3: invalidations arrive on the same connection. */
    private void refuseCacheWithout() {
        if (uri.protocol() != 3) {
            throw new IllegalArgumentException("client-side caching (RedisClientBuilder.clientCache) needs RESP3, and the "
                    + "protocol is set to " + uri.protocol() + ": remove protocol(2) from the builder (or ?protocol=2 "
                    + "from the URI); invalidations arrive as RESP3 pushes on the cached connection");
        }
    }

    private RedisClient buildCluster(IoRuntime rt, boolean owns, PushRouter router, ConnectionOptions connection) {
        if (uri.database() != 0) {
            throw new IllegalArgumentException("a Redis Cluster has database 0 only, and the URI (or database()) asks "
                    + "for " + uri.database() + ": remove /" + uri.database() + " from the redis-cluster:// URI");
        }
        List<RedisUri> seeds = clusterSeeds.stream().map(s -> uri.withAddress(s.host(), s.port())).toList();
        ClusterNodes nodes = ClusterNodes.bootstrap(rt, seeds, connection, cluster, cacheSettings);
        try {
            long timeout = uri.timeout() != null ? uri.timeout().toNanos() : rt.settings().commandTimeoutNanos();
            RedisEndpoint first = nodes.anyPrimary();
            if (first == null) {
                throw new io.respin.RedisConnectionException("cannot bootstrap the Redis Cluster: no primary that "
                        + "serves slots could be reached (" + nodes.map() + ")", false);
            }
            // the client's own endpoint (endpoint(), its push counters): one primary, apart from the routed ones
            RedisEndpoint endpoint = rt.connect(first.uri(), connection);
            return new RedisClient(rt, owns, endpoint, router, null, endpoint::submit,
                    new ClusterRouter(nodes, cluster, timeout));
        } catch (RuntimeException e) {
            nodes.close();
            throw e;
        }
    }
}
