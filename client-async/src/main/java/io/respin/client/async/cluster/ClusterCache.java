package io.respin.client.async.cluster;

import io.respin.client.async.CacheSettings;
import io.respin.client.async.CacheStats;
import io.respin.client.async.ReadFrom;
import io.respin.client.async.cache.CachedReads;
import io.respin.client.async.cache.TrackedCache;
import io.respin.engine.cluster.SlotMap;
import io.respin.engine.cluster.Slots;
import io.respin.engine.command.Codec;
import io.respin.engine.command.Commands;
import io.respin.io.ConnectionOptions;
import io.respin.io.RedisEndpoint;
import java.util.BitSet;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Client-side caching on a Redis Cluster: one {@link TrackedCache} per primary, on that primary's shared connection
 * (tracking on, its own {@link io.respin.io.CacheHook}, so every invalidation, loss and reconnect of that link applies
 * to that node's cache in parse order, as on one server), and the cached reads of the client routed by slot to the
 * cache of the slot's primary — never a replica, whatever {@link ClusterOptions#readFrom()} says: values are kept only
 * from primaries.
 *
 * <pre>
 *   cached read k ──slot(k)──▶ primary of the slot (the map now) ──▶ that node's cache: hit, or [read, PTTL] there
 *   map installed / MOVED ──▶ for each slot whose primary changed: the node that lost it drops the slot's keys
 *                              (a PING on its connection: dropped at its reply, in order with its invalidations)
 *   node leaves ──▶ its endpoint closes ──▶ its cache is emptied with its connection
 * </pre>
 *
 * <p>A reply is kept only when, at its PTTL's reply, the client's map still gives the key's slot to the node that
 * answered, and only for a key that exists ({@link TrackedCache#mayKeep}); a read the node redirects (MOVED, ASK) or
 * loses goes again through the router (primaries only) and is delivered, not kept.
 */
public final class ClusterCache {
    private static final System.Logger LOG = System.getLogger("io.respin.cluster");

    private final CacheSettings settings;
    private final ClusterNodes nodes;
    /** The router for what a node's cache does not answer: primaries only, redirects followed. */
    private ClusterRouter router;
    /**
     * Every primary cache made so far (one per primary endpoint opened: a handful over a client's life), so that the
     * counters of a node that left still count; a closed one holds nothing.
     */
    private final java.util.List<TrackedCache> made = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** One front per codec, made once. */
    private final Map<Codec<?, ?>, CachedReads<?, ?>> fronts = new IdentityHashMap<>();

    ClusterCache(CacheSettings settings, ClusterNodes nodes) {
        this.settings = settings;
        this.nodes = nodes;
    }

    public CacheSettings settings() {
        return settings;
    }

    /** The options of primary {@code host:port}'s endpoint: {@code base} with tracking and a cache of its own. */
    ConnectionOptions primaryOptions(ConnectionOptions base, String host, int port) {
        TrackedCache cache = new TrackedCache(settings, key -> {
            SlotMap.Node owner = nodes.map().primary(Slots.slot(key));
            return owner != null && owner.isAt(host, port);
        });
        made.add(cache);
        return base.toBuilder().tracking(settings.trackingOptions().toArray(new String[0])).cacheHook(cache).build();
    }

    /** The cache of {@code endpoint}'s shared connection, or null (a replica, a viewer, none yet). */
    static TrackedCache of(RedisEndpoint endpoint) {
        return endpoint != null && endpoint.options().cacheHook() instanceof TrackedCache c ? c : null;
    }

    /**
     * The map changed from {@code before} to {@code after}: every node that served a slot in {@code before} and does
     * not in {@code after} drops the keys of those slots from its cache. Called after {@code after} is installed, so
     * that a reply parsed after the drop can no longer be kept by that node ({@link TrackedCache#mayKeep} reads the
     * new map); the drop itself runs at the reply of a PING on that node's connection, in parse order.
     */
    void ownersChanged(SlotMap before, SlotMap after) {
        Map<String, BitSet> lost = new HashMap<>();
        Map<String, SlotMap.Node> losers = new HashMap<>();
        for (int slot = 0; slot < Slots.COUNT; slot++) {
            SlotMap.Node was = before.primary(slot);
            if (was == null) {
                continue;
            }
            SlotMap.Node now = after.primary(slot);
            if (now == null || !now.isAt(was.host(), was.port())) {
                String key = ClusterNodes.key(was.host(), was.port());
                lost.computeIfAbsent(key, k -> new BitSet(Slots.COUNT)).set(slot);
                losers.putIfAbsent(key, was);
            }
        }
        for (Map.Entry<String, BitSet> e : lost.entrySet()) {
            RedisEndpoint endpoint = nodes.endpoint(losers.get(e.getKey()));
            TrackedCache cache = of(endpoint);
            if (cache == null) {
                continue; // not connected: nothing held (a closed endpoint's cache went with its connection)
            }
            try {
                endpoint.submit(cache.slotsLost(e.getValue()));
            } catch (RuntimeException closedOrFull) {
                LOG.log(System.Logger.Level.DEBUG, "cluster cache: cannot drop the slots {0} lost: {1}", e.getKey(),
                        closedOrFull.getMessage());
            }
        }
    }

    /** The cached reads of the client for {@code codec}: by slot, to the slot's primary's cache. */
    @SuppressWarnings("unchecked")
    public synchronized <K, V> CachedReads<K, V> reads(Codec<K, V> codec, RedisEndpoint fallback) {
        if (router == null) {
            router = new ClusterRouter(nodes, nodes.clusterOptions().withReadFrom(ReadFrom.PRIMARY),
                    nodes.commandTimeoutNanos());
        }
        return (CachedReads<K, V>) fronts.computeIfAbsent(codec,
                c -> new CachedReads<>(codec, new BySlot<>(codec, new ClusterAsyncCommands<>(router,
                        new Commands<>(codec)), fallback)));
    }

    /**
     * The counters of every primary's cache, summed (those of nodes that left included); {@code maxBytes} is the
     * bound of one node's cache times the primaries that serve slots now.
     */
    CacheStats stats() {
        CacheStats sum = new CacheStats(0, 0, 0, 0, 0, 0, 0, 0, 0);
        for (TrackedCache c : made) {
            sum = sum.plus(c.stats());
        }
        long bound = settings.maxBytes() * Math.max(1, nodes.servingPrimaries().size());
        return new CacheStats(sum.hits(), sum.misses(), sum.evictions(), sum.invalidations(), sum.stored(),
                sum.bytes(), bound, sum.clears(), sum.slotDrops());
    }

    /**
     * The reads of each slot's primary, for one codec: a table by slot made again whenever the map is swapped (it is
     * immutable, so identity tells), filled as slots are read. A slot whose primary is not connected yet gets reads
     * that go to the server uncached, through the router.
     */
    private final class BySlot<K, V> implements CachedReads.Nodes<K, V> {
        private final Codec<K, V> codec;
        private final ClusterAsyncCommands<K, V> routed;
        private final CachedReads<K, V> uncached;
        private volatile Table<K, V> table;

        BySlot(Codec<K, V> codec, ClusterAsyncCommands<K, V> routed, RedisEndpoint fallback) {
            this.codec = codec;
            this.routed = routed;
            // a cache never connected: it never tracks, so every read goes to the server through the router
            this.uncached = new TrackedCache(settings).reads(codec, fallback, routed);
        }

        @Override public CachedReads<K, V> forSlot(int slot) {
            SlotMap map = nodes.map();
            Table<K, V> t = table;
            if (t == null || t.map != map) {
                t = new Table<>(map);
                table = t;
            }
            CachedReads<K, V> r = t.bySlot[slot];
            if (r != null && !r.endpointClosed()) {
                return r;
            }
            SlotMap.Node owner = map.primary(slot);
            RedisEndpoint e = owner == null ? null : nodes.endpoint(owner);
            TrackedCache cache = of(e);
            if (cache == null) {
                return uncached; // not kept in the table: the next read looks again
            }
            r = cache.reads(codec, e, routed);
            t.bySlot[slot] = r;
            return r;
        }

        @Override public CacheStats stats() {
            return ClusterCache.this.stats();
        }
    }

    /** One map's slot table (written racily: every writer writes the same value for a slot and map). */
    private static final class Table<K, V> {
        final SlotMap map;
        final CachedReads<K, V>[] bySlot;

        @SuppressWarnings("unchecked")
        Table(SlotMap map) {
            this.map = map;
            this.bySlot = (CachedReads<K, V>[]) new CachedReads<?, ?>[Slots.COUNT];
        }
    }
}
