package io.respin.client.async.cluster;

import io.respin.RedisConnectionException;
import io.respin.RedisException;
import io.respin.RedisServerException;
import io.respin.client.async.RedisAsyncCommands;
import io.respin.engine.cluster.ClusterReplies;
import io.respin.engine.cluster.SlotMap;
import io.respin.engine.cluster.TopologyVote;
import io.respin.engine.command.Command;
import io.respin.engine.command.Commands;
import io.respin.io.ConnectionOptions;
import io.respin.io.IoRuntime;
import io.respin.io.RedisEndpoint;
import io.respin.io.RedisUri;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The client's view of a Redis Cluster: the current {@link SlotMap} (immutable, swapped whole) and one
 * {@link RedisEndpoint} per node on the shared {@link IoRuntime}. It owns the topology thread, which does
 * everything that may block — connecting to a node, asking nodes for {@code CLUSTER SHARDS}, delayed retries — so
 * that neither the IO thread nor the completion thread ever waits for the network.
 *
 * <p>Refresh: {@link #requestRefresh()} is single-flight (a refresh asked for while one runs joins it) and
 * starts after a small random delay, so that many clients hit by the same failover do not ask at the same instant.
 * A refresh asks up to {@value #VIEWS} nodes (the current primaries first, then replicas, then the seeds) at once,
 * and {@link TopologyVote} picks the view most of them agree on. Endpoints of nodes that are no longer primaries
 * are closed after {@code drain}: commands still queued there fail unsent and their router sends them to the new
 * owner. Periodic refreshes run every {@link ClusterOptions#refreshPeriod()}, jittered.
 *
 * <pre>{@code
 * ClusterNodes nodes = ClusterNodes.bootstrap(runtime, seeds, options, ClusterOptions.DEFAULT);
 * SlotMap map = nodes.map();
 * RedisEndpoint owner = nodes.endpoint(map.primary(slot));
 * }</pre>
 */
public final class ClusterNodes implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("io.respin.cluster");
    /** How many nodes one refresh asks. */
    static final int VIEWS = 5;
    /** A refresh asked for starts within this many ms (uniformly random), so that clients do not storm. */
    private static final int JITTER_MS = 50;
    /** Refreshes are at least this far apart (ms), however many MOVED or disconnects ask for one. */
    private static final int MIN_INTERVAL_MS = 100;
    /** While a primary does not answer, refreshes follow each other this far apart at first (ms). */
    private static final int FOLLOW_UP_MS = 250;
    /** How long a refresh waits for every node before it votes with the (at least two) views it has. */
    private static final long QUORUM_WAIT_NANOS = 200_000_000L;
    /** How long the endpoint of a node that left stays open for the replies in flight on it. */
    private static final long DRAIN_NANOS = 200_000_000L;

    private final IoRuntime runtime;
    private final List<RedisUri> seeds;
    private final ConnectionOptions options;
    private final ClusterOptions settings;
    private final long drainNanos;
    private final Map<String, RedisEndpoint> endpoints = new ConcurrentHashMap<>();
    /**
     * Connections that only ask for the topology, to nodes that serve no slots (replicas, seeds): kept from refresh
     * to refresh while the node is in the topology and not failed, so that a refresh does not open and close one
     * each time.
     */
    private final Map<String, RedisEndpoint> viewers = new ConcurrentHashMap<>();
    /** Replica connections (READONLY), for reads when ClusterOptions.readFrom() is not PRIMARY. */
    private final Map<String, RedisEndpoint> replicas = new ConcurrentHashMap<>();
    /** Replicas being connected on the topology thread. */
    private final Set<String> connecting = ConcurrentHashMap.newKeySet();
    private final AtomicReference<SlotMap> map = new AtomicReference<>(SlotMap.empty(0));
    private final AtomicLong versions = new AtomicLong();
    private final AtomicReference<CompletableFuture<SlotMap>> refreshing = new AtomicReference<>();
    private final ScheduledExecutorService topology;
    private final AtomicLong refreshes = new AtomicLong();
    private volatile long lastRefreshNanos;
    /** Follow-up refreshes in a row, while some primary does not answer (topology thread only). */
    private int followUps;
    /** The primaries of the installed map that serve slots (a failed primary replaced by its replica serves none). */
    private volatile List<SlotMap.Node> serving = List.of();
    private volatile boolean closed;
    /**
     * Primaries that serve slots whose shared connection was lost ("host:port"), until they answer again or leave
     * the topology: a refresh does not wait for them, and their endpoint closes at once when they leave.
     */
    private final Set<String> down = ConcurrentHashMap.newKeySet();
    /**
     * When each lost primary's outage began ("host:port" → nanoTime of its first watch): a failed reconnect reports
     * the loss again, and must not start a new watch once this outage's has run its time.
     */
    private final Map<String, Long> outages = new ConcurrentHashMap<>();
    /** One {@link PromotionWatch} per lost primary ("host:port"), on {@link #watcher}. */
    private final Map<String, PromotionWatch> watches = new ConcurrentHashMap<>();
    /** The thread of the promotion watches: their ticks never wait behind a refresh on the topology thread. */
    private final ScheduledExecutorService watcher;
    /** A replica a watch saw promoted: the next refresh asks it first. */
    private volatile SlotMap.Node promotedHint;
    private volatile long lastPromotedRefreshNanos;
    /** Completed (and replaced) by each install: waits for a retry end as soon as a new map is in. */
    private volatile CompletableFuture<SlotMap> nextInstall = new CompletableFuture<>();
    /** Test hook: false turns the promotion watches off (the follow-up refreshes alone find the new primary). */
    static volatile boolean watchPromotions = true;
    /** Told of each primary endpoint closed because its node left the topology (on the topology thread). */
    private final List<java.util.function.Consumer<RedisEndpoint>> leftListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** Client-side caching: a cache per primary's shared connection; null when the client has none. */
    private final ClusterCache cache;

    private ClusterNodes(IoRuntime runtime, List<RedisUri> seeds, ConnectionOptions options, ClusterOptions settings,
                         io.respin.client.async.CacheSettings cacheSettings) {
        this.cache = cacheSettings == null ? null : new ClusterCache(cacheSettings, this);
        this.runtime = runtime;
        this.seeds = List.copyOf(seeds);
        this.options = options;
        this.settings = settings;
        this.drainNanos = runtime.settings().commandTimeoutNanos();
        this.topology = daemonThread("respin-cluster-topology");
        this.watcher = daemonThread("respin-cluster-watch");
    }

    private static ScheduledExecutorService daemonThread(String name) {
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
            Thread th = new Thread(r, name);
            th.setDaemon(true);
            return th;
        });
        t.setRemoveOnCancelPolicy(true);
        return t;
    }

    /**
     * Asks the seeds, in turn, for the topology until {@value #VIEWS} have answered (or all were tried), picks the
     * view by vote, and connects to every primary. Blocks the caller.
     *
     * @throws RedisConnectionException no seed answered as a cluster node; the message has each seed's reason
     */
    public static ClusterNodes bootstrap(IoRuntime runtime, List<RedisUri> seeds, ConnectionOptions options,
                                         ClusterOptions settings) {
        return bootstrap(runtime, seeds, options, settings, null);
    }

    /**
     * {@link #bootstrap(IoRuntime, List, ConnectionOptions, ClusterOptions)} with client-side caching: each primary's
     * shared connection tracks and has a cache of its own ({@link ClusterCache}); {@code options} must have none.
     */
    public static ClusterNodes bootstrap(IoRuntime runtime, List<RedisUri> seeds, ConnectionOptions options,
                                         ClusterOptions settings, io.respin.client.async.CacheSettings cache) {
        ClusterNodes nodes = new ClusterNodes(runtime, seeds, options, settings, cache);
        try {
            nodes.start();
            return nodes;
        } catch (RuntimeException e) {
            nodes.close();
            throw e;
        }
    }

    private void start() {
        List<SlotMap> views = new ArrayList<>();
        Map<String, String> reasons = new LinkedHashMap<>();
        for (RedisUri seed : seeds) {
            if (views.size() >= VIEWS) {
                break;
            }
            try {
                views.add(view(connect(seed.host(), seed.port()), seed.host()).get());
            } catch (RuntimeException | InterruptedException | ExecutionException e) {
                reasons.put(seed.address(), reason(e));
            }
        }
        if (views.isEmpty()) {
            boolean notCluster = reasons.values().stream().anyMatch(r -> r.contains("cluster support disabled"));
            throw new RedisConnectionException("cannot bootstrap the Redis Cluster: no seed node answered CLUSTER "
                    + "SHARDS or CLUSTER SLOTS. " + reasons + (notCluster ? ". A server with cluster support disabled "
                    + "is a standalone Redis: connect to it with a redis:// URI, or give redis-cluster:// the address "
                    + "of a cluster node" : ". Check the seed addresses in the redis-cluster:// URI (or "
                    + "RedisClientBuilder.clusterSeeds)"), false);
        }
        install(TopologyVote.pick(views).winner());
        if (map.get().coveredSlots() == 0) {
            throw new RedisConnectionException("cannot bootstrap the Redis Cluster: the seed nodes "
                    + seeds.stream().map(RedisUri::address).toList() + " are cluster nodes but serve no slot yet "
                    + "(a cluster not created, or every node reset); create it with redis-cli --cluster create", false);
        }
        long period = settings.refreshPeriod().toMillis();
        if (period > 0) {
            topology.scheduleWithFixedDelay(this::periodicRefresh,
                    period + ThreadLocalRandom.current().nextLong(Math.max(1, period / 10)), period, TimeUnit.MILLISECONDS);
        }
    }

    private static String reason(Throwable e) {
        Throwable c = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        return c instanceof RedisException ? c.getMessage() : c.toString();
    }

    /** The current slot map. */
    public SlotMap map() {
        return map.get();
    }

    /** The client-side caches of the primaries, or null when the client has none. */
    public ClusterCache cache() {
        return cache;
    }

    /** How the client follows the cluster. */
    ClusterOptions clusterOptions() {
        return settings;
    }

    /** Refreshes completed so far (tests and metrics). */
    public long refreshes() {
        return refreshes.get();
    }

    /** The thread for connects, refreshes and delayed retries. */
    ScheduledExecutorService topologyThread() {
        return topology;
    }

    /** The command timeout endpoints of this runtime get by default. */
    long commandTimeoutNanos() {
        return runtime.settings().commandTimeoutNanos();
    }

    public boolean isClosed() {
        return closed;
    }

    /** The open endpoint of {@code node}, or null when there is none yet (connect it on the topology thread). */
    public RedisEndpoint endpoint(SlotMap.Node node) {
        RedisEndpoint e = endpoints.get(key(node.host(), node.port()));
        return e == null || e.isClosed() ? null : e;
    }

    /**
     * The READONLY endpoint of replica {@code node}, or null while there is none; then one is opened on the topology
     * thread, so that a later read finds it.
     */
    public RedisEndpoint replicaEndpoint(SlotMap.Node node) {
        String key = key(node.host(), node.port());
        RedisEndpoint e = replicas.get(key);
        if (e != null && !e.isClosed()) {
            return e;
        }
        if (!closed && connecting.add(key)) {
            try {
                topology.execute(() -> {
                    try {
                        connectReplica(node.host(), node.port());
                    } catch (RuntimeException unreachable) {
                        LOG.log(System.Logger.Level.DEBUG, "cluster replica {0} unreachable: {1}", node, unreachable.getMessage());
                    } finally {
                        connecting.remove(key);
                    }
                });
            } catch (RuntimeException rejected) {
                connecting.remove(key);
            }
        }
        return null;
    }

    private void connectReplica(String host, int port) {
        synchronized (this) {
            if (closed) {
                return;
            }
            RedisEndpoint e = runtime.connect(seeds.getFirst().withAddress(host, port), options);
            e.submit(new ClusterRouter.Control("READONLY")); // before any read: the connection is FIFO
            RedisEndpoint old = replicas.put(key(host, port), e);
            if (old != null) {
                old.close();
            }
        }
    }

    /**
     * The endpoint of node {@code host:port} for commands meant for that node alone (a per-node client): its primary
     * endpoint, or its READONLY one for a replica, connected now if needed (blocks).
     *
     * @throws IllegalArgumentException the current topology has no such node
     */
    public RedisEndpoint nodeEndpoint(String host, int port) {
        SlotMap.Node n = map.get().node(host, port);
        if (n == null) {
            throw new IllegalArgumentException(host + ":" + port + " is not a node of the cluster as the client knows "
                    + "it now; its nodes are " + map.get().nodes().stream().map(x -> key(x.host(), x.port())).sorted()
                    .toList());
        }
        if (n.role() == SlotMap.Role.REPLICA) {
            RedisEndpoint e = replicas.get(key(host, port));
            if (e == null || e.isClosed()) {
                connectReplica(host, port);
                e = replicas.get(key(host, port));
            }
            if (e == null) {
                throw new RedisConnectionException("the cluster client is closed", false);
            }
            return e;
        }
        return connect(host, port);
    }

    /**
     * Adds a listener told of every primary endpoint closed because its node no longer serves slots (failed over,
     * removed), once it is closed: what lived on that connection (subscriptions) must move.
     */
    public void onNodeLeft(java.util.function.Consumer<RedisEndpoint> listener) {
        leftListeners.add(listener);
    }

    private void closeLeft(RedisEndpoint gone) {
        gone.close();
        for (java.util.function.Consumer<RedisEndpoint> l : leftListeners) {
            try {
                l.accept(gone);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "cluster: a node-left listener threw: {0}", e.toString());
            }
        }
    }

    /** True for a replica (READONLY) endpoint. */
    boolean isReplicaEndpoint(RedisEndpoint e) {
        return replicas.containsValue(e);
    }

    /** READONLY once more on {@code replica}: after a reconnect the new connection has forgotten it. */
    void readOnlyAgain(RedisEndpoint replica) {
        try {
            replica.submit(new ClusterRouter.Control("READONLY"));
        } catch (RuntimeException closedMeanwhile) {
            // the next refresh replaces it
        }
    }

    /** The endpoint of {@code host:port}, connected now if needed: blocks, so never on a completion callback. */
    public RedisEndpoint connect(String host, int port) {
        if (closed) {
            throw new RedisConnectionException("the cluster client is closed", false);
        }
        String key = key(host, port);
        RedisEndpoint e = endpoints.get(key);
        if (e != null && !e.isClosed()) {
            return e;
        }
        synchronized (this) {
            e = endpoints.get(key);
            if (e == null || e.isClosed()) {
                ConnectionOptions o = watched(host, port); // a loss starts a promotion watch
                e = runtime.connect(seeds.getFirst().withAddress(host, port),
                        cache == null ? o : cache.primaryOptions(o, host, port));
                endpoints.put(key, e);
                if (closed) {
                    e.close();
                }
            }
            return e;
        }
    }

    /**
     * The options of a primary's endpoint: the client's, and a {@link io.respin.io.ConnectionEvents} that marks the
     * node {@link #down} and starts watching its replicas the moment its shared connection drops (on the IO thread:
     * it only hands the news to the watch thread).
     */
    private ConnectionOptions watched(String host, int port) {
        io.respin.io.ConnectionEvents user = options.connectionEvents();
        String key = key(host, port);
        return options.toBuilder().connectionEvents(new io.respin.io.ConnectionEvents() {
            @Override public void onConnectionLost(String address, RedisConnectionException why) {
                if (!closed) {
                    down.add(key);
                    try {
                        watcher.execute(() -> watch(host, port));
                    } catch (RuntimeException closing) {
                        // the client is closing
                    }
                }
                if (user != null) {
                    user.onConnectionLost(address, why);
                }
            }

            @Override public void onServerError(io.respin.RedisServerException error) {
                if (user != null) {
                    user.onServerError(error);
                }
            }
        }).build();
    }

    /**
     * Starts a {@link PromotionWatch} of {@code host:port}'s replicas if it is a primary that serves slots in the
     * installed map and none watches it yet.
     */
    private void watch(String host, int port) {
        if (closed || !watchPromotions) {
            return;
        }
        SlotMap m = map.get();
        String key = key(host, port);
        for (SlotMap.Shard shard : m.shards()) {
            List<SlotMap.SlotRange> slots = m.slots(shard);
            if (!shard.primary().isAt(host, port) || slots.isEmpty() || watches.containsKey(key)) {
                continue;
            }
            long began = outages.computeIfAbsent(key, k -> System.nanoTime());
            if (System.nanoTime() - began > TimeUnit.SECONDS.toNanos(PromotionWatch.FOR_SECONDS)) {
                continue; // this outage was watched for its time: the follow-up refreshes go on alone
            }
            // with no replica to ask, the watch only sees the primary come back (and clears it from `down`)
            PromotionWatch w = new PromotionWatch(this, watcher, shard.primary(), slots.getFirst().from(),
                    shard.replicas(), () -> watches.remove(key));
            if (watches.putIfAbsent(key, w) == null) {
                LOG.log(System.Logger.Level.DEBUG, "cluster: primary {0} lost; watching its replicas {1}",
                        shard.primary(), shard.replicas());
                w.start();
            }
        }
    }

    /** True once {@code slot} has a live primary again: a new one installed and connected, or {@code lost} back. */
    boolean servedAgain(SlotMap.Node lost, int slot) {
        String lostKey = key(lost.host(), lost.port());
        SlotMap.Node now = map.get().primary(slot);
        if (now == null) {
            return false;
        }
        if (!now.isAt(lost.host(), lost.port())) {
            return endpoint(now) != null && !down.contains(key(now.host(), now.port()));
        }
        RedisEndpoint e = endpoints.get(lostKey);
        if (e != null && !e.isClosed() && e.status().sharedState() == io.respin.io.ConnectionStatus.State.READY) {
            down.remove(lostKey); // it came back (restarted before a replica took over)
            outages.remove(lostKey);
            return true;
        }
        return false;
    }

    /**
     * A watch saw {@code replica} answer ROLE {@code master}: refresh now (a little jitter, no minimum interval;
     * at most every 50 ms), asking it first. The watch goes on until the map shows a live primary.
     */
    void promoted(SlotMap.Node replica, PromotionWatch by) {
        long now = System.nanoTime();
        if (closed || now - lastPromotedRefreshNanos < 50_000_000L) {
            return;
        }
        lastPromotedRefreshNanos = now;
        promotedHint = replica;
        LOG.log(System.Logger.Level.DEBUG, "cluster: {0} (replica of lost {1}) says it is a primary: refreshing",
                replica, by.lost());
        requestRefresh(0, 10);
    }

    /** The connection for topology questions to {@code host:port}: a kept one, else a new one. Blocks to connect. */
    RedisEndpoint viewerOf(String host, int port) {
        String key = key(host, port);
        RedisEndpoint e = viewers.get(key);
        if (e == null || e.isClosed()) {
            e = replicas.get(key);
        }
        if (e == null || e.isClosed()) {
            e = endpoints.get(key);
        }
        if (e != null && !e.isClosed()) {
            return e;
        }
        synchronized (this) {
            e = viewers.get(key);
            return e != null && !e.isClosed() ? e : viewer(host, port);
        }
    }

    /**
     * Runs {@code task} on the topology thread after {@code delay}; false (nothing scheduled) once the client is
     * closed, so that no task of a closed client waits anywhere.
     */
    public boolean later(Runnable task, long delay, TimeUnit unit) {
        if (closed) {
            return false;
        }
        try {
            topology.schedule(task, delay, unit);
            return true;
        } catch (RuntimeException rejected) {
            return false;
        }
    }

    /** Completes when the next map is installed (a refresh's, not a MOVED's). */
    CompletableFuture<SlotMap> nextInstall() {
        return nextInstall;
    }

    /** Promotion watches running now (tests). */
    int watching() {
        return watches.size();
    }

    /**
     * The endpoint of the first connected primary, for keyless commands; null when none is connected. Always the
     * same node while the topology stands, so that a SCAN cursor's pages come from the node that made it.
     */
    public RedisEndpoint anyPrimary() {
        for (SlotMap.Node p : serving) {
            RedisEndpoint e = endpoint(p);
            if (e != null) {
                return e;
            }
        }
        return null;
    }

    /** The primaries of the installed topology that serve slots, in address order. */
    public List<SlotMap.Node> servingPrimaries() {
        List<SlotMap.Node> sorted = new ArrayList<>(serving);
        sorted.sort(java.util.Comparator.comparing(SlotMap.Node::host).thenComparingInt(SlotMap.Node::port));
        return sorted;
    }

    /** After a MOVED: the slot is {@code host:port}'s from now on (until a refresh says otherwise). */
    public void moved(int slot, String host, int port) {
        while (true) {
            SlotMap before = map.get();
            SlotMap.Node owner = before.primary(slot);
            if (owner != null && owner.isAt(host, port)) {
                return;
            }
            SlotMap after = before.withMoved(slot, host, port);
            if (map.compareAndSet(before, after)) {
                ownersChanged(before, after);
                return;
            }
        }
    }

    /** The caches of nodes that lost slots drop those slots' keys (on the topology thread: submitting may wait). */
    private void ownersChanged(SlotMap before, SlotMap after) {
        if (cache == null || before.coveredSlots() == 0) {
            return;
        }
        try {
            topology.execute(() -> cache.ownersChanged(before, after));
        } catch (RuntimeException closed) {
            // the client is closing: every cache goes with its connection
        }
    }

    /**
     * Starts a refresh unless one is running (then returns that one) or one ended less than
     * {@value #MIN_INTERVAL_MS} ms ago (then one starts when that time is up). Never blocks.
     */
    public CompletableFuture<SlotMap> requestRefresh() {
        return requestRefresh(MIN_INTERVAL_MS, JITTER_MS);
    }

    private CompletableFuture<SlotMap> requestRefresh(int minIntervalMs, int jitterMs) {
        CompletableFuture<SlotMap> running = refreshing.get();
        if (running != null) {
            return running;
        }
        CompletableFuture<SlotMap> mine = new CompletableFuture<>();
        if (!refreshing.compareAndSet(null, mine)) {
            return refreshing.get();
        }
        long sinceLast = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastRefreshNanos);
        long delay = Math.max(0, minIntervalMs - sinceLast) + ThreadLocalRandom.current().nextInt(jitterMs);
        try {
            topology.schedule(() -> refresh(mine), delay, TimeUnit.MILLISECONDS);
        } catch (RuntimeException rejected) { // closed
            refreshing.set(null);
            mine.completeExceptionally(new RedisConnectionException("the cluster client is closed", false));
        }
        return mine;
    }

    private void periodicRefresh() {
        requestRefresh();
    }

    private void refresh(CompletableFuture<SlotMap> done) {
        try {
            SlotMap now = refreshNow();
            refreshing.set(null);
            done.complete(now);
        } catch (Throwable t) {
            refreshing.set(null);
            LOG.log(System.Logger.Level.DEBUG, "cluster topology refresh failed: {0}", t.toString());
            done.completeExceptionally(t);
        } finally {
            lastRefreshNanos = System.nanoTime();
        }
    }

    /** Asks up to {@value #VIEWS} nodes at once, votes, installs the winner. On the topology thread. */
    private SlotMap refreshNow() throws InterruptedException {
        if (closed) {
            return map.get();
        }
        SlotMap current = map.get();
        List<String[]> candidates = new ArrayList<>();
        SlotMap.Node hint = promotedHint;
        promotedHint = null;
        if (hint != null) { // a replica that says it was promoted: its view has the new epoch
            candidates.add(new String[] {hint.host(), Integer.toString(hint.port())});
        }
        List<SlotMap.Node> lost = new ArrayList<>();
        for (SlotMap.Node n : serving) {
            String k = key(n.host(), n.port());
            if (down.contains(k) && watches.containsKey(k)) {
                lost.add(n); // its connection is down (and watched): asking it would only hold the vote up
                continue;
            }
            candidates.add(new String[] {n.host(), Integer.toString(n.port()), "serving"});
        }
        for (SlotMap.Node n : current.nodes()) {
            if (n.role() == SlotMap.Role.REPLICA && n.health() != SlotMap.Health.FAILED) { // a failed one would only time out
                candidates.add(new String[] {n.host(), Integer.toString(n.port())});
            }
        }
        for (RedisUri s : seeds) {
            candidates.add(new String[] {s.host(), Integer.toString(s.port())});
        }
        List<CompletableFuture<SlotMap>> asked = new ArrayList<>();
        List<String> askedKeys = new ArrayList<>();
        for (String[] c : candidates) {
            String key = key(c[0], Integer.parseInt(c[1]));
            if (asked.size() >= VIEWS || askedKeys.contains(key)) {
                continue;
            }
            RedisEndpoint e = endpoints.get(key);
            if (e == null || e.isClosed()) {
                e = viewers.get(key);
            }
            if (e == null || e.isClosed()) {
                try {
                    e = c.length > 2 ? connect(c[0], Integer.parseInt(c[1])) : viewer(c[0], Integer.parseInt(c[1]));
                } catch (RuntimeException unreachable) {
                    continue;
                }
            }
            askedKeys.add(key);
            asked.add(view(e, c[0]));
        }
        List<SlotMap> views = new ArrayList<>();
        List<String> answered = new ArrayList<>();
        // everyone gets a short while; past it, two views are enough to vote (a dead node must not hold up the
        // refresh that replaces it); the refresh timeout bounds the wait for a second view
        long start = System.nanoTime();
        long quorumAfter = start + Math.min(settings.refreshTimeout().toNanos(), QUORUM_WAIT_NANOS);
        long until = start + settings.refreshTimeout().toNanos();
        CompletableFuture<?> all = CompletableFuture.allOf(asked.toArray(new CompletableFuture<?>[0]));
        try {
            all.get(Math.max(1, quorumAfter - start), TimeUnit.NANOSECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // some failed or are slow: take what is in, and wait for a second view if there is not one yet
        }
        while (answeredCount(asked) < Math.min(2, asked.size()) && !all.isDone() && System.nanoTime() < until) {
            Thread.sleep(10);
        }
        for (int i = 0; i < asked.size(); i++) {
            CompletableFuture<SlotMap> f = asked.get(i);
            if (f.isDone() && !f.isCompletedExceptionally()) {
                views.add(f.join());
                answered.add(askedKeys.get(i));
            }
        }
        if (views.isEmpty()) {
            followUp();
            throw new RedisConnectionException("no cluster node answered CLUSTER SHARDS", false);
        }
        refreshes.incrementAndGet();
        for (String k : answered) { // a node that answered is not lost (any more)
            down.remove(k);
            outages.remove(k);
        }
        SlotMap installed = install(TopologyVote.pick(views).winner());
        for (SlotMap.Node p : lost) {
            if (serving.contains(p)) {
                watch(p.host(), p.port()); // still the owner by the vote: watch its replicas, if nobody does
            }
        }
        boolean allAnswered = true;
        for (SlotMap.Node p : serving) {
            if (p.health() == SlotMap.Health.FAILED) {
                watch(p.host(), p.port());
            }
            if (!answered.contains(key(p.host(), p.port())) || p.health() == SlotMap.Health.FAILED) {
                allAnswered = false;
                followUp(); // a primary is down: look again soon, to see its replica take over
                break;
            }
        }
        if (allAnswered) {
            followUps = 0;
        }
        return installed;
    }

    private static int answeredCount(List<CompletableFuture<SlotMap>> asked) {
        int n = 0;
        for (CompletableFuture<SlotMap> f : asked) {
            n += f.isDone() && !f.isCompletedExceptionally() ? 1 : 0;
        }
        return n;
    }

    /** Another refresh soon, after this one: while a primary is down, until the cluster has replaced it. */
    private void followUp() {
        // 250 ms, doubling up to 1 s while the same outage lasts: prompt for a failover, no storm for a long one
        long delay = (long) FOLLOW_UP_MS << Math.min(followUps++, 2);
        try {
            topology.schedule(() -> { requestRefresh(); }, delay, TimeUnit.MILLISECONDS);
        } catch (RuntimeException closed) {
            // the client is closing
        }
    }

    /** A connection to {@code host:port} for topology questions only (see {@link #viewers}). Blocks. */
    private RedisEndpoint viewer(String host, int port) {
        synchronized (this) {
            if (closed) {
                throw new RedisConnectionException("the cluster client is closed", false);
            }
            RedisEndpoint e = runtime.connect(seeds.getFirst().withAddress(host, port), options);
            RedisEndpoint old = viewers.put(key(host, port), e);
            if (old != null) {
                old.close();
            }
            return e;
        }
    }

    /** Makes {@code view} the map, connects its primaries, and closes (after the drain time) endpoints of nodes that left. */
    private SlotMap install(SlotMap view) {
        SlotMap before = map.getAndSet(view);
        if (cache != null && before.coveredSlots() > 0) {
            cache.ownersChanged(before, view); // on the topology thread already (or bootstrap's, before any read)
        }
        List<SlotMap.Node> servers = new ArrayList<>();
        for (SlotMap.Shard shard : view.shards()) {
            if (!view.slots(shard).isEmpty()) {
                servers.add(shard.primary());
            }
        }
        serving = List.copyOf(servers);
        List<String> primaries = new ArrayList<>();
        for (SlotMap.Node p : servers) {
            primaries.add(key(p.host(), p.port()));
            try {
                connect(p.host(), p.port());
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "cluster node {0} unreachable: {1}", p, e.getMessage());
            }
        }
        List<String> replicaKeys = new ArrayList<>();
        for (SlotMap.Node n : view.nodes()) {
            if (n.role() == SlotMap.Role.REPLICA && n.health() != SlotMap.Health.FAILED) {
                replicaKeys.add(key(n.host(), n.port()));
            }
        }
        for (Map.Entry<String, RedisEndpoint> e : replicas.entrySet()) {
            if (!replicaKeys.contains(e.getKey())) { // promoted, failed or removed: reads go elsewhere now
                RedisEndpoint gone = e.getValue();
                replicas.remove(e.getKey(), gone);
                topology.schedule(gone::close, Math.min(drainNanos, DRAIN_NANOS), TimeUnit.NANOSECONDS);
            }
        }
        List<String> askable = new ArrayList<>();
        for (SlotMap.Node n : view.nodes()) {
            if (n.health() != SlotMap.Health.FAILED) {
                askable.add(key(n.host(), n.port()));
            }
        }
        for (Map.Entry<String, RedisEndpoint> e : viewers.entrySet()) {
            // a node that left or failed is asked no more; one that serves slots now is asked over its endpoint
            if (!askable.contains(e.getKey()) || primaries.contains(e.getKey())) {
                RedisEndpoint gone = e.getValue();
                viewers.remove(e.getKey(), gone);
                topology.schedule(gone::close, Math.min(drainNanos, DRAIN_NANOS), TimeUnit.NANOSECONDS);
            }
        }
        for (Map.Entry<String, RedisEndpoint> e : endpoints.entrySet()) {
            if (!primaries.contains(e.getKey())) {
                RedisEndpoint gone = e.getValue();
                endpoints.remove(e.getKey(), gone);
                if (down.remove(e.getKey())) {
                    // its connection is lost: no reply is coming to drain, and the commands waiting for it must go
                    // to the new owner now (they fail unsent, and their router sends them there)
                    closeLeft(gone);
                } else {
                    topology.schedule(() -> closeLeft(gone), Math.min(drainNanos, DRAIN_NANOS), TimeUnit.NANOSECONDS);
                }
            }
        }
        down.retainAll(primaries);
        outages.keySet().retainAll(primaries);
        CompletableFuture<SlotMap> installed = nextInstall;
        nextInstall = new CompletableFuture<>();
        installed.complete(view);
        return view;
    }

    /** Asks {@code endpoint} (at {@code host}) for CLUSTER SHARDS, falling back to CLUSTER SLOTS on servers before 7.0. */
    private CompletableFuture<SlotMap> view(RedisEndpoint endpoint, String host) {
        RedisAsyncCommands<String, String> ask = new RedisAsyncCommands<>(endpoint::submit, Commands.utf8())
                .withTimeout(settings.refreshTimeout());
        long version = versions.incrementAndGet();
        Command<SlotMap> shards = new Command<>("CLUSTER SHARDS", w -> w.array(2).arg("CLUSTER").arg("SHARDS"),
                ClusterReplies.shardsDecoder(host, version));
        return ask.submit(shards).exceptionallyCompose(e -> {
            Throwable c = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
            if (c instanceof RedisServerException s && s.getMessage().contains("unknown subcommand")) {
                return ask.submit(new Command<>("CLUSTER SLOTS", w -> w.array(2).arg("CLUSTER").arg("SLOTS"),
                        ClusterReplies.slotsDecoder(host, version)));
            }
            return CompletableFuture.failedFuture(c);
        });
    }

    static String key(String host, int port) {
        return host + ":" + port;
    }

    /** Closes every node's endpoint and the topology thread; pending commands fail. */
    @Override
    public void close() {
        closed = true;
        topology.shutdownNow();
        watcher.shutdownNow();
        watches.values().forEach(PromotionWatch::stop);
        watches.clear();
        nextInstall.completeExceptionally(new RedisConnectionException("the cluster client is closed", false));
        synchronized (this) {
            for (RedisEndpoint e : endpoints.values()) {
                e.close();
            }
            endpoints.clear();
            replicas.values().forEach(RedisEndpoint::close);
            replicas.clear();
            viewers.values().forEach(RedisEndpoint::close);
            viewers.clear();
        }
    }
}
