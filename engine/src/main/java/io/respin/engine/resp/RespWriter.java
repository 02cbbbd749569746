package io.respin.engine.resp;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * Encodes commands as RESP arrays of bulk strings straight into a caller's segment, allocating nothing. When the
 * space runs out it keeps counting instead of writing, so the caller learns how many bytes the command needs.
 *
 * <pre>{@code
 * RespWriter w = new RespWriter();
 * w.wrap(out, pos, out.byteSize()).array(3).arg("SET").arg(key).arg(value);
 * if (w.overflowed()) grow(w.required()); else pos = w.position();
 * }</pre>
 *
 * <p>What one command looks like in the segment ({@code SET k 42}), from the wrap offset on:
 * <pre>
 *   *3\r\n $3\r\nSET\r\n $1\r\nk\r\n $2\r\n42\r\n
 *   \___/  \__________/  \________/  \_________/
 *   array   arg(String)   arg(byte[]) arg(long)
 * </pre>
 *
 * <p>Every argument is a bulk string; there is no inline form. Arguments are written whole or not at all: once
 * one does not fit between the current position and the limit, the writer is {@link #overflowed()} and writes
 * nothing more until the next {@link #wrap}, but still adds every later argument to {@link #required()}. The
 * bytes between {@link #position()} and the limit are then unspecified; the caller grows (or flushes) its buffer
 * to at least {@code required()} bytes and encodes the command again — the result is byte for byte what an
 * unconstrained encode would have written.
 *
 * <p>{@link #array(int)} announces how many arguments follow and the writer holds the caller to it: an argument
 * beyond the count, or a new array before the previous one is complete, throws {@link IllegalStateException}
 * (a miscounted command would desynchronise the connection, which is far worse than an exception).
 * Several commands may be encoded after one {@code wrap} (a pipeline); {@code required()} then counts all of them.
 *
 * <p>Formats: {@code long} in decimal ({@code Long.MIN_VALUE} included); {@code double} as
 * {@link Double#toString(double)} (shortest form that round-trips, e.g. {@code 0.1}, {@code 1.0E10},
 * {@code -0.0} — accepted by Redis's {@code strtod}/{@code strtold} parsers for ZADD, INCRBYFLOAT, …), with
 * infinities as {@code inf}/{@code -inf} (Redis's spelling) and NaN as {@code nan}, which Redis refuses with an
 * error reply ("value is not a valid float"); strings as UTF-8 with unpaired surrogates replaced by {@code '?'},
 * exactly as {@link String#getBytes(java.nio.charset.Charset)} does.
 *
 * <p>Not thread-safe: one writer per encoding thread (it is small and reusable).
 */
public final class RespWriter {

    private static final ValueLayout.OfByte BYTE = ValueLayout.JAVA_BYTE;
    private static final ValueLayout.OfShort CRLF_LAYOUT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final short CRLF = (short) ('\r' | '\n' << 8);
    private static final ValueLayout.OfInt ARRAY_HEADER_LAYOUT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong HEADER_LAYOUT = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    /** "$len\r\n" for len 0..99 as little-endian longs (unused high bytes zero). */
    private static final long[] SMALL_HEADERS = new long[100];

    static {
        for (int len = 0; len < SMALL_HEADERS.length; len++) {
            byte[] text = ("$" + len + "\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            long v = 0;
            for (int i = text.length - 1; i >= 0; i--) {
                v = v << 8 | (text[i] & 0xFF);
            }
            SMALL_HEADERS[len] = v;
        }
    }

    private static final byte[] INF = {'i', 'n', 'f'};
    private static final byte[] NEG_INF = {'-', 'i', 'n', 'f'};
    private static final byte[] NAN = {'n', 'a', 'n'};

    private MemorySegment out = MemorySegment.NULL;
    private long start;
    private long pos;
    private long limit;
    private long required;
    private boolean overflowed;
    private long pendingArgs;
    /** Window mode ({@link #wrapPart}): writes go to {@link #part} instead, which keeps one window of them. */
    private boolean window;
    private final RespPart part = new RespPart();

    // segment views of the last byte[] and ByteBuffer wrapped, so that wrapping the same one again allocates nothing
    private byte[] lastArray;
    private MemorySegment lastArraySegment;
    private ByteBuffer lastBuffer;
    private MemorySegment lastBufferSegment;

    /** Reused for short ASCII strings. */
    private final byte[] ascii = new byte[64];
    /** Reused for doubles: on JDK 25 {@code StringBuilder.append(double)} formats into its own array, no garbage. */
    private final StringBuilder doubleText = new StringBuilder(32);

    /**
     * Starts writing at {@code out[offset]}; nothing is written at or beyond {@code limit}. Forgets any earlier
     * state, including an unfinished command.
     *
     * @throws IllegalArgumentException unless {@code 0 <= offset <= limit <= out.byteSize()}, or when {@code out}
     *                                  is read-only
     */
    public RespWriter wrap(MemorySegment out, long offset, long limit) {
        if (offset < 0 || offset > limit || limit > out.byteSize()) {
            throw new IllegalArgumentException("bad range [" + offset + ", " + limit + ") for a segment of "
                    + out.byteSize() + " bytes: need 0 <= offset <= limit <= byteSize");
        }
        if (out.isReadOnly()) {
            throw new IllegalArgumentException("cannot encode into a read-only segment; pass a writable one");
        }
        this.out = out;
        this.start = offset;
        this.pos = offset;
        this.limit = limit;
        this.required = 0;
        this.overflowed = false;
        this.pendingArgs = 0;
        this.window = false;
        return this;
    }

    /**
     * Starts writing one part of a command too large for any buffer: the command's encoding is produced as a whole
     * (the encoder runs as usual) but only its bytes {@code [skip, skip + limit - offset)} are written, to
     * {@code out[offset, ...)}; nothing overflows. After the encoder ran, {@link #position()} is where the part
     * ended and {@link #partLength()} the whole command's length. Run the same encoder with growing {@code skip}
     * to stream the command through a small buffer — it must write the same bytes each time. A long string's
     * UTF-8 is resumed where the last part stopped, so streaming a value costs one pass over it in all.
     */
    public RespWriter wrapPart(MemorySegment out, long offset, long limit, long skip) {
        wrap(out, offset, limit);
        if (skip < 0) {
            throw new IllegalArgumentException("skip must be >= 0, got " + skip);
        }
        this.window = true;
        part.start(out, offset, limit, skip);
        return this;
    }

    /** In a part ({@link #wrapPart}): the whole command's encoded length, in bytes. */
    public long partLength() {
        return part.length();
    }

    /**
     * Starts writing into {@code out[offset, limit)}. Allocates only the first time it sees an array instance
     * (its segment view is kept for the next wrap).
     */
    public RespWriter wrap(byte[] out, int offset, int limit) {
        if (out != lastArray) {
            lastArraySegment = MemorySegment.ofArray(out);
            lastArray = out;
        }
        return wrap(lastArraySegment, offset, limit);
    }

    /**
     * Starts writing into {@code out} (heap or direct) from its position up to its limit. The buffer's position is
     * not moved: after a command that fit, {@code out.position((int) writer.position())}. Allocates only the first
     * time it sees a buffer instance.
     *
     * @throws IllegalArgumentException when the buffer is read-only
     */
    public RespWriter wrap(ByteBuffer out) {
        if (out != lastBuffer) {
            // the view covers the whole buffer, so that positions in it are the buffer's own indexes
            lastBufferSegment = MemorySegment.ofBuffer(out.duplicate().clear());
            lastBuffer = out;
        }
        return wrap(lastBufferSegment, out.position(), out.limit());
    }

    /** Starts a command of {@code n} arguments ({@code *n\r\n}); exactly {@code n} {@code arg} calls must follow. */
    public RespWriter array(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("a command has at least one argument (its name), got " + n);
        }
        if (pendingArgs != 0) {
            throw new IllegalStateException("previous command is missing " + pendingArgs + " argument(s)");
        }
        int size = 3 + decimalLength(n);
        if (window) {
            pendingArgs = n;
            part.array(n);
            return this;
        }
        if (reserve(size)) {
            if (n < 10) {
                // "*N\r\n": exactly four bytes, stored at once
                out.set(ARRAY_HEADER_LAYOUT, pos, '*' | ('0' + n) << 8 | '\r' << 16 | '\n' << 24);
            } else {
                out.set(BYTE, pos, (byte) '*');
                crlf(putDecimal(pos + 1, n, size - 3));
            }
            pos += size;
        }
        pendingArgs = n;
        return this;
    }

    /** A bulk string argument: all of {@code src}. */
    public RespWriter arg(MemorySegment src) {
        return arg(src, 0, src.byteSize());
    }

    /** A bulk string argument: {@code src[off, off + len)}. */
    public RespWriter arg(MemorySegment src, long off, long len) {
        Objects.checkFromIndexSize(off, len, src.byteSize());
        if (window) {
            partArgument();
            part.bulk(src, off, len);
            return this;
        }
        if (bulkStart(len)) {
            MemorySegment.copy(src, off, out, pos, len);
            bulkEnd(len);
        }
        return this;
    }

    /** A bulk string argument: all of {@code src}. */
    public RespWriter arg(byte[] src) {
        return arg(src, 0, src.length);
    }

    /** A bulk string argument: {@code src[off, off + len)}. */
    public RespWriter arg(byte[] src, int off, int len) {
        Objects.checkFromIndexSize(off, len, src.length);
        if (window) {
            partArgument();
            part.bulk(MemorySegment.ofArray(src), off, len);
            return this;
        }
        if (bulkStart(len)) {
            MemorySegment.copy(src, off, out, BYTE, pos, len);
            bulkEnd(len);
        }
        return this;
    }

    /**
     * A bulk string argument: {@code s} in UTF-8. Short ASCII strings pass through a reused 64-byte array (one bulk
     * copy is cheaper than a checked access per byte); everything else is encoded char by char into the segment.
     */
    public RespWriter arg(String s) {
        int n = s.length();
        if (n <= ascii.length && !window) {
            // short ASCII strings (command names, most keys): gather the bytes in a reused array and copy them in
            // one go, which is cheaper than a checked segment access per byte
            byte[] b = ascii;
            int i = 0;
            for (char c; i < n && (c = s.charAt(i)) < 0x80; i++) {
                b[i] = (byte) c;
            }
            if (i == n) {
                return arg(b, 0, n);
            }
        }
        return arg((CharSequence) s);
    }

    /** A bulk string argument: {@code s} in UTF-8, encoded straight into the segment (two passes over the chars). */
    public RespWriter arg(CharSequence s) {
        if (window) {
            partArgument();
            part.utf8(s);
            return this;
        }
        long len = utf8Length(s);
        if (bulkStart(len)) {
            putUtf8(s);
            bulkEnd(len);
        }
        return this;
    }

    /** A bulk string argument: {@code v} in decimal. */
    public RespWriter arg(long v) {
        int len = decimalLength(v);
        if (window) {
            partArgument();
            part.decimal(v);
            return this;
        }
        if (bulkStart(len)) {
            putDecimal(pos, v, len);
            bulkEnd(len);
        }
        return this;
    }

    /** A bulk string argument: {@code v} as described in the class comment ({@code inf}, {@code -inf}, {@code nan}). */
    public RespWriter arg(double v) {
        if (Double.isInfinite(v)) {
            return arg(v > 0 ? INF : NEG_INF);
        }
        if (Double.isNaN(v)) {
            return arg(NAN);
        }
        StringBuilder text = doubleText;
        text.setLength(0);
        text.append(v);
        int len = text.length();
        if (window) {
            partArgument();
            part.ascii(text);
            return this;
        }
        if (bulkStart(len)) {
            for (int i = 0; i < len; i++) {
                out.set(BYTE, pos + i, (byte) text.charAt(i));
            }
            bulkEnd(len);
        }
        return this;
    }

    /** Where the next byte would go: after the last byte written. Meaningless for the caller once overflowed. */
    public long position() {
        return window ? part.position() : pos;
    }

    /** True when something did not fit since the last {@link #wrap}: nothing more is written; retry with more room. */
    public boolean overflowed() {
        return overflowed;
    }

    /** Bytes everything encoded since {@link #wrap} needs, whether it fit or not. */
    public long required() {
        return required;
    }

    /** Bytes actually written since {@link #wrap}; equal to {@link #required()} unless overflowed. */
    public long written() {
        return pos - start;
    }

    /** True when every argument announced by the last {@link #array(int)} has been written (or counted). */
    public boolean complete() {
        return pendingArgs == 0;
    }

    // ---- sizes, for callers that want to size a buffer before encoding ----

    /** Bytes of an array header {@code *n\r\n}. */
    public static int sizeOfArray(int n) {
        return 3 + decimalLength(n);
    }

    /** Bytes of a bulk string argument of {@code payloadLength} bytes: {@code $len\r\n...\r\n}. */
    public static long sizeOfBulk(long payloadLength) {
        return 5 + decimalLength(payloadLength) + payloadLength;
    }

    /**
     * Bytes of {@code s} in UTF-8, as {@code s.toString().getBytes(UTF_8).length} without the copy: an unpaired
     * surrogate counts as the one byte {@code '?'} it is encoded as.
     */
    public static long utf8Length(CharSequence s) {
        int n = s.length();
        long len = n;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                continue;
            }
            if (c < 0x800) {
                len += 1;
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                len += 2; // the pair: 2 chars, 4 bytes
                i++;
            } else if (Character.isSurrogate(c)) {
                // unpaired: '?', one byte
            } else {
                len += 2;
            }
        }
        return len;
    }

    // ---- internals ----

    /** In a part: one more argument of the announced array (the same check as {@link #bulkStart}). */
    private void partArgument() {
        if (pendingArgs == 0) {
            throw new IllegalStateException("argument without a command: call array(n) first, or n was too small");
        }
        pendingArgs--;
    }

    /** Counts {@code size} bytes and says whether they fit; once something did not fit, nothing fits until wrap. */
    private boolean reserve(long size) {
        required += size;
        if (!overflowed && size <= limit - pos) {
            return true;
        }
        overflowed = true;
        return false;
    }

    /** Checks the argument count, reserves the whole bulk and writes its header; true when the payload may follow. */
    private boolean bulkStart(long len) {
        if (pendingArgs == 0) {
            throw new IllegalStateException("argument without a command: call array(n) first, or n was too small");
        }
        pendingArgs--;
        int header = 3 + decimalLength(len);
        if (!reserve(header + len + 2)) {
            return false;
        }
        if (len < 100 && len >= 2) {
            // "$N\r\n" or "$NN\r\n" assembled in a register and stored at once: 4 or 5 header bytes plus at least
            // 2 + 2 reserved payload/CRLF bytes, so the 8-byte store stays inside the reserved space (what spills
            // past the header is overwritten by the payload and its CRLF right after)
            out.set(HEADER_LAYOUT, pos, SMALL_HEADERS[(int) len]);
        } else {
            out.set(BYTE, pos, (byte) '$');
            crlf(putDecimal(pos + 1, len, header - 3));
        }
        pos += header;
        return true;
    }

    private void bulkEnd(long len) {
        crlf(pos + len);
        pos += len + 2;
    }

    private void crlf(long at) {
        out.set(CRLF_LAYOUT, at, CRLF); // one access (one bounds check) for both bytes
    }

    /** Writes {@code v}, whose {@link #decimalLength} is {@code len}, at {@code at}; returns the offset after it. */
    private long putDecimal(long at, long v, int len) {
        MemorySegment o = out;
        // digits straight into the segment, last first; the negative value covers Long.MIN_VALUE too
        long n = v < 0 ? v : -v;
        long p = at + len;
        do {
            o.set(BYTE, --p, (byte) ('0' - (n % 10)));
            n /= 10;
        } while (n != 0);
        if (v < 0) {
            o.set(BYTE, at, (byte) '-');
        }
        return at + len;
    }

    /** Decimal characters of {@code v}, sign included. */
    static int decimalLength(long v) {
        int len = 1;
        long n = v < 0 ? v : -v;
        if (v < 0) {
            len++;
        }
        while (n <= -10) {
            n /= 10;
            len++;
        }
        return len;
    }

    /** Encodes {@code s} at {@link #pos}; the caller has reserved its {@link #utf8Length}. */
    private void putUtf8(CharSequence s) {
        MemorySegment o = out;
        long p = pos;
        int n = s.length();
        int i = 0;
        // ASCII prefix (command names, most keys): one byte per char, no branches on width
        for (char c; i < n && (c = s.charAt(i)) < 0x80; i++) {
            o.set(BYTE, p++, (byte) c);
        }
        for (; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                o.set(BYTE, p++, (byte) c);
            } else if (c < 0x800) {
                o.set(BYTE, p++, (byte) (0xC0 | (c >> 6)));
                o.set(BYTE, p++, (byte) (0x80 | (c & 0x3F)));
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                o.set(BYTE, p++, (byte) (0xF0 | (cp >> 18)));
                o.set(BYTE, p++, (byte) (0x80 | ((cp >> 12) & 0x3F)));
                o.set(BYTE, p++, (byte) (0x80 | ((cp >> 6) & 0x3F)));
                o.set(BYTE, p++, (byte) (0x80 | (cp & 0x3F)));
            } else if (Character.isSurrogate(c)) {
                o.set(BYTE, p++, (byte) '?');
            } else {
                o.set(BYTE, p++, (byte) (0xE0 | (c >> 12)));
                o.set(BYTE, p++, (byte) (0x80 | ((c >> 6) & 0x3F)));
                o.set(BYTE, p++, (byte) (0x80 | (c & 0x3F)));
            }
        }
    }
}
