package io.respin.engine.cache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.respin.engine.resp.AllocationWindows;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The cache's bookkeeping without a server: reply order decides, memory stays bounded, hits allocate nothing. */
class ClientCacheTest {

    private static final byte[] GET = bytes("GET");
    private static final byte[] HGET_F = bytes("HGET\0f");
    private static final long FOREVER = Long.MAX_VALUE / 2;

    @Test
    void aStoredReplyIsAHitPerKeyAndSignature() {
        ClientCache<String> cache = new ClientCache<>(1 << 20);
        CacheKey.Probe p = new CacheKey.Probe();
        assertNull(cache.get(p.set("k"), GET, 0));
        ClientCache.Load<String> load = cache.load(p.set("k"), GET, "reader", 0);
        assertTrue(load.startedBy("reader"));
        assertTrue(cache.complete(load, bytes("$1\r\nv\r\n"), FOREVER));
        assertEquals(List.of("reader"), load.waiters());
        assertArrayEquals(bytes("$1\r\nv\r\n"), cache.get(p.set("k"), GET, 1));
        assertArrayEquals(bytes("$1\r\nv\r\n"), cache.get(p.set("k".getBytes(StandardCharsets.UTF_8)), GET, 1),
                "text and byte keys are the same key");
        assertNull(cache.get(p.set("k"), HGET_F, 1), "another read of the same key is cached apart");
        assertNull(cache.get(p.set("k2"), GET, 1));
        assertEquals(3, cache.misses());
        assertEquals(2, cache.hits());
    }

    @Test
    void concurrentMissesShareOneRead() throws Exception {
        ClientCache<Integer> cache = new ClientCache<>(1 << 20);
        int readers = 8;
        CountDownLatch go = new CountDownLatch(1);
        AtomicInteger started = new AtomicInteger();
        ConcurrentLinkedQueue<ClientCache.Load<Integer>> loads = new ConcurrentLinkedQueue<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < readers; i++) {
            int id = i;
            threads.add(Thread.ofPlatform().start(() -> {
                CacheKey.Probe p = new CacheKey.Probe();
                try {
                    go.await();
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
                Integer me = id + 1000; // a reader's own object (not a cached small Integer)
                ClientCache.Load<Integer> l = cache.load(p.set("shared"), GET, me, 0);
                if (l.startedBy(me)) {
                    started.incrementAndGet();
                }
                loads.add(l);
            }));
        }
        go.countDown();
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(1, started.get(), "one reader sends the read");
        ClientCache.Load<Integer> first = loads.peek();
        for (ClientCache.Load<Integer> l : loads) {
            assertSame(first, l, "every reader joined the same load");
        }
        cache.complete(first, bytes("+x\r\n"), FOREVER);
        assertEquals(readers, first.waiters().size(), "and every reader gets its reply");
    }

    /** The rule that makes a stale read impossible: an invalidation parsed before the reply cancels the load. */
    @Test
    void anInvalidationBeforeTheReplyKeepsTheReplyOutOfTheCache() {
        ClientCache<String> cache = new ClientCache<>(1 << 20);
        CacheKey.Probe p = new CacheKey.Probe();
        ClientCache.Load<String> load = cache.load(p.set("k"), GET, "r", 0);
        cache.invalidate(bytes("k"));
        assertFalse(cache.complete(load, bytes("+old\r\n"), FOREVER), "not stored");
        assertEquals(List.of("r"), load.waiters(), "its reader still gets the reply");
        assertNull(cache.get(p.set("k"), GET, 1));
        assertEquals(0, cache.bytes());
        String r2 = new String("r2");
        ClientCache.Load<String> again = cache.load(p.set("k"), GET, r2, 1);
        assertTrue(again.startedBy(r2), "the next reader reads afresh");
    }

    @Test
    void anInvalidationAfterTheReplyRemovesEveryReadOfTheKey() {
        ClientCache<String> cache = new ClientCache<>(1 << 20);
        CacheKey.Probe p = new CacheKey.Probe();
        cache.complete(cache.load(p.set("k"), GET, "a", 0), bytes("+1\r\n"), FOREVER);
        cache.complete(cache.load(p.set("k"), HGET_F, "b", 0), bytes("+2\r\n"), FOREVER);
        assertTrue(cache.bytes() > 0);
        cache.invalidate(bytes("k"));
        assertNull(cache.get(p.set("k"), GET, 1));
        assertNull(cache.get(p.set("k"), HGET_F, 1));
        assertEquals(0, cache.bytes(), "the bytes are given back");
        assertEquals(1, cache.invalidations());
    }

    @Test
    void aClearEmptiesEverythingAndCancelsLoads() {
        ClientCache<String> cache = new ClientCache<>(1 << 20);
        CacheKey.Probe p = new CacheKey.Probe();
        cache.complete(cache.load(p.set("a"), GET, "a", 0), bytes("+1\r\n"), FOREVER);
        ClientCache.Load<String> inFlight = cache.load(p.set("b"), GET, "b", 0);
        cache.clear();
        assertNull(cache.get(p.set("a"), GET, 1));
        assertFalse(cache.complete(inFlight, bytes("+2\r\n"), FOREVER), "a read sent before the clear is not stored");
        assertEquals(0, cache.bytes());
    }

    @Test
    void aReplyExpiresAtItsTime() {
        ClientCache<String> cache = new ClientCache<>(1 << 20);
        CacheKey.Probe p = new CacheKey.Probe();
        cache.complete(cache.load(p.set("k"), GET, "a", 0), bytes("+1\r\n"), 100);
        assertNotNull(cache.get(p.set("k"), GET, 99));
        assertNull(cache.get(p.set("k"), GET, 100), "expired");
        String b = new String("b");
        ClientCache.Load<String> reload = cache.load(p.set("k"), GET, b, 100);
        assertTrue(reload.startedBy(b), "an expired reply is read again");
        assertEquals(0, cache.bytes(), "the expired reply's bytes were given back");
    }

    /** A keyspace ten times the bound: never over it after a store; what is read often stays. */
    @Test
    void memoryStaysWithinTheBoundAndHotKeysSurvive() {
        long max = 64 << 10;
        ClientCache<String> cache = new ClientCache<>(max);
        CacheKey.Probe p = new CacheKey.Probe();
        byte[] reply = new byte[200];
        int perEntry = ClientCache.ENTRY_OVERHEAD + 200 + 3 + 8; // signature GET, keys key:NNNN
        int keys = (int) (10 * max / perEntry);
        for (int i = 0; i < keys; i++) {
            cache.complete(cache.load(p.set(key(i)), GET, "w", 0), reply, FOREVER);
            assertTrue(cache.bytes() <= max, "over the bound after store " + i + ": " + cache.bytes());
            assertNotNull(cache.get(p.set(key(0)), GET, 1), "the hot key is evicted at " + i);
        }
        assertTrue(cache.evictions() > keys / 2, "evictions: " + cache.evictions());
        long held = 0;
        for (int i = 0; i < keys; i++) {
            if (cache.get(p.set(key(i)), GET, 1) != null) {
                held++;
            }
        }
        assertTrue(held * perEntry <= max && held > max / perEntry / 2, "held " + held);
    }

    @Test
    void aLoadInProgressIsNeverEvicted() {
        ClientCache<String> cache = new ClientCache<>(4096);
        CacheKey.Probe p = new CacheKey.Probe();
        ClientCache.Load<String> waiting = cache.load(p.set("pending"), GET, "w", 0);
        for (int i = 0; i < 1000; i++) {
            cache.complete(cache.load(p.set(key(i)), GET, "x", 0), new byte[100], FOREVER);
        }
        assertTrue(cache.complete(waiting, bytes("+late\r\n"), FOREVER), "the load survived the evictions");
        assertNotNull(cache.get(p.set("pending"), GET, 1));
    }

    @Test
    void aHitAllocatesNothing() {
        ClientCache<String> cache = new ClientCache<>(1 << 20);
        CacheKey.Probe p = new CacheKey.Probe();
        String[] keys = new String[64];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = "user:" + i + ":ü€";
            cache.complete(cache.load(p.set(keys[i]), GET, "w", 0), bytes("+v\r\n"), FOREVER);
        }
        long[] sink = new long[1];
        Runnable window = () -> {
            for (int r = 0; r < 200_000; r++) {
                sink[0] += cache.get(p.set(keys[r & 63]), GET, 1).length;
            }
        };
        assertNothingAllocated(window);
        assertTrue(sink[0] > 0);
    }

    @Test
    void aHitReadsTheClockOnlyForAReplyWithADeadlineAndEndsItThere() {
        ClientCache<String> cache = new ClientCache<>(1 << 20);
        CacheKey.Probe p = new CacheKey.Probe();
        cache.complete(cache.load(p.set("due"), GET, "a", 0), bytes("+1\r\n"), 100);
        cache.complete(cache.load(p.set("never"), GET, "a", 0), bytes("+2\r\n"), ClientCache.NEVER);
        long[] now = {99};
        int[] reads = {0};
        java.util.function.LongSupplier clock = () -> {
            reads[0]++;
            return now[0];
        };
        assertNotNull(cache.entry("due", GET, clock));
        assertEquals(1, reads[0]);
        assertNotNull(cache.entry("never", GET, clock));
        assertNull(cache.entry("absent", GET, clock));
        assertEquals(1, reads[0], "no clock for a reply that never expires, nor for a miss");
        now[0] = 100;
        assertNull(cache.entry("due", GET, clock), "expired at its deadline");
        assertNull(cache.entry(p.set("due"), GET, clock), "by a probe too");
        assertNotNull(cache.entry("never", GET, Long.MAX_VALUE - 1), "NEVER outlives every clock value");
        assertEquals(3, cache.hits());
        assertEquals(3, cache.misses());
    }

    @Test
    void aStringKeyIsItsOwnProbeAndAHitThroughItAllocatesNothing() {
        ClientCache<String> cache = new ClientCache<>(1 << 20);
        CacheKey.Probe p = new CacheKey.Probe();
        byte[] get = ClientCache.signature("GET");
        String[] keys = new String[64];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = i % 2 == 0 ? "user:" + i : "user:" + i + ":ü€\uD83D\uDE00";
            cache.complete(cache.load(p.set(keys[i]), get, "w", 0), bytes("+v" + i + "\r\n"), FOREVER);
        }
        for (int i = 0; i < keys.length; i++) {
            String copy = new String(keys[i].toCharArray()); // not the stored instance: matched by equals
            assertArrayEquals(bytes("+v" + i + "\r\n"), cache.entry(copy, get, 1).view().toArray(
                    java.lang.foreign.ValueLayout.JAVA_BYTE));
            assertNotNull(cache.entry(p.set(bytes(keys[i])), get, 1), "the same key by its bytes");
            assertNotNull(cache.entry(copy, GET, 1), "an equal signature (not the constant) matches too");
        }
        cache.invalidate(bytes(keys[1]));
        assertNull(cache.entry(keys[1], get, 1), "an invalidation by bytes removes the String's entry");
        assertNotNull(cache.entry(keys[0], get, 1));
        assertNull(cache.entry(keys[0], get, FOREVER), "expired");
        long[] sink = new long[1];
        Runnable window = () -> {
            for (int r = 0; r < 200_000; r++) {
                ClientCache.Ready hit = cache.entry(keys[(r & 31) * 2], get, 1);
                sink[0] += hit.view().byteSize();
            }
        };
        assertNothingAllocated(window);
        assertTrue(sink[0] > 0);
    }

    @Test
    void aTextKeyWithALoneSurrogateIsFoundByItsProbe() {
        ClientCache<String> cache = new ClientCache<>(1 << 20);
        CacheKey.Probe p = new CacheKey.Probe();
        String lone = "k\uD800x";
        cache.complete(cache.load(p.set(lone), GET, "w", 0), bytes("+v\r\n"), FOREVER);
        assertNotNull(cache.entry(p.set(lone), GET, 1));
        assertNotNull(cache.entry("k?x", GET, 1), "stored as its UTF-8, where the surrogate is '?'");
        assertNull(cache.entry(lone, GET, 1), "the String itself is not its UTF-8: a miss, never a wrong hit");
        cache.invalidate(bytes("k?x"));
        assertNull(cache.entry(p.set(lone), GET, 1));
    }

    @Test
    void aMalformedByteKeyIsKeptApartFromEveryString() {
        ClientCache<String> cache = new ClientCache<>(1 << 20);
        CacheKey.Probe p = new CacheKey.Probe();
        byte[] bad = {'k', (byte) 0xC0, (byte) 0x80}; // overlong NUL: decodes to "k\uFFFD\uFFFD"
        cache.complete(cache.load(p.set(bad), GET, "w", 0), bytes("+v\r\n"), FOREVER);
        assertNotNull(cache.entry(p.set(bad.clone()), GET, 1));
        assertNull(cache.entry(new String(bad, StandardCharsets.UTF_8), GET, 1));
        assertNull(cache.entry(p.set(new String(bad, StandardCharsets.UTF_8)), GET, 1));
        cache.invalidate(bad.clone());
        assertNull(cache.entry(p.set(bad), GET, 1));
    }

    /** Property: a key's hash and equality are those of the String its bytes decode to, exactly when they round-trip. */
    @Test
    void keysHashAndCompareAsTheirUtf8Decoding() {
        Random random = new Random(19);
        int[] pool = {0x00, 0x41, 0x7F, 0x80, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xA0, 0x9F, 0xED, 0xEF, 0xF0, 0x90,
                0x8F, 0xF4, 0xF5, 0xFF};
        CacheKey.Probe p = new CacheKey.Probe();
        for (int round = 0; round < 200_000; round++) {
            byte[] b = new byte[random.nextInt(7)];
            for (int i = 0; i < b.length; i++) {
                b[i] = (byte) (random.nextInt(3) == 0 ? random.nextInt(256) : pool[random.nextInt(pool.length)]);
            }
            String s = new String(b, StandardCharsets.UTF_8);
            boolean roundTrips = java.util.Arrays.equals(s.getBytes(StandardCharsets.UTF_8), b);
            assertEquals(roundTrips, Utf8.wellFormed(b), () -> java.util.HexFormat.of().formatHex(b));
            Object stored = CacheKey.stored(b.clone());
            assertEquals(roundTrips, stored instanceof String);
            assertEquals(b.length, CacheKey.length(stored));
            assertTrue(p.set(b).equals(stored));
            assertTrue(new CacheKey(b).equals(stored));
            assertEquals(stored.hashCode(), p.hashCode());
            if (roundTrips) {
                assertEquals(s.hashCode(), CacheKey.hash(b));
                assertTrue(p.set(s).equals(stored), "the text probe");
                assertEquals(s.hashCode(), p.hashCode());
                assertEquals(s, p.toKey());
            } else {
                assertFalse(p.set(s).equals(stored), "a String never equals malformed bytes");
            }
        }
    }

    /**
     * Property: over random interleavings of reads, server writes and the writer parsing the connection's stream in
     * order, a reader never gets a value older than the last write whose invalidation has been parsed.
     */
    @Test
    void noReaderEverSeesAValueOlderThanAParsedInvalidation() {
        Random random = new Random(2026);
        for (int round = 0; round < 500; round++) {
            runInterleaving(new Random(random.nextLong()));
        }
    }

    private static void runInterleaving(Random random) {
        ClientCache<Integer> cache = new ClientCache<>(random.nextBoolean() ? 1 << 20 : 700);
        CacheKey.Probe p = new CacheKey.Probe();
        int keys = 1 + random.nextInt(3);
        int[] serverVersion = new int[keys];
        int[] invalidatedUpTo = new int[keys]; // the newest version whose invalidation the writer has parsed
        // reads the server has not run yet, in the order they were sent, and the stream of what it sent back
        ArrayDeque<ClientCache.Load<Integer>> sent = new ArrayDeque<>();
        Map<ClientCache.Load<Integer>, Integer> keyOf = new HashMap<>();
        ArrayDeque<Object[]> stream = new ArrayDeque<>();
        for (int step = 0; step < 200; step++) {
            int k = random.nextInt(keys);
            switch (random.nextInt(4)) {
                case 0 -> { // a reader
                    byte[] hit = cache.get(p.set(key(k)), GET, step);
                    if (hit != null) {
                        int v = Integer.parseInt(new String(hit, StandardCharsets.UTF_8));
                        assertTrue(v >= invalidatedUpTo[k], "read version " + v + " of key " + k
                                + " after the invalidation of version " + invalidatedUpTo[k] + " was parsed");
                    } else {
                        Integer me = step + 1000;
                        ClientCache.Load<Integer> l = cache.load(p.set(key(k)), GET, me, step);
                        if (l != null && l.startedBy(me)) {
                            sent.add(l);
                            keyOf.put(l, k);
                        }
                    }
                }
                case 1 -> { // the server runs the oldest read it has: its reply joins the stream
                    ClientCache.Load<Integer> l = sent.poll();
                    if (l != null) {
                        stream.add(new Object[] {"reply", l, serverVersion[keyOf.get(l)]});
                    }
                }
                case 2 -> { // another client writes: the server sends an invalidation after what it sent so far
                    serverVersion[k]++;
                    stream.add(new Object[] {"invalidate", k, serverVersion[k]});
                }
                default -> { // the writer parses the next thing on the connection
                    Object[] e = stream.poll();
                    if (e == null) {
                        continue;
                    }
                    if (e[0].equals("reply")) {
                        @SuppressWarnings("unchecked")
                        ClientCache.Load<Integer> l = (ClientCache.Load<Integer>) e[1];
                        cache.complete(l, bytes(Integer.toString((Integer) e[2])), Long.MAX_VALUE / 2);
                    } else {
                        int key = (Integer) e[1];
                        cache.invalidate(bytes(key(key)));
                        invalidatedUpTo[key] = Math.max(invalidatedUpTo[key], (Integer) e[2]);
                    }
                }
            }
        }
    }

    /** 200,000 hits after a warm-up (the probe reuses all it needs: nothing is left to escape analysis). */
    private static void assertNothingAllocated(Runnable window) {
        for (int w = 0; w < 5; w++) {
            window.run();
        }
        List<Long> windows = AllocationWindows.measure(window);
        assertEquals(0L, windows.get(windows.size() - 1), "bytes allocated by 200,000 hits: " + windows);
    }

    private static String key(int i) {
        return "key:" + String.format("%04d", i);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
