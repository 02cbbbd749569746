package io.respin.engine.resp;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

/**
 * Converts the content of a RESP3 double line, already validated by {@link LineScanner}, to the correctly
 * rounded {@code double}, without allocating for every value of at most 19 significant digits — which covers
 * what servers send ({@code 3.14}, {@code 1e10}, and the 17-digit {@code %.17g} scores of Redis 7.0 such as
 * {@code 3.1400000000000001}). Three steps, cheapest first:
 * <ol>
 * <li>Clinger's fast path: a significand below 2^53 and a power of ten up to 10^22 are both exact doubles, so
 *     one IEEE multiplication or division rounds correctly;</li>
 * <li>{@link EiselLemire}: 128-bit arithmetic, decides almost every other case;</li>
 * <li>a cold path through {@link Double#parseDouble} (allocates a short string) for more than 19 significant
 *     digits or the rare undecided case; the accepted grammar is a subset of Java's, so the value is the same.</li>
 * </ol>
 */
final class RespDouble {

    private static final double[] POW10 = {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18,
        1e19, 1e20, 1e21, 1e22,
    };
    private static final long MAX_EXACT = 1L << 53;
    private static final int MAX_DIGITS = 19; // any 19-digit decimal fits in an unsigned long

    private RespDouble() {
    }

    /** The value of {@code in[from, to)}: {@code inf}, {@code -inf}, {@code nan} or the decimal grammar. */
    static double parse(MemorySegment in, long from, long to) {
        long i = from;
        int first = in.get(JAVA_BYTE, i);
        boolean negative = first == '-';
        if (first == '-' || first == '+') {
            i++;
        }
        int c = in.get(JAVA_BYTE, i);
        if (c == 'i') {
            return negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        if (c == 'n') {
            return Double.NaN;
        }
        long mantissa = 0;
        int digits = 0;      // significant digits taken into mantissa
        long scale = 0;      // decimal exponent contributed by the digits' positions
        boolean dropped = false;
        boolean fraction = false;
        for (; i < to; i++) {
            c = in.get(JAVA_BYTE, i);
            if (c == '.') {
                fraction = true;
                continue;
            }
            if (c == 'e' || c == 'E') {
                break;
            }
            int d = c - '0';
            if (digits < MAX_DIGITS) {
                if (d != 0 || digits > 0) {
                    mantissa = mantissa * 10 + d;
                    digits++;
                }
                if (fraction) {
                    scale--;
                }
            } else {
                dropped |= d != 0;
                if (!fraction) {
                    scale++;
                }
            }
        }
        long exponent = i < to ? exponent(in, i + 1, to) : 0;
        if (!dropped) {
            double fast = fast(mantissa, scale + exponent);
            if (Double.isNaN(fast)) {
                fast = EiselLemire.toDouble(mantissa, scale + exponent);
            }
            if (!Double.isNaN(fast)) {
                return negative ? -fast : fast;
            }
        }
        return slow(in, from, to);
    }

    /** Clinger's fast path, or NaN when it does not apply. */
    private static double fast(long mantissa, long e10) {
        if (mantissa == 0) {
            return 0.0;
        }
        if (Long.compareUnsigned(mantissa, MAX_EXACT) > 0) {
            return Double.NaN; // (19 digits may exceed Long.MAX_VALUE: the significand is unsigned)
        }
        if (e10 >= 0 && e10 <= 22) {
            return mantissa * POW10[(int) e10];
        }
        if (e10 < 0 && e10 >= -22) {
            return mantissa / POW10[(int) -e10];
        }
        if (e10 > 22 && e10 <= 22 + 15) {
            // move part of the exponent into the mantissa while it stays exact
            long m = mantissa;
            for (long k = e10 - 22; k > 0; k--) {
                m *= 10;
                if (m > MAX_EXACT) {
                    return Double.NaN;
                }
            }
            return m * 1e22;
        }
        return Double.NaN;
    }

    /** The exponent after 'e', clamped far beyond double's range so that huge exponents cannot overflow. */
    private static long exponent(MemorySegment in, long from, long to) {
        boolean negative = false;
        int c = in.get(JAVA_BYTE, from);
        if (c == '-' || c == '+') {
            negative = c == '-';
            from++;
        }
        long e = 0;
        for (long i = from; i < to; i++) {
            e = Math.min(e * 10 + (in.get(JAVA_BYTE, i) - '0'), 1_000_000);
        }
        return negative ? -e : e;
    }

    /** Cold path: the JDK's correctly rounded conversion, on a copy of the validated ASCII text. */
    private static double slow(MemorySegment in, long from, long to) {
        byte[] text = in.asSlice(from, to - from).toArray(JAVA_BYTE);
        return Double.parseDouble(new String(text, StandardCharsets.ISO_8859_1));
    }
}
