package io.respin.engine.cluster;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The Redis Cluster hash slot of a key: CRC16-CCITT (XMODEM: polynomial 0x1021, initial value 0, as Redis'
 * {@code crc16.c}) of the key modulo {@value #COUNT}. When the key holds a hash tag — a {@code '{'}, then the
 * first {@code '}'} after it, with at least one byte between — only the bytes between the braces are hashed, so
 * {@code {user:42}:profile} and {@code {user:42}:cart} share a slot. Every method works in place and allocates
 * nothing: the router calls them once per command.
 *
 * <pre>{@code
 * int a = Slots.slot("{user:42}:profile");            // the slot of "user:42"
 * int b = Slots.slot(keyBytes);                        // binary keys hash their bytes
 * int c = Slots.slot(segment, offset, length);         // a key still in a buffer
 * }</pre>
 */
public final class Slots {
    /** Number of hash slots in a Redis Cluster. */
    public static final int COUNT = 16384;

    /** CRC16 of every byte value, so each key byte costs one lookup instead of eight shifts. */
    private static final char[] TABLE = table();

    private Slots() {
    }

    /** The slot of a binary key. */
    public static int slot(byte[] key) {
        return slot(key, 0, key.length);
    }

    /** The slot of {@code key[offset, offset + length)}. */
    public static int slot(byte[] key, int offset, int length) {
        int end = offset + length;
        int open = indexOf(key, '{', offset, end);
        if (open >= 0) {
            int close = indexOf(key, '}', open + 1, end);
            if (close > open + 1) {
                return crc16(key, open + 1, close) & (COUNT - 1);
            }
        }
        return crc16(key, offset, end) & (COUNT - 1);
    }

    /** The slot of the {@code length} bytes of {@code key} at {@code offset}. */
    public static int slot(MemorySegment key, long offset, long length) {
        long end = offset + length;
        long open = indexOf(key, '{', offset, end);
        if (open >= 0) {
            long close = indexOf(key, '}', open + 1, end);
            if (close > open + 1) {
                return crc16(key, open + 1, close) & (COUNT - 1);
            }
        }
        return crc16(key, offset, end) & (COUNT - 1);
    }

    /**
     * The slot of a text key's UTF-8 bytes — the bytes {@code RespWriter.arg(CharSequence)} sends, an unpaired
     * surrogate as {@code '?'} — encoded on the fly, not copied.
     */
    public static int slot(CharSequence key) {
        int n = key.length();
        int open = indexOf(key, '{', 0, n);
        if (open >= 0) {
            int close = indexOf(key, '}', open + 1, n);
            if (close > open + 1) {
                return crc16(key, open + 1, close) & (COUNT - 1);
            }
        }
        return crc16(key, 0, n) & (COUNT - 1);
    }

    /** CRC16-CCITT (XMODEM) of {@code bytes[from, to)}, as Redis' {@code crc16()}. */
    public static int crc16(byte[] bytes, int from, int to) {
        int crc = 0;
        for (int i = from; i < to; i++) {
            crc = step(crc, bytes[i]);
        }
        return crc;
    }

    private static int crc16(MemorySegment bytes, long from, long to) {
        int crc = 0;
        for (long i = from; i < to; i++) {
            crc = step(crc, bytes.get(ValueLayout.JAVA_BYTE, i));
        }
        return crc;
    }

    /** The CRC of the UTF-8 encoding of {@code s[from, to)}. */
    private static int crc16(CharSequence s, int from, int to) {
        int crc = 0;
        for (int i = from; i < to; i++) {
            int c = s.charAt(i);
            if (c < 0x80) {
                crc = step(crc, c);
                continue;
            }
            if (Character.isHighSurrogate((char) c) && i + 1 < to && Character.isLowSurrogate(s.charAt(i + 1))) {
                c = Character.toCodePoint((char) c, s.charAt(++i));
            } else if (Character.isSurrogate((char) c)) {
                crc = step(crc, '?');
                continue;
            }
            // lead byte, then 1..3 continuation bytes of 6 bits each, most significant first
            int tail = c < 0x800 ? 1 : c < 0x10000 ? 2 : 3;
            crc = step(crc, (0xFF00 >> (tail + 1)) & 0xFF | c >> (6 * tail));
            for (int shift = 6 * (tail - 1); shift >= 0; shift -= 6) {
                crc = step(crc, 0x80 | (c >> shift) & 0x3F);
            }
        }
        return crc;
    }

    private static int step(int crc, int b) {
        return (crc << 8 ^ TABLE[(crc >> 8 ^ b) & 0xFF]) & 0xFFFF;
    }

    private static int indexOf(byte[] b, char c, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }

    private static long indexOf(MemorySegment b, char c, long from, long to) {
        for (long i = from; i < to; i++) {
            if (b.get(ValueLayout.JAVA_BYTE, i) == c) {
                return i;
            }
        }
        return -1;
    }

    private static int indexOf(CharSequence s, char c, int from, int to) {
        for (int i = from; i < to; i++) {
            if (s.charAt(i) == c) {
                return i;
            }
        }
        return -1;
    }

    private static char[] table() {
        char[] t = new char[256];
        for (int b = 0; b < 256; b++) {
            int crc = b << 8;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 0x8000) != 0 ? crc << 1 ^ 0x1021 : crc << 1;
            }
            t[b] = (char) (crc & 0xFFFF);
        }
        return t;
    }
}
