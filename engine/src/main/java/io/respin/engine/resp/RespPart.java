package io.respin.engine.resp;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * {@link RespWriter}'s part mode ({@link RespWriter#wrapPart}): a command's encoding as a virtual stream of which only
 * the bytes {@code [skip, skip + limit - start)} land in the output. Every byte goes through {@link #emit}, which keeps
 * what falls inside the window; a long string's UTF-8 resumes where the previous part stopped, so streaming a value
 * in parts costs one pass over it in all. The writer checks the argument count; this only writes.
 */
final class RespPart {
    private static final ValueLayout.OfByte BYTE = ValueLayout.JAVA_BYTE;

    private MemorySegment out = MemorySegment.NULL;
    private long start;
    private long limit;
    /** Where the bytes written to {@code out} end. */
    private long pos;
    /** The virtual position: bytes of the command produced so far, inside the window or not. */
    private long vpos;
    private long skip;
    /** Where the last window ended inside a long string, so that the next part resumes there (no rescan). */
    private CharSequence resumeSeq;
    private long resumeBase;
    private long resumeLength;
    private int resumeChar;
    private long resumeVpos;
    private final byte[] charBytes = new byte[4];
    private final byte[] scratch = new byte[64];

    void start(MemorySegment out, long offset, long limit, long skip) {
        this.out = out;
        this.start = offset;
        this.limit = limit;
        this.pos = offset;
        this.vpos = 0;
        this.skip = skip;
    }

    /** The whole command's length so far (all of it once the encoder returned). */
    long length() {
        return vpos;
    }

    /** Where the part written to the output ends. */
    long position() {
        return pos;
    }

    void array(int n) {
        header('*', n);
    }

    void bulk(MemorySegment src, long off, long len) {
        header(len);
        emit(src, off, len);
        crlf();
    }

    void utf8(CharSequence s) {
        long argStart = vpos; // where this argument (its header) starts: the same in every part
        boolean resume = s == resumeSeq && argStart == resumeBase;
        long len = resume ? resumeLength : RespWriter.utf8Length(s);
        header(len);
        emitUtf8(s, len, resume, argStart);
        crlf();
    }

    void decimal(long v) {
        header(RespWriter.decimalLength(v));
        byte[] b = scratch;
        emit(b, 0, digits(b, 0, v));
        crlf();
    }

    /** ASCII text (a double's digits), at most 64 chars. */
    void ascii(CharSequence text) {
        int len = text.length();
        header(len);
        byte[] b = scratch;
        for (int i = 0; i < len; i++) {
            b[i] = (byte) text.charAt(i);
        }
        emit(b, 0, len);
        crlf();
    }

    private void header(long len) {
        header('$', len);
    }

    /** {@code *n\r\n} or {@code $n\r\n}. */
    private void header(char marker, long n) {
        byte[] b = scratch;
        b[0] = (byte) marker;
        int e = digits(b, 1, n);
        b[e] = '\r';
        b[e + 1] = '\n';
        emit(b, 0, e + 2);
    }

    private void crlf() {
        byte[] b = scratch;
        b[0] = '\r';
        b[1] = '\n';
        emit(b, 0, 2);
    }

    /** The decimal digits of {@code v} into {@code b} from {@code at}; returns the index after them. */
    private static int digits(byte[] b, int at, long v) {
        int len = RespWriter.decimalLength(v);
        long n = v < 0 ? v : -v;
        int p = at + len;
        do {
            b[--p] = (byte) ('0' - (n % 10));
            n /= 10;
        } while (n != 0);
        if (v < 0) {
            b[at] = '-';
        }
        return at + len;
    }

    private void emit(byte[] b, int off, int len) {
        emit(MemorySegment.ofArray(b), off, len);
    }

    /** Virtual bytes {@code src[off, off + len)} at {@link #vpos}: copies the part inside the window. */
    private void emit(MemorySegment src, long off, long len) {
        long from = Math.max(vpos, skip);
        long to = Math.min(vpos + len, skip + (limit - start));
        if (from < to) {
            MemorySegment.copy(src, off + (from - vpos), out, start + (from - skip), to - from);
            pos = start + (to - skip);
        }
        vpos += len;
    }

    /**
     * {@code s} in UTF-8 ({@code len} bytes) at {@link #vpos}, windowed. The chars before the window are walked only
     * when this string's part does not resume where the previous part stopped.
     */
    private void emitUtf8(CharSequence s, long len, boolean resume, long argStart) {
        long base = vpos;
        long windowEnd = skip + (limit - start);
        if (base + len <= skip || base >= windowEnd) {
            vpos = base + len; // wholly outside this part
            return;
        }
        int i = 0;
        long v = base;
        if (resume && resumeVpos <= skip) {
            i = resumeChar;
            v = resumeVpos;
        }
        int n = s.length();
        byte[] b = charBytes;
        int lastI = i;
        long lastV = v;
        while (i < n && v < windowEnd) {
            lastI = i;
            lastV = v;
            char c = s.charAt(i);
            int k;
            int step = 1;
            if (c < 0x80) {
                if (v >= skip && v < windowEnd) {
                    out.set(BYTE, start + (v - skip), (byte) c);
                    v++;
                    i++;
                    continue;
                }
                b[0] = (byte) c;
                k = 1;
            } else if (c < 0x800) {
                b[0] = (byte) (0xC0 | (c >> 6));
                b[1] = (byte) (0x80 | (c & 0x3F));
                k = 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(i + 1));
                b[0] = (byte) (0xF0 | (cp >> 18));
                b[1] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                b[2] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                b[3] = (byte) (0x80 | (cp & 0x3F));
                k = 4;
                step = 2;
            } else if (Character.isSurrogate(c)) {
                b[0] = '?';
                k = 1;
            } else {
                b[0] = (byte) (0xE0 | (c >> 12));
                b[1] = (byte) (0x80 | ((c >> 6) & 0x3F));
                b[2] = (byte) (0x80 | (c & 0x3F));
                k = 3;
            }
            for (int j = 0; j < k; j++, v++) {
                if (v >= skip && v < windowEnd) {
                    out.set(BYTE, start + (v - skip), b[j]);
                }
            }
            i += step;
        }
        long written = Math.min(v, windowEnd) - skip;
        if (written > 0) {
            pos = Math.max(pos, start + written);
        }
        if (i < n) {
            // the window ended inside the string: the next part resumes at this char (v: its first byte's place;
            // a char cut by the window's end is encoded again there, its first bytes falling before that window)
            resumeSeq = s;
            resumeBase = argStart;
            resumeLength = len;
            boolean cut = v > windowEnd;
            resumeChar = cut ? lastI : i;
            resumeVpos = cut ? lastV : v;
        } else if (resumeSeq == s) {
            resumeSeq = null;
        }
        vpos = base + len;
    }

}
