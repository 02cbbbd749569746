package io.respin.engine.cache;

import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * The bookkeeping of client-side caching (RESP3 {@code CLIENT TRACKING}), sans IO: which replies are held, which
 * reads are on their way, and what an invalidation removes. A transport drives it; nothing here sends or waits.
 *
 * <p>Threads: any number of readers call {@link #get} and {@link #load}; one writer — the thread that parses the
 * connection's replies and pushes, in the order they arrive — calls {@link #complete}, {@link #fail},
 * {@link #invalidate} and {@link #clear}. That order is what makes a stale read impossible: a read in flight holds
 * a {@link Load}; an invalidation of its key that is parsed before its reply cancels it, so the reply is handed to
 * its waiters but never stored; one parsed after the reply removes the stored reply. A hit is a lock-free map
 * look-up — with the reader's String key itself, or a reused {@link CacheKey.Probe} over its bytes: no allocation,
 * no lock that readers share, and no shared cache line written once an entry is hot.
 *
 * <p>Memory: replies are held up to {@code maxBytes} (keys, signatures and reply bytes, plus a fixed overhead per
 * entry), enforced as each reply is stored by evicting the least recently used (a second-chance clock: a hit sets a
 * bit, eviction clears it once before it takes the entry). Loads in progress are not counted and never evicted.
 *
 * <pre>{@code
 * ClientCache<Waiter> cache = new ClientCache<>(64 << 20);
 * byte[] hit = cache.get(probe.set("user:1"), GET, now);          // reader: the reply's bytes, or null
 * ClientCache.Load<Waiter> load = cache.load(probe, GET, me, now); // miss: join a read in flight or start one
 * if (load.startedBy(me)) send(read);                              // the first reader sends it
 * cache.complete(load, replyBytes, now + ttl);                     // writer, in reply order: store unless invalidated
 * for (Waiter w : load.waiters()) w.deliver(replyBytes);
 * }</pre>
 *
 * @param <W> what a reader waiting for a load leaves with it (a future, a thread to unpark...)
 */
public final class ClientCache<W> {
    /** Bytes counted per entry besides its key, signature and reply (objects, map node, ring slot). */
    static final int ENTRY_OVERHEAD = 96;
    /** The {@code expiresAt} of a reply that never expires (no client TTL, no PTTL): a hit reads no clock for it. */
    public static final long NEVER = Long.MAX_VALUE;
    /** Signatures made by {@link #signature}: never changed, so a load keeps them as they are (an identity set). */
    private static final Set<byte[]> CONSTANT = ConcurrentHashMap.newKeySet();

    /**
     * The signature of a read named {@code name} alone (GET, HGETALL...), as a constant that the cache keeps by
     * reference: every entry of that read shares it, and a hit matches it by identity. Never write into it.
     */
    public static byte[] signature(String name) {
        byte[] s = name.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        CONSTANT.add(s);
        return s;
    }

    private final long maxBytes;
    private final ConcurrentHashMap<Object, Bucket> buckets = new ConcurrentHashMap<>();
    /** Stored replies in the order they were stored: the clock hand's track (writer only). */
    private final ArrayDeque<Ready> clock = new ArrayDeque<>();
    private final AtomicLong bytes = new AtomicLong();
    /** The writer's probe, for invalidations. */
    private final CacheKey.Probe invalidated = new CacheKey.Probe();
    /** Per thread: a shared counter would be the one line every hit writes. */
    private final ThreadCounts hits = new ThreadCounts();
    private final LongAdder misses = new LongAdder();
    private long evictions;
    private long invalidations;
    private long stored;

    public ClientCache(long maxBytes) {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes must be > 0, got " + maxBytes);
        }
        this.maxBytes = maxBytes;
    }

    // ------------------------------------------------------------------------------------------ readers

    /**
     * The stored reply of the read {@code signature} (e.g. {@code "GET"}, {@code "HGET\0field"}) of the probed key,
     * or null when there is none or it expired by {@code now}. Any thread; allocates nothing.
     */
    public byte[] get(CacheKey.Probe key, byte[] signature, long now) {
        Ready r = hit(buckets.get(key), signature, now);
        return r == null ? null : r.reply;
    }

    /**
     * {@link #get}, as a segment over the stored reply's bytes (made once, when the reply was stored), so that a
     * reader can decode it in place without allocating. Read-only by contract: never write into it.
     */
    public MemorySegment view(CacheKey.Probe key, byte[] signature, long now) {
        Ready r = hit(buckets.get(key), signature, now);
        return r == null ? null : r.view;
    }

    /**
     * {@link #get}, as the stored entry itself: its bytes ({@link Ready#view()}) and a place where readers may keep
     * the immutable value they decode from it ({@link Ready#memo}), so that the next hit need not decode again.
     */
    public Ready entry(CacheKey.Probe key, byte[] signature, long now) {
        return hit(buckets.get(key), signature, now);
    }

    /**
     * {@link #entry} for a text key, looked up with the String itself (its UTF-8 is the key): no probe, and no
     * hashing once the String's own hash is cached. A String with an unpaired surrogate is never found this way
     * (its stored form has '?' there): probe for it.
     */
    public Ready entry(String key, byte[] signature, long now) {
        return hit(buckets.get(key), signature, now);
    }

    /**
     * {@link #entry(String, byte[], long)} reading {@code clock} only when an entry is found and has a deadline: a
     * clock read (~30 ns here) is most of a hit, and a miss or a reply that never expires needs none.
     */
    public Ready entry(String key, byte[] signature, LongSupplier clock) {
        return counted(live(found(buckets.get(key), signature), clock));
    }

    /** {@link #entry(String, byte[], LongSupplier)} with a probe. */
    public Ready entry(CacheKey.Probe key, byte[] signature, LongSupplier clock) {
        return counted(live(found(buckets.get(key), signature), clock));
    }

    /** {@link #view} for a text key (see {@link #entry(String, byte[], long)}). */
    public MemorySegment view(String key, byte[] signature, long now) {
        Ready r = hit(buckets.get(key), signature, now);
        return r == null ? null : r.view;
    }

    private Ready hit(Bucket b, byte[] signature, long now) {
        Ready r = found(b, signature);
        return counted(r != null && r.liveAt(now) ? r : null);
    }

    private static Ready found(Bucket b, byte[] signature) {
        return b != null && b.find(signature) instanceof Ready r ? r : null;
    }

    private static Ready live(Ready r, LongSupplier clock) {
        return r != null && (r.expiresAt == NEVER || r.liveAt(clock.getAsLong())) ? r : null; // no clock for NEVER
    }

    private Ready counted(Ready r) {
        if (r == null) {
            misses.increment();
            return null;
        }
        if (!r.referenced) {
            r.referenced = true; // written only when it changes: a hot entry's line stays shared among readers
        }
        hits.increment();
        return r;
    }

    /**
     * After a miss: joins the load of this read already in flight (adding {@code waiter} to it), or starts one —
     * {@link Load#startedBy} then tells the caller to send the read. Returns null when the reply got stored in the
     * meantime: {@link #get} again. {@code waiter} must be this reader's own object ({@link Load#startedBy} compares
     * identity). Any thread; takes only the lock of this key's bucket.
     */
    public Load<W> load(CacheKey.Probe key, byte[] signature, W waiter, long now) {
        while (true) {
            Bucket b = buckets.get(key);
            if (b == null) {
                Bucket fresh = new Bucket(key.toKey());
                b = buckets.putIfAbsent(fresh.key, fresh);
                if (b == null) {
                    b = fresh;
                }
            }
            Load<W> l = b.load(this, signature, waiter, now);
            if (l != Bucket.RETIRED) {
                return l;
            }
            // the bucket was invalidated while we looked: start again with a new one
        }
    }

    // ------------------------------------------------------------------------------------------ the writer

    /**
     * The reply of {@code load} arrived (the writer, in reply order): it is stored until {@code expiresAt} unless
     * an invalidation or a clear cancelled the load. Returns whether it was stored. The load's waiters are then the
     * caller's to answer (with this reply either way).
     */
    public boolean complete(Load<W> load, byte[] reply, long expiresAt) {
        Bucket b = load.bucket;
        Ready r = new Ready(b, load.signature, reply, expiresAt);
        if (!b.finish(load, r)) {
            return false;
        }
        stored++;
        bytes.addAndGet(r.size);
        clock.add(r);
        evictOver();
        return true;
    }

    /** The read of {@code load} failed: its waiters are the caller's to fail; the next reader starts again. */
    public void fail(Load<W> load) {
        load.bucket.finish(load, null);
    }

    /** An invalidation of {@code key} (the writer): every reply and load of it goes (the loads are cancelled). */
    public void invalidate(byte[] key) {
        Bucket b = buckets.remove(invalidated.set(key));
        if (b != null) {
            invalidations++;
            retire(b);
        }
    }

    /**
     * Everything goes: a {@code null} invalidation (the server flushed), a lost or reset connection (its tracking
     * is gone, so nothing held can be trusted).
     */
    public void clear() {
        for (Object k : buckets.keySet()) {
            Bucket b = buckets.remove(k);
            if (b != null) {
                retire(b);
            }
        }
        clock.clear();
    }

    /**
     * Hands {@code action} the key of every entry and load held now (a weakly consistent view: keys added or removed
     * meanwhile may or may not be seen). For a writer that must drop keys by a rule of its own, e.g. a cluster
     * node's cache dropping the keys of a slot the node lost ({@link #invalidate} each).
     */
    public void forEachKey(java.util.function.Consumer<byte[]> action) {
        for (Object k : buckets.keySet()) {
            action.accept(k instanceof CacheKey c ? c.bytes() : ((String) k).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    private void retire(Bucket b) {
        for (Object e : b.retire()) {
            if (e instanceof Ready r && !r.dead) {
                r.dead = true;
                bytes.addAndGet(-r.size);
            }
        }
    }

    private void evictOver() {
        int turns = clock.size() * 2 + 1; // every entry gets at most its one second chance
        while (bytes.get() > maxBytes && !clock.isEmpty() && turns-- > 0) {
            Ready r = clock.poll();
            if (r.dead) {
                continue;
            }
            if (r.referenced) {
                r.referenced = false;
                clock.add(r);
                continue;
            }
            if (r.bucket.drop(r)) {
                r.dead = true;
                bytes.addAndGet(-r.size);
                evictions++;
            }
        }
    }

    // ------------------------------------------------------------------------------------------ counters

    /** Hits so far, exact (the sum of every reader thread's own count). */
    public long hits() { return hits.sum(); }

    public long misses() { return misses.sum(); }

    /** Replies evicted for the memory bound (writer's count). */
    public long evictions() { return evictions; }

    /** Keys invalidated by the server (writer's count). */
    public long invalidations() { return invalidations; }

    /** Replies stored so far (writer's count). */
    public long stored() { return stored; }

    /** Bytes held now: at most maxBytes after every store. */
    public long bytes() { return bytes.get(); }

    public long maxBytes() { return maxBytes; }

    // ------------------------------------------------------------------------------------------ entries

    /** A read on its way: the readers that wait for it, and whether an invalidation cancelled it. */
    public static final class Load<W> {
        final Bucket bucket;
        final byte[] signature;
        private final List<W> waiters = new ArrayList<>(2);
        private boolean done;

        Load(Bucket bucket, byte[] signature) {
            this.bucket = bucket;
            this.signature = signature;
        }

        /** True when {@code waiter} (this reader's own object) created the load: that reader sends the read. */
        public synchronized boolean startedBy(W waiter) {
            return !waiters.isEmpty() && waiters.get(0) == waiter;
        }

        /** The readers waiting for this read (after {@link #complete} or {@link #fail}: all of them, for good). */
        public synchronized List<W> waiters() {
            return List.copyOf(waiters);
        }

        synchronized boolean attach(W w) {
            if (done) {
                return false;
            }
            waiters.add(w);
            return true;
        }

        synchronized void close() {
            done = true;
        }
    }

    /** A stored reply. {@code referenced}: a hit since the clock hand last passed (benign races: a hint). */
    public static final class Ready {
        final Bucket bucket;
        final byte[] signature;
        final byte[] reply;
        final MemorySegment view;
        final long expiresAt;
        final int size;
        volatile boolean referenced;
        boolean dead;
        /**
         * Who may keep a decoded value here (a decoder kind: values differ per codec), set once by the first to
         * {@link #remember}, and that value. In the entry itself: a hit reads no other object.
         */
        private volatile Object memoOwner;
        private volatile Object memo;

        /** The reply's bytes (read-only by contract). */
        public MemorySegment view() {
            return view;
        }

        /** Whether the reply is still good at {@code now}: it never expires, or its time has not come. */
        boolean liveAt(long now) {
            return expiresAt == NEVER || now - expiresAt < 0;
        }

        /** The value {@code owner} decoded from this reply and kept with {@link #remember}, or null. */
        public Object memo(Object owner) {
            return memoOwner == owner ? memo : null;
        }

        /**
         * Keeps {@code value}, which {@code owner} decoded from this reply, for the next readers: only for immutable
         * values (a String, a Long), since every reader then gets the same object. Any thread. The first owner
         * keeps the place for good (an entry is read through one codec, nearly always); another owner's readers
         * decode each hit. Readers of one owner may race here: they decoded equal values, any one of them will do.
         */
        public void remember(Object owner, Object value) {
            if (value != null && (memoOwner == owner || MEMO_OWNER.compareAndSet(this, null, owner))) {
                memo = value; // after the owner: a reader that sees it sees who decoded it
            }
        }

        private static final java.lang.invoke.VarHandle MEMO_OWNER;

        static {
            try {
                MEMO_OWNER = java.lang.invoke.MethodHandles.lookup().findVarHandle(Ready.class, "memoOwner", Object.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        Ready(Bucket bucket, byte[] signature, byte[] reply, long expiresAt) {
            this.bucket = bucket;
            this.signature = signature;
            this.reply = reply;
            this.view = MemorySegment.ofArray(reply);
            this.expiresAt = expiresAt;
            this.size = ENTRY_OVERHEAD + bucket.keyLength + signature.length + reply.length;
        }
    }

    /**
     * One key's entries by signature: a small array read without a lock (volatile, replaced whole) and changed under
     * the bucket's own lock. Retired when the key is invalidated: no entry is added to it after that.
     */
    static final class Bucket {
        @SuppressWarnings("rawtypes")
        static final Load RETIRED = new Load<>(null, new byte[0]);

        /** The stored key: a String for well-formed UTF-8, else a {@link CacheKey} (see there). */
        final Object key;
        final int keyLength;
        /** signature, entry, signature, entry... */
        private volatile Object[] entries = new Object[0];
        private boolean retired;

        Bucket(Object key) {
            this.key = key;
            this.keyLength = CacheKey.length(key);
        }

        Object find(byte[] signature) {
            Object[] e = entries;
            for (int i = 0; i < e.length; i += 2) {
                if (e[i] == signature || Arrays.equals((byte[]) e[i], signature)) {
                    return e[i + 1];
                }
            }
            return null;
        }

        @SuppressWarnings("unchecked")
        synchronized <W> Load<W> load(ClientCache<W> cache, byte[] signature, W waiter, long now) {
            if (retired) {
                return RETIRED;
            }
            Object e = find(signature);
            if (e instanceof Load<?> l) {
                Load<W> load = (Load<W>) l;
                load.attach(waiter);
                return load;
            }
            if (e instanceof Ready r && r.liveAt(now)) {
                return null; // stored meanwhile
            }
            if (e instanceof Ready r && !r.dead) {
                r.dead = true; // expired: its place goes to the new load
                cache.bytes.addAndGet(-r.size);
            }
            Load<W> load = new Load<>(this, CONSTANT.contains(signature) ? signature : signature.clone());
            load.attach(waiter);
            put(load.signature, load);
            return load;
        }

        /** Replaces {@code load} with {@code ready} (or removes it, for null); false when it was cancelled. */
        synchronized boolean finish(Load<?> load, Ready ready) {
            load.close();
            if (retired || find(load.signature) != load) {
                return false;
            }
            if (ready == null) {
                remove(load.signature);
            } else {
                put(load.signature, ready);
            }
            return true;
        }

        /** Eviction: removes {@code r} if it is still this key's entry for its signature. */
        synchronized boolean drop(Ready r) {
            if (find(r.signature) != r) {
                return false;
            }
            remove(r.signature);
            return true;
        }

        /** Invalidated: no more entries; returns the ones it held (loads are closed: their replies are not stored). */
        synchronized List<Object> retire() {
            retired = true;
            Object[] e = entries;
            entries = new Object[0];
            List<Object> held = new ArrayList<>(e.length / 2);
            for (int i = 1; i < e.length; i += 2) {
                if (e[i] instanceof Load<?> l) {
                    l.close();
                }
                held.add(e[i]);
            }
            return held;
        }

        private void put(byte[] signature, Object entry) {
            Object[] e = entries;
            for (int i = 0; i < e.length; i += 2) {
                if (Arrays.equals((byte[]) e[i], signature)) {
                    Object[] copy = e.clone();
                    copy[i + 1] = entry;
                    entries = copy;
                    return;
                }
            }
            Object[] copy = Arrays.copyOf(e, e.length + 2);
            copy[e.length] = signature;
            copy[e.length + 1] = entry;
            entries = copy;
        }

        private void remove(byte[] signature) {
            Object[] e = entries;
            for (int i = 0; i < e.length; i += 2) {
                if (Arrays.equals((byte[]) e[i], signature)) {
                    Object[] copy = new Object[e.length - 2];
                    System.arraycopy(e, 0, copy, 0, i);
                    System.arraycopy(e, i + 2, copy, i, e.length - i - 2);
                    entries = copy;
                    return;
                }
            }
        }
    }
}
