package io.respin.engine.cache;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A key the cache holds replies for (every read of it: GET k, HGETALL k... live under one key, so that one
 * invalidation of k drops them all), and how a reader finds it without allocating.
 *
 * <p>The map's keys are canonical: a key whose bytes are well-formed UTF-8 is stored as its {@link String} (the one
 * a reader gave, when it was a String), any other as a {@code CacheKey} over its bytes. Every key hashes as the
 * {@link String#hashCode()} of its UTF-8 decoding ({@link #hash}), a malformed one by its bytes. So a reader with a
 * String key looks it up with the String itself — its hash is cached in it and a key it stored matches by identity
 * — while byte keys and invalidations (bytes) probe with a reused {@link Probe} that decodes on the fly.
 *
 * <pre>
 *   stored key     bytes well-formed UTF-8 ──▶ String (hash: String.hashCode, cached)
 *                  otherwise               ──▶ CacheKey(bytes) (hash: of the bytes)
 *   look-up        String          ──▶ map.get(string)          (no probe, no hashing after the first)
 *                  byte[] / text   ──▶ map.get(probe.set(...)) (decodes / encodes on the fly)
 * </pre>
 */
public final class CacheKey {
    final byte[] key;
    final int hash;

    CacheKey(byte[] key) {
        this.key = key;
        this.hash = hash(key);
    }

    /** A look-up key for {@code key} (copied); equal to the stored key of the same bytes, whichever its kind. */
    public static CacheKey of(byte[] key) {
        return new CacheKey(key.clone());
    }

    /** The key's bytes (a copy). */
    public byte[] bytes() {
        return key.clone();
    }

    @Override public int hashCode() {
        return hash;
    }

    @Override public boolean equals(Object o) {
        if (o instanceof CacheKey k) {
            return hash == k.hash && Arrays.equals(key, k.key);
        }
        if (o instanceof String s) {
            return s.hashCode() == hash && Utf8.equals(key, s);
        }
        return o instanceof Probe p && p.equals(this);
    }

    @Override public String toString() {
        return "CacheKey[" + new String(key, StandardCharsets.UTF_8) + "]";
    }

    /** The stored form of {@code key} (not copied: the caller's own array). */
    static Object stored(byte[] key) {
        return Utf8.wellFormed(key) ? new String(key, StandardCharsets.UTF_8) : new CacheKey(key);
    }

    /** The stored key's UTF-8 length (what the memory bound counts). */
    static int length(Object stored) {
        return stored instanceof CacheKey k ? k.key.length : Utf8.length((String) stored);
    }

    /**
     * The hash of a key's bytes: for well-formed UTF-8, the {@link String#hashCode()} of its decoding (so that a
     * String key is its own probe); for any other bytes, a hash of the bytes.
     */
    static int hash(byte[] key) {
        long text = Utf8.stringHash(key);
        if (text != Utf8.MALFORMED) {
            return (int) text;
        }
        int h = 1;
        for (byte b : key) {
            h = 31 * h + b;
        }
        return h;
    }

    /**
     * A mutable look-up key over the caller's own key object — bytes, or text compared as its UTF-8 on the fly — so
     * that probing the cache allocates nothing. One per reader thread (or the writer's own); never stored.
     */
    public static final class Probe {
        private byte[] bytes;
        private CharSequence text;
        private int hash;
        /** The text has an unpaired surrogate (its UTF-8 has '?' there, so it is not its own stored key). */
        private boolean lone;

        /** Probes for a byte key. */
        public Probe set(byte[] key) {
            this.bytes = key;
            this.text = null;
            this.hash = CacheKey.hash(key);
            return this;
        }

        /** Probes for a text key (its UTF-8 bytes, as the UTF-8 codec writes them, unpaired surrogates as '?'). */
        public Probe set(CharSequence key) {
            this.bytes = null;
            this.text = key;
            int h = 0;
            boolean l = false;
            for (int i = 0, n = key.length(); i < n; i++) {
                char c = key.charAt(i);
                if (Character.isSurrogate(c)) {
                    if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(key.charAt(i + 1))) {
                        h = 31 * (31 * h + c) + key.charAt(++i);
                        continue;
                    }
                    l = true;
                    c = '?';
                }
                h = 31 * h + c;
            }
            this.lone = l;
            this.hash = h;
            return this;
        }

        /** The stored key equal to this probe: the probed String itself when it is its own UTF-8, else a copy. */
        public Object toKey() {
            if (bytes != null) {
                return stored(bytes.clone());
            }
            if (text instanceof String s && !lone) {
                return s;
            }
            return new String(text.toString().getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
        }

        /** The probed key's UTF-8 bytes (a new array). */
        public byte[] toBytes() {
            return bytes != null ? bytes.clone() : text.toString().getBytes(StandardCharsets.UTF_8);
        }

        @Override public int hashCode() {
            return hash;
        }

        @Override public boolean equals(Object o) {
            if (o instanceof String s) {
                if (s.hashCode() != hash) {
                    return false;
                }
                return bytes != null ? Utf8.equals(bytes, s) : textEquals(s);
            }
            if (o instanceof CacheKey k) { // malformed UTF-8: never the encoding of a text key
                return bytes != null && k.hash == hash && Arrays.equals(bytes, k.key);
            }
            return false;
        }

        private boolean textEquals(String s) {
            CharSequence t = text;
            int n = t.length();
            if (n != s.length()) {
                return false;
            }
            if (!lone) {
                return s.contentEquals(t);
            }
            for (int i = 0; i < n; i++) {
                char c = t.charAt(i);
                if (Character.isSurrogate(c)) {
                    if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(t.charAt(i + 1))) {
                        if (s.charAt(i) != c || s.charAt(i + 1) != t.charAt(i + 1)) {
                            return false;
                        }
                        i++;
                        continue;
                    }
                    c = '?';
                }
                if (s.charAt(i) != c) {
                    return false;
                }
            }
            return true;
        }
    }
}
