package io.respin.engine.cache;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A key the cache holds replies for (every read of it: GET k, HGETALL k... live under one key, so that one
 * invalidation of k drops them all). Stored keys are immutable; a reader probes with a reusable {@link Probe}
 * over its own key object instead, so that a hit allocates nothing.
 */
public final class CacheKey {
    final byte[] key;
    final int hash;

    CacheKey(byte[] key) {
        this.key = key;
        this.hash = hash(key);
    }

    /** A stored key for {@code key} (copied). */
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
        return o instanceof Probe p && p.equals(this);
    }

    @Override public String toString() {
        return "CacheKey[" + new String(key, StandardCharsets.UTF_8) + "]";
    }

    static int hash(byte[] key) {
        int h = 1;
        for (byte b : key) {
            h = 31 * h + b;
        }
        return h ^ (h >>> 16);
    }

    /**
     * A mutable look-up key over the caller's own key object — bytes, or text hashed and compared as UTF-8 on the
     * fly — so that probing the cache allocates nothing. One per reader thread; never stored.
     */
    public static final class Probe {
        private byte[] bytes;
        private CharSequence text;
        private int hash;
        /** The text key is all ASCII: compared char for byte, without the UTF-8 cursor. */
        private boolean ascii;
        /** Reused for every text key: a hit must not depend on escape analysis to allocate nothing. */
        private final Utf8 cursor = new Utf8(null);

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
            int h = 1;
            int n = key.length();
            int i = 0;
            for (; i < n; i++) { // ASCII, the common key: its chars are its bytes
                char c = key.charAt(i);
                if (c >= 0x80) {
                    break;
                }
                h = 31 * h + c;
            }
            this.ascii = i == n;
            if (ascii) {
                this.hash = h ^ (h >>> 16);
                return this;
            }
            h = 1;
            Utf8 u = cursor.reset(key);
            for (int b; (b = u.next()) >= 0; ) {
                h = 31 * h + (byte) b;
            }
            this.hash = h ^ (h >>> 16);
            return this;
        }

        /** A stored key equal to this probe (copies the probed bytes). */
        public CacheKey toKey() {
            return new CacheKey(bytes != null ? bytes.clone() : text.toString().getBytes(StandardCharsets.UTF_8));
        }

        @Override public int hashCode() {
            return hash;
        }

        @Override public boolean equals(Object o) {
            if (!(o instanceof CacheKey k) || k.hash != hash) {
                return false;
            }
            if (bytes != null) {
                return Arrays.equals(bytes, k.key);
            }
            byte[] kb = k.key;
            if (ascii) {
                int n = text.length();
                if (n != kb.length) {
                    return false;
                }
                for (int i = 0; i < n; i++) {
                    if (kb[i] != (byte) text.charAt(i)) {
                        return false;
                    }
                }
                return true;
            }
            Utf8 u = cursor.reset(text);
            int i = 0;
            for (int b; (b = u.next()) >= 0; i++) {
                if (i >= k.key.length || k.key[i] != (byte) b) {
                    return false;
                }
            }
            return i == k.key.length;
        }
    }

    /** UTF-8 bytes of a char sequence, one at a time; a probe's own, reset for each key (one thread). */
    private static final class Utf8 {
        private CharSequence s;
        private int i;
        private int pending;
        private int pendingCount;

        Utf8(CharSequence s) {
            this.s = s;
        }

        Utf8 reset(CharSequence text) {
            s = text;
            i = 0;
            pending = 0;
            pendingCount = 0;
            return this;
        }

        /** The next byte (0..255), or -1 at the end. */
        int next() {
            if (pendingCount > 0) {
                pendingCount--;
                return (pending >>> (8 * pendingCount)) & 0xFF;
            }
            if (i >= s.length()) {
                return -1;
            }
            char c = s.charAt(i++);
            if (c < 0x80) {
                return c;
            }
            int cp;
            if (Character.isHighSurrogate(c) && i < s.length() && Character.isLowSurrogate(s.charAt(i))) {
                cp = Character.toCodePoint(c, s.charAt(i++));
            } else if (Character.isSurrogate(c)) {
                return '?';
            } else {
                cp = c;
            }
            if (cp < 0x800) {
                pending = 0x80 | (cp & 0x3F);
                pendingCount = 1;
                return 0xC0 | (cp >> 6);
            }
            if (cp < 0x10000) {
                pending = (0x80 | ((cp >> 6) & 0x3F)) << 8 | (0x80 | (cp & 0x3F));
                pendingCount = 2;
                return 0xE0 | (cp >> 12);
            }
            pending = (0x80 | ((cp >> 12) & 0x3F)) << 16 | (0x80 | ((cp >> 6) & 0x3F)) << 8 | (0x80 | (cp & 0x3F));
            pendingCount = 3;
            return 0xF0 | (cp >> 18);
        }
    }
}
