package io.respin.client.async.cache;

import io.respin.engine.cache.CacheKey;
import io.respin.engine.cache.ClientCache;
import io.respin.engine.command.Codec;
import io.respin.engine.command.Command;
import io.respin.engine.command.Commands;
import io.respin.engine.command.Decoder;
import io.respin.engine.resp.RespWriter;
import io.respin.io.RedisEndpoint;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;

/**
 * Reads answered from a {@link TrackedCache} when it holds them, for one codec; what both cached facades run.
 *
 * <p>A hit is a lock-free look-up with this thread's reused probe and a replay of the stored tokens into this
 * thread's decoder for that read: for reads of a key alone ({@link Read}) it allocates only what the codec makes of
 * the value. A miss joins a request for the same read already on its way, or starts one ({@link Fill}); while the
 * connection is down or without RESP3 tracking, reads go to the server uncached.
 *
 * @param <K> key type
 * @param <V> value type
 */
public final class CachedReads<K, V> {

    /** A read of one key and nothing else: its signature is its name, known in advance (a hit allocates nothing). */
    public static final class Read {
        private static int count;
        final String name;
        final byte[] signature;
        final int index;
        /** The value is immutable whatever the codec (a Long, a type name): readers of one entry may share it. */
        final boolean immutable;
        @SuppressWarnings("rawtypes")
        final BiFunction<Commands, Object, Command<?>> build;

        @SuppressWarnings({"rawtypes", "unchecked"})
        private Read(String name, BiFunction<Commands, Object, Command<?>> build) {
            this.name = name;
            this.immutable = !java.util.Set.of("GET", "HGETALL", "HKEYS", "HVALS", "SMEMBERS").contains(name);
            this.signature = ClientCache.signature(name); // shared by every entry of this read: matched by identity
            this.index = count++;
            this.build = build;
        }
    }

    @SuppressWarnings("unchecked")
    public static final Read GET = new Read("GET", (c, k) -> c.strings().get(k));
    @SuppressWarnings("unchecked")
    public static final Read STRLEN = new Read("STRLEN", (c, k) -> c.strings().strlen(k));
    @SuppressWarnings("unchecked")
    public static final Read EXISTS = new Read("EXISTS", (c, k) -> c.keys().exists(k));
    @SuppressWarnings("unchecked")
    public static final Read TYPE = new Read("TYPE", (c, k) -> c.keys().type(k));
    @SuppressWarnings("unchecked")
    public static final Read HGETALL = new Read("HGETALL", (c, k) -> c.hashes().hgetall(k));
    @SuppressWarnings("unchecked")
    public static final Read HKEYS = new Read("HKEYS", (c, k) -> c.hashes().hkeys(k));
    @SuppressWarnings("unchecked")
    public static final Read HVALS = new Read("HVALS", (c, k) -> c.hashes().hvals(k));
    @SuppressWarnings("unchecked")
    public static final Read HLEN = new Read("HLEN", (c, k) -> c.hashes().hlen(k));
    @SuppressWarnings("unchecked")
    public static final Read SMEMBERS = new Read("SMEMBERS", (c, k) -> c.sets().smembers(k));
    @SuppressWarnings("unchecked")
    public static final Read SCARD = new Read("SCARD", (c, k) -> c.sets().scard(k));
    @SuppressWarnings("unchecked")
    public static final Read LLEN = new Read("LLEN", (c, k) -> c.lists().llen(k));
    @SuppressWarnings("unchecked")
    public static final Read ZCARD = new Read("ZCARD", (c, k) -> c.sortedSets().zcard(k));
    private static final int READS = 12;

    private final TrackedCache cache;
    private final Commands<K, V> commands;
    private final Codec<K, V> codec;
    private final RedisEndpoint endpoint;
    private final long timeoutNanos;
    /** Reads that are not kept (connection down, key outside the BCAST prefixes, a shared request that failed). */
    private final io.respin.client.async.RedisAsyncCommands<K, V> uncached;
    /** Read by a hit only when the entry it found has a deadline. */
    private static final java.util.function.LongSupplier CLOCK = System::nanoTime;
    private final ThreadLocal<PerThread> perThread = ThreadLocal.withInitial(PerThread::new);
    /** A cluster node's reads: misses it does not answer (redirected, connection lost) go again through the router. */
    private final boolean routed;
    /** A cluster client's front: each read goes to the reads of the primary that serves its key's slot; else null. */
    private final Nodes<K, V> nodes;

    /**
     * A cluster client's cached reads, by slot: the reads of each primary's own cache ({@link TrackedCache}, on that
     * primary's shared connection). Implementations are cheap to call on every read.
     *
     * @param <K> key type
     * @param <V> value type
     */
    public interface Nodes<K, V> {
        /** The reads of the primary that serves {@code slot} now, or reads that always go to the server. */
        CachedReads<K, V> forSlot(int slot);

        /** The counters of every node's cache, summed. */
        io.respin.client.async.CacheStats stats();
    }

    public CachedReads(TrackedCache cache, Codec<K, V> codec, RedisEndpoint endpoint) {
        this(cache, codec, endpoint, null);
    }

    /** A cluster node's reads; {@code routed} (the cluster's router, primaries only) reads what the node does not. */
    CachedReads(TrackedCache cache, Codec<K, V> codec, RedisEndpoint endpoint,
                io.respin.client.async.RedisAsyncCommands<K, V> routed) {
        this.cache = cache;
        this.codec = codec;
        this.commands = new Commands<>(codec);
        this.endpoint = endpoint;
        this.routed = routed != null;
        this.uncached = routed != null ? routed : new io.respin.client.async.RedisAsyncCommands<>(endpoint::submit, commands);
        this.timeoutNanos = endpoint.uri().timeout() != null ? endpoint.uri().timeout().toNanos()
                : endpoint.runtime().settings().commandTimeoutNanos();
        this.nodes = null;
    }

    /** A cluster client's front: every read goes to {@code nodes.forSlot(slot of its key)}. */
    public CachedReads(Codec<K, V> codec, Nodes<K, V> nodes) {
        this.cache = null;
        this.codec = codec;
        this.commands = new Commands<>(codec);
        this.endpoint = null;
        this.routed = false;
        this.uncached = null;
        this.timeoutNanos = 0;
        this.nodes = nodes;
    }

    public TrackedCache cache() {
        return cache;
    }

    /** The cache's counters, now (a cluster client's: every node's, summed). */
    public io.respin.client.async.CacheStats stats() {
        return nodes != null ? nodes.stats() : cache.stats();
    }

    /** True when the endpoint these reads go to is closed (a cluster node that left): its cache went with it. */
    public boolean endpointClosed() {
        return endpoint != null && endpoint.isClosed();
    }

    public Commands<K, V> commands() {
        return commands;
    }

    // ------------------------------------------------------------------ blocking

    /** {@code read} of {@code key}: from the cache, or from the server (then kept). */
    public <T> T read(Read read, K key) {
        if (nodes != null) {
            return node(key).read(read, key);
        }
        ClientCache.Ready hit = entry(read, key);
        if (hit != null) {
            return decode(read, key, hit);
        }
        PerThread t = perThread.get();
        return miss(t, t.probe(codec, key), read.signature, read, key, null);
    }

    /**
     * The stored entry of {@code read} of {@code key}, or null. A String key (the UTF-8 codec) is looked up as
     * itself: no thread-local probe, no hashing once the String has its hash.
     */
    private ClientCache.Ready entry(Read read, K key) {
        if (codec == Codec.utf8()) {
            return cache.entries().entry(text(key), read.signature, CLOCK);
        }
        return cache.entries().entry(perThread.get().probe(codec, key), read.signature, CLOCK);
    }

    private static String text(Object key) {
        if (key == null) {
            throw new NullPointerException("key is null");
        }
        return (String) key;
    }

    /** A read with arguments besides its key (HGET k f, LRANGE k 0 9...): its signature is its whole encoding. */
    public <T> T read(K key, Command<T> command) {
        if (nodes != null) {
            return node(key).read(key, command);
        }
        PerThread t = perThread.get();
        CacheKey.Probe p = t.probe(codec, key);
        byte[] signature = t.signature(command);
        MemorySegment hit = cache.entries().view(p, signature, System.nanoTime());
        if (hit != null) {
            return Tokens.replay(hit, command.decoder());
        }
        return miss(t, p, signature, null, key, command);
    }

    /**
     * A hit's value: for reads whose value is immutable (a String from the UTF-8 codec, a Long), the one a reader
     * already decoded from this entry; else decoded from the stored tokens by this thread's decoder.
     */
    @SuppressWarnings("unchecked")
    private <T> T decode(Read read, K key, ClientCache.Ready hit) {
        boolean shared = read.immutable || read == GET && codec == Codec.utf8();
        if (shared) {
            Object m = hit.memo(this);
            if (m != null) {
                return (T) m;
            }
        }
        T v = Tokens.replay(hit.view(), (Decoder<T>) perThread.get().decoder(read, this, key));
        if (shared) {
            hit.remember(this, v);
        }
        return v;
    }

    @SuppressWarnings("unchecked")
    private <T> T miss(PerThread t, CacheKey.Probe p, byte[] signature, Read read, K key, Command<T> given) {
        byte[] keyBytes = p.toBytes(); // a new array: made once per miss, for the prefix check and the fill
        while (true) {
            if (!cache.tracking() || !cache.cacheable(keyBytes)) {
                return direct(given != null ? given : (Command<T>) read.build.apply(commands, key));
            }
            Waiter.Parked me = new Waiter.Parked();
            ClientCache.Load<Waiter> load = cache.entries().load(p, signature, me, System.nanoTime());
            Decoder<T> decoder = given != null ? given.decoder() : (Decoder<T>) t.decoder(read, this, key);
            if (load == null) {
                MemorySegment hit = cache.entries().view(p, signature, System.nanoTime());
                if (hit != null) {
                    return Tokens.replay(hit, decoder);
                }
                continue;
            }
            if (load.startedBy(me)) {
                Command<T> c = given != null ? given : (Command<T>) read.build.apply(commands, key);
                try {
                    return new Fill<>(cache, load, me, c, commands.keys().pttl(key), keyBytes).runSync(endpoint);
                } catch (io.respin.RedisException e) {
                    if (!reroutes(e)) {
                        throw e;
                    }
                    return direct(again(c)); // a cluster node that no longer serves the key: the router finds who does
                }
            }
            byte[] tokens = me.await(System.nanoTime() + timeoutNanos);
            if (tokens != null) {
                return Tokens.replay(MemorySegment.ofArray(tokens), decoder);
            }
            // the request we waited for failed or was not answered in time: ask the server ourselves
            return direct(given != null ? given : (Command<T>) read.build.apply(commands, key));
        }
    }

    /** An uncached read, the caller waiting (the future is joined on this thread, which then reads the reply). */
    private <T> T direct(Command<T> command) {
        try {
            return uncached.submit(command).join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }

    // ------------------------------------------------------------------ futures

    @SuppressWarnings("unchecked")
    public <T> CompletableFuture<T> readAsync(Read read, K key) {
        if (nodes != null) {
            return node(key).readAsync(read, key);
        }
        ClientCache.Ready hit = entry(read, key); // a null key throws here, as an uncached read's does
        try {
            if (hit != null) {
                return CompletableFuture.completedFuture(decode(read, key, hit));
            }
            CacheKey.Probe p = perThread.get().probe(codec, key);
            return missAsync(p, read.signature, () -> (Command<T>) read.build.apply(commands, key), key);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    public <T> CompletableFuture<T> readAsync(K key, Command<T> command) {
        if (nodes != null) {
            return node(key).readAsync(key, command);
        }
        PerThread t = perThread.get();
        CacheKey.Probe p = t.probe(codec, key);
        byte[] signature = t.signature(command);
        MemorySegment hit = cache.entries().view(p, signature, System.nanoTime());
        try {
            if (hit != null) {
                return CompletableFuture.completedFuture(Tokens.replay(hit, command.decoder()));
            }
            return missAsync(p, signature, () -> command, key);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private <T> CompletableFuture<T> missAsync(CacheKey.Probe p, byte[] signature,
                                               java.util.function.Supplier<Command<T>> build, K key) {
        byte[] keyBytes = p.toBytes(); // a new array: made once per miss, for the prefix check and the fill
        if (!cache.tracking() || !cache.cacheable(keyBytes)) {
            return directAsync(build.get());
        }
        Waiter.Future me = new Waiter.Future();
        ClientCache.Load<Waiter> load = cache.entries().load(p, signature, me, System.nanoTime());
        if (load == null) {
            return directAsync(build.get()); // stored meanwhile: rare; the server answers
        }
        if (load.startedBy(me)) {
            Command<T> c = build.get();
            CompletableFuture<T> f = new Fill<>(cache, load, me, c, commands.keys().pttl(key), keyBytes)
                    .runAsync(endpoint);
            if (!routed) {
                return f;
            }
            return f.exceptionallyCompose(e -> {
                Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null
                        ? e.getCause() : e;
                return reroutes(cause) ? directAsync(again(c)) : CompletableFuture.failedFuture(cause);
            });
        }
        return me.future.thenCompose(tokens -> {
            if (tokens == null) {
                return directAsync(build.get());
            }
            return CompletableFuture.completedFuture(
                    Tokens.replay(MemorySegment.ofArray(tokens), build.get().decoder()));
        });
    }

    private <T> CompletableFuture<T> directAsync(Command<T> command) {
        return uncached.submit(command);
    }

    // ------------------------------------------------------------------ cluster

    /** The reads of the primary that serves {@code key}'s slot (a cluster client's front only). */
    private CachedReads<K, V> node(K key) {
        int slot;
        if (codec == Codec.utf8()) {
            slot = io.respin.engine.cluster.Slots.slot((String) key);
        } else if (codec == Codec.bytes()) {
            slot = io.respin.engine.cluster.Slots.slot((byte[]) key);
        } else {
            if (key == null) {
                throw new NullPointerException("key is null");
            }
            slot = io.respin.engine.cluster.Slots.slot(perThread.get().keyBytes(codec, key));
        }
        return nodes.forSlot(slot);
    }

    /**
     * Whether a cluster node's cached read that failed with {@code e} is read again through the router: the node
     * redirected it (MOVED, ASK: the slot is elsewhere now or half moved), asked for a retry (TRYAGAIN, CLUSTERDOWN),
     * or its connection went (a failover may be under way). A read changes nothing, so sending it again is safe; the
     * router's reply is delivered, never kept (it did not come from the tracked connection of the slot's owner).
     */
    private boolean reroutes(Throwable e) {
        if (!routed) {
            return false;
        }
        if (e instanceof io.respin.RedisConnectionException) {
            return true;
        }
        if (e instanceof io.respin.RedisServerException s && s.getMessage() != null) {
            String m = s.getMessage();
            return m.startsWith("MOVED ") || m.startsWith("ASK ") || m.startsWith("TRYAGAIN") || m.startsWith("CLUSTERDOWN");
        }
        return false;
    }

    /** A fresh command like {@code c} (which has failed and holds its outcome), to send again. */
    private static <T> Command<T> again(Command<T> c) {
        return new Command<>(c.name(), c::encode, c.decoder());
    }

    // ------------------------------------------------------------------ per thread

    /** What one reader thread reuses from read to read: the probe, a decoder per {@link Read}, a signature buffer. */
    private static final class PerThread {
        final CacheKey.Probe probe = new CacheKey.Probe();
        final Decoder<?>[] decoders = new Decoder<?>[READS];
        final RespWriter writer = new RespWriter();
        byte[] buffer = new byte[256];

        <K> CacheKey.Probe probe(Codec<K, ?> codec, K key) {
            if (key == null) {
                throw new NullPointerException("key is null");
            }
            if (codec == Codec.utf8()) {
                return probe.set((String) key);
            }
            if (codec == Codec.bytes()) {
                return probe.set((byte[]) key);
            }
            return probe.set(keyBytes(codec, key));
        }

        private <K> byte[] keyBytes(Codec<K, ?> codec, K key) {
            byte[] enc = encode(w -> codec.writeKey(w, key));
            int i = 1;
            int n = 0;
            while (enc[i] != '\r') {
                n = n * 10 + (enc[i++] - '0');
            }
            return Arrays.copyOfRange(enc, i + 2, i + 2 + n);
        }

        byte[] signature(Command<?> command) {
            return encode(command::encode);
        }

        private byte[] encode(java.util.function.Consumer<RespWriter> write) {
            writer.wrap(buffer, 0, buffer.length);
            write.accept(writer);
            if (writer.overflowed()) {
                buffer = new byte[Math.toIntExact(Math.max(writer.required(), buffer.length * 2L))];
                writer.wrap(buffer, 0, buffer.length);
                write.accept(writer);
            }
            return Arrays.copyOf(buffer, (int) writer.position());
        }

        <K> Decoder<?> decoder(Read read, CachedReads<K, ?> reads, K key) {
            Decoder<?> d = decoders[read.index];
            if (d == null) {
                d = decoders[read.index] = read.build.apply(reads.commands, key).decoder();
            }
            return d;
        }
    }
}
