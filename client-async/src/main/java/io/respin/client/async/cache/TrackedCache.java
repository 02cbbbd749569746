package io.respin.client.async.cache;

import io.respin.client.async.CacheSettings;
import io.respin.client.async.cluster.CommandSlots;
import io.respin.engine.cache.ClientCache;
import io.respin.engine.cluster.KeyPositions;
import io.respin.engine.resp.Reply;
import io.respin.io.CacheHook;
import io.respin.io.IoCommand;
import java.util.List;

/**
 * One connection's client-side cache: the sans-IO {@link ClientCache} driven by what the shared connection parses —
 * invalidation pushes, handshakes, losses, and the replies of the client's own writes — on the duty holder, in parse
 * order (see {@link CacheHook}). Readers look up and start loads from any thread ({@link CachedReads}).
 *
 * <pre>
 *   reader ──miss──▶ load (pending) ──▶ [read, PTTL] written together ──▶ PTTL's reply parsed: store unless cancelled
 *   server ──invalidate k──▶ onPush (parse order) ──▶ k's replies and loads go
 *   socket lost / handshake / flush (null invalidation) ──▶ everything goes
 * </pre>
 */
public final class TrackedCache implements CacheHook {
    private final CacheSettings settings;
    private final ClientCache<Waiter> entries;
    private final long ttlNanos;
    private final byte[][] prefixes;
    /** Written by the duty holder at every handshake and loss; read by readers before they start a load. */
    private volatile boolean tracking;
    /** Set when a handshake came up without RESP3 (no invalidations can arrive): reads then go uncached. */
    private volatile int protocol;
    private volatile long clears;
    private final java.util.Map<Object, CachedReads<?, ?>> views = new java.util.IdentityHashMap<>();
    /**
     * On a cluster node: whether the node serves the key's slot now (a reply is kept only from the slot's owner, and
     * only for a key that exists there); null for one server, where every reply may be kept.
     */
    private final java.util.function.Predicate<byte[]> owns;
    /** Keys dropped because their slot went to another node (duty holder's count). */
    private volatile long slotDrops;

    public TrackedCache(CacheSettings settings) {
        this(settings, null);
    }

    /**
     * The cache of one cluster node's shared connection: {@code owns} says whether that node serves a key's slot
     * now, as the client's slot map has it (see {@link #mayKeep}).
     */
    public TrackedCache(CacheSettings settings, java.util.function.Predicate<byte[]> owns) {
        this.owns = owns;
        this.settings = settings;
        this.entries = new ClientCache<>(settings.maxBytes());
        this.ttlNanos = settings.ttlNanos();
        this.prefixes = settings.prefixes().stream()
                .map(p -> p.getBytes(java.nio.charset.StandardCharsets.UTF_8)).toArray(byte[][]::new);
    }

    public CacheSettings settings() {
        return settings;
    }

    /** The reads of this cache for {@code codec} (one per codec, made once). */
    @SuppressWarnings("unchecked")
    public synchronized <K, V> CachedReads<K, V> reads(io.respin.engine.command.Codec<K, V> codec,
                                                        io.respin.io.RedisEndpoint endpoint) {
        return (CachedReads<K, V>) views.computeIfAbsent(codec, c -> new CachedReads<>(this, codec, endpoint));
    }

    /**
     * The reads of this cache for {@code codec} on a cluster node: misses the node does not answer itself (a
     * redirect, a lost connection) are read again through {@code routed} (delivered, not kept).
     */
    @SuppressWarnings("unchecked")
    public synchronized <K, V> CachedReads<K, V> reads(io.respin.engine.command.Codec<K, V> codec,
                                                        io.respin.io.RedisEndpoint endpoint,
                                                        io.respin.client.async.RedisAsyncCommands<K, V> routed) {
        return (CachedReads<K, V>) views.computeIfAbsent(codec, c -> new CachedReads<>(this, codec, endpoint, routed));
    }

    /**
     * Whether the reply of a read of {@code key}, whose PTTL answered {@code pttlMillis}, may be kept now (on the
     * duty holder, at the PTTL's reply). On one server always. On a cluster node only while the client's map says the
     * node serves the key's slot (a reply that reached a node which lost the slot meanwhile is delivered, not kept:
     * the node will not hear of writes on the new owner), and only for a key that exists (PTTL is not -2): a key
     * that exists is deleted from the old owner when its slot migrates, which invalidates it, but an absent one is
     * not, and a write on the new owner would never reach this cache.
     */
    boolean mayKeep(byte[] key, long pttlMillis) {
        return owns == null || pttlMillis != -2 && owns.test(key);
    }

    /**
     * A command for this cache's connection that drops, when its reply is parsed (in order with every other event
     * of the connection, on the duty holder), every entry and load of a key in {@code slots}: the node lost them.
     */
    public io.respin.io.IoCommand slotsLost(java.util.BitSet slots) {
        return new SlotsLost(slots);
    }

    /** The counters, now. */
    public io.respin.client.async.CacheStats stats() {
        return new io.respin.client.async.CacheStats(entries.hits(), entries.misses(), entries.evictions(),
                entries.invalidations(), entries.stored(), entries.bytes(), entries.maxBytes(), clears, slotDrops);
    }

    /** Keys dropped so far because their slot went to another node. */
    public long slotDrops() {
        return slotDrops;
    }

    /** The bookkeeping (counters, bytes). */
    public ClientCache<Waiter> entries() {
        return entries;
    }

    /** True while the shared connection is up with tracking on: only then may a reply be kept. */
    public boolean tracking() {
        return tracking;
    }

    /** The protocol of the latest handshake (0 before the first). */
    public int protocol() {
        return protocol;
    }

    /** How many times the cache was emptied (connection lost or re-made, server flush). */
    public long clears() {
        return clears;
    }

    /** The client-side TTL, in nanoseconds. */
    long ttlNanos() {
        return ttlNanos;
    }

    /** Whether a key may be cached at all: in BCAST with prefixes, only keys under one (others are never told of). */
    boolean cacheable(byte[] key) {
        if (prefixes.length == 0) {
            return true;
        }
        for (byte[] p : prefixes) {
            if (java.util.Arrays.mismatch(p, 0, p.length, key, 0, Math.min(p.length, key.length)) < 0
                    && key.length >= p.length) {
                return true;
            }
        }
        return false;
    }

    boolean optIn() {
        return settings.mode() == CacheSettings.Mode.OPTIN;
    }

    // ------------------------------------------------------------------ the duty holder, in parse order

    @Override public void onConnected(int protocol) {
        this.protocol = protocol;
        clear(); // what the old connection tracked, the new one does not
        tracking = protocol == 3;
    }

    @Override public void onDisconnected() {
        tracking = false;
        clear();
    }

    @Override public boolean onPush(Reply push) {
        if (!(push instanceof Reply.Aggregate a) || a.size() < 2 || !(a.get(0) instanceof Reply.Text t)) {
            return false;
        }
        String kind = t.asString();
        if (kind.equals("invalidate")) {
            if (a.get(1) instanceof Reply.Aggregate keys) {
                for (Reply k : keys.elements()) {
                    if (k instanceof Reply.Text key) {
                        entries.invalidate(key.bytes());
                    }
                }
            } else {
                clear(); // a null invalidation: the server flushed (FLUSHALL / FLUSHDB)
            }
            return true;
        }
        if (kind.equals("tracking-redir-broken")) {
            clear();
        }
        return false;
    }

    @Override public void onReply(IoCommand command) {
        if (command instanceof SlotsLost lost) {
            drop(lost.slots);
            return;
        }
        if (command instanceof Fill.Step || command.idempotent()) {
            return; // the cache's own reads, and reads: nothing changed
        }
        if (command.kind() == io.respin.engine.connection.CommandKind.RESET) {
            clear();
            return;
        }
        // the client's own write: what it changed goes now, before its caller sees the reply (the server's
        // invalidation for it comes after the reply, or never with NOLOOP)
        List<byte[]> args;
        try {
            args = CommandSlots.arguments(command);
        } catch (RuntimeException notAnArray) {
            return;
        }
        if (!KeyPositions.known(args)) {
            if (!args.isEmpty() && args.get(0).length > 0) {
                String name = new String(args.get(0), java.nio.charset.StandardCharsets.US_ASCII);
                if (name.equalsIgnoreCase("FLUSHALL") || name.equalsIgnoreCase("FLUSHDB")) {
                    clear();
                }
            }
            return;
        }
        int[] keys;
        try {
            keys = KeyPositions.keyIndexes(args);
        } catch (RuntimeException malformed) {
            clear(); // cannot tell what it wrote: forget everything rather than keep what it may have changed
            return;
        }
        for (int i : keys) {
            entries.invalidate(args.get(i));
        }
    }

    private void drop(java.util.BitSet slots) {
        java.util.List<byte[]> gone = new java.util.ArrayList<>();
        entries.forEachKey(k -> {
            if (slots.get(io.respin.engine.cluster.Slots.slot(k))) {
                gone.add(k);
            }
        });
        for (byte[] k : gone) {
            entries.invalidate(k);
        }
        slotDrops += gone.size();
    }

    /** A PING whose reply, parsed in order on the node's connection, is where the lost slots' entries go. */
    private static final class SlotsLost extends io.respin.io.AsyncCommand implements Fill.Step {
        final java.util.BitSet slots;

        SlotsLost(java.util.BitSet slots) {
            this.slots = (java.util.BitSet) slots.clone();
        }

        @Override public void encode(io.respin.engine.resp.RespWriter w) { w.array(1).arg("PING"); }

        @Override public io.respin.engine.resp.RespHandler replyHandler() { return DISCARD; }

        @Override public io.respin.engine.connection.CommandKind kind() {
            return io.respin.engine.connection.CommandKind.PLAIN;
        }

        @Override public String name() { return "PING"; }

        @Override public boolean idempotent() { return true; }

        @Override protected void onCompleted() { }

        @Override protected void onFailed(io.respin.RedisException error) { }

        private static final io.respin.engine.resp.RespHandler DISCARD = new io.respin.engine.resp.RespHandler.Adapter();
    }

    private void clear() {
        entries.clear();
        clears++;
    }
}
