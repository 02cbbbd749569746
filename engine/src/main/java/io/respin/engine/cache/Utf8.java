package io.respin.engine.cache;

/**
 * Well-formed UTF-8 (Unicode table 3-7: no overlong forms, no surrogates, nothing past U+10FFFF), decoded on the
 * fly without allocating: whether a key's bytes are the encoding of a String, that String's hash, and equality with
 * a String. Exactly the byte arrays that {@code new String(b, UTF_8).getBytes(UTF_8)} gives back unchanged.
 */
final class Utf8 {
    /** {@link #stringHash} of malformed bytes. */
    static final long MALFORMED = -1L;

    private Utf8() {
    }

    static boolean wellFormed(byte[] b) {
        return stringHash(b) != MALFORMED;
    }

    /** The {@link String#hashCode()} of {@code b}'s decoding (as an unsigned int), or {@link #MALFORMED}. */
    static long stringHash(byte[] b) {
        int h = 0;
        for (int i = 0, n = b.length; i < n; ) {
            int c = b[i];
            if (c >= 0) { // ASCII, the common key
                h = 31 * h + c;
                i++;
                continue;
            }
            int s = step(b, i);
            if (s < 0) {
                return MALFORMED;
            }
            int cp = s >>> 3;
            if (cp >= 0x10000) {
                h = 31 * (31 * h + Character.highSurrogate(cp)) + Character.lowSurrogate(cp);
            } else {
                h = 31 * h + cp;
            }
            i += s & 7;
        }
        return h & 0xFFFFFFFFL;
    }

    /** Whether {@code b} is the UTF-8 encoding of {@code s} (false for malformed bytes). */
    static boolean equals(byte[] b, String s) {
        int j = 0;
        int m = s.length();
        for (int i = 0, n = b.length; i < n; ) {
            int c = b[i];
            if (c >= 0) {
                if (j >= m || s.charAt(j++) != c) {
                    return false;
                }
                i++;
                continue;
            }
            int st = step(b, i);
            if (st < 0) {
                return false;
            }
            int cp = st >>> 3;
            if (cp >= 0x10000) {
                if (j + 1 >= m || s.charAt(j) != Character.highSurrogate(cp)
                        || s.charAt(j + 1) != Character.lowSurrogate(cp)) {
                    return false;
                }
                j += 2;
            } else {
                if (j >= m || s.charAt(j++) != cp) {
                    return false;
                }
            }
            i += st & 7;
        }
        return j == m;
    }

    /** The UTF-8 length of {@code s} (an unpaired surrogate counts as the one byte '?' it is written as). */
    static int length(String s) {
        int len = 0;
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                len++;
            } else if (c < 0x800) {
                len += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                len += 4;
                i++;
            } else {
                len += Character.isSurrogate(c) ? 1 : 3;
            }
        }
        return len;
    }

    /**
     * The non-ASCII sequence at {@code i}: its code point {@code << 3 | its length}, or -1 when malformed.
     */
    private static int step(byte[] b, int i) {
        int n = b.length;
        int b0 = b[i] & 0xFF;
        if (b0 < 0xC2) {
            return -1; // a continuation byte, or an overlong 2-byte lead
        }
        if (b0 < 0xE0) {
            if (i + 1 >= n || !continuation(b[i + 1])) {
                return -1;
            }
            return ((b0 & 0x1F) << 6 | (b[i + 1] & 0x3F)) << 3 | 2;
        }
        if (b0 < 0xF0) {
            if (i + 2 >= n) {
                return -1;
            }
            int b1 = b[i + 1] & 0xFF;
            int lo = b0 == 0xE0 ? 0xA0 : 0x80; // no overlong
            int hi = b0 == 0xED ? 0x9F : 0xBF; // no surrogates
            if (b1 < lo || b1 > hi || !continuation(b[i + 2])) {
                return -1;
            }
            return ((b0 & 0x0F) << 12 | (b1 & 0x3F) << 6 | (b[i + 2] & 0x3F)) << 3 | 3;
        }
        if (b0 < 0xF5) {
            if (i + 3 >= n) {
                return -1;
            }
            int b1 = b[i + 1] & 0xFF;
            int lo = b0 == 0xF0 ? 0x90 : 0x80; // no overlong
            int hi = b0 == 0xF4 ? 0x8F : 0xBF; // nothing past U+10FFFF
            if (b1 < lo || b1 > hi || !continuation(b[i + 2]) || !continuation(b[i + 3])) {
                return -1;
            }
            return ((b0 & 0x07) << 18 | (b1 & 0x3F) << 12 | (b[i + 2] & 0x3F) << 6 | (b[i + 3] & 0x3F)) << 3 | 4;
        }
        return -1;
    }

    private static boolean continuation(byte b) {
        return (b & 0xC0) == 0x80;
    }
}
