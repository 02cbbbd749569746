package io.respin.engine.resp;

import java.math.BigInteger;

/**
 * Correctly rounded {@code w * 10^q} for a decimal significand {@code w} of at most 19 digits, without
 * allocating: the Eisel-Lemire algorithm (D. Lemire, "Number Parsing at a Gigabyte per Second", 2021, sections 5
 * and 6). It multiplies {@code w} by a 128-bit approximation of {@code 5^q} and rounds; in the rare cases where
 * 128 bits cannot decide the rounding it answers {@link Double#NaN} and the caller takes the exact slow path.
 *
 * <p>The table of powers of five is computed once, at class initialisation, with {@link BigInteger} (a few
 * milliseconds, the first time a long double arrives), rather than shipped as 1,300 literals:
 * <pre>
 *   q >= 0:   5^q shifted so that bit 127 is its top bit, truncated
 *   q &lt; 0:   2^b / 5^-q + 1 (b chosen as in the paper), truncated to 128 bits with bit 127 set
 * </pre>
 */
final class EiselLemire {
    private static final int SMALLEST_POWER = -342;
    private static final int LARGEST_POWER = 308;
    private static final int MANTISSA_BITS = 52;
    private static final int MINIMUM_EXPONENT = -1023;
    private static final int INFINITE_POWER = 0x7FF;

    /** High and low 64 bits of the normalized 128-bit 5^q, at index q - SMALLEST_POWER. */
    static final long[] HIGH = new long[LARGEST_POWER - SMALLEST_POWER + 1];
    static final long[] LOW = new long[HIGH.length];

    static {
        BigInteger two128 = BigInteger.ONE.shiftLeft(128);
        for (int q = SMALLEST_POWER; q <= LARGEST_POWER; q++) {
            BigInteger power5 = BigInteger.valueOf(5).pow(Math.abs(q));
            BigInteger c;
            if (q >= 0) {
                int shift = 128 - power5.bitLength();
                c = shift >= 0 ? power5.shiftLeft(shift) : power5.shiftRight(-shift);
            } else {
                int z = power5.bitLength();
                int b = q >= -27 ? z + 127 : 2 * z + 128;
                c = BigInteger.ONE.shiftLeft(b).divide(power5).add(BigInteger.ONE);
                while (c.compareTo(two128) >= 0) {
                    c = c.shiftRight(1);
                }
            }
            HIGH[q - SMALLEST_POWER] = c.shiftRight(64).longValue();
            LOW[q - SMALLEST_POWER] = c.longValue();
        }
    }

    private EiselLemire() {
    }

    /** The correctly rounded magnitude of {@code w * 10^q} ({@code w} unsigned, exact), or NaN when undecided. */
    static double toDouble(long w, long q) {
        if (w == 0 || q < SMALLEST_POWER) {
            return 0.0;
        }
        if (q > LARGEST_POWER) {
            return Double.POSITIVE_INFINITY;
        }
        int lz = Long.numberOfLeadingZeros(w);
        w <<= lz;
        int index = (int) q - SMALLEST_POWER;
        long hi = Math.unsignedMultiplyHigh(w, HIGH[index]);
        long lo = w * HIGH[index];
        long mask = -1L >>> (MANTISSA_BITS + 3);
        if ((hi & mask) == mask) {
            // the low bits could still carry into the mantissa: refine with the table's low word
            long secondHi = Math.unsignedMultiplyHigh(w, LOW[index]);
            lo += secondHi;
            if (Long.compareUnsigned(secondHi, lo) > 0) {
                hi++;
            }
        }
        if (lo == -1L && (q < -27 || q > 55)) {
            return Double.NaN; // the 128-bit approximation cannot decide the rounding
        }
        int upperBit = (int) (hi >>> 63);
        int shift = upperBit + 64 - MANTISSA_BITS - 3;
        long mantissa = hi >>> shift;
        int power2 = power((int) q) + upperBit - lz - MINIMUM_EXPONENT;
        if (power2 <= 0) {
            return subnormal(mantissa, power2);
        }
        // exactly halfway between two doubles: round to even
        if (Long.compareUnsigned(lo, 1) <= 0 && q >= -4 && q <= 23 && (mantissa & 3) == 1
                && (mantissa << shift) == hi) {
            mantissa &= ~1L;
        }
        mantissa += mantissa & 1;
        mantissa >>>= 1;
        if (mantissa >= (2L << MANTISSA_BITS)) {
            mantissa = 1L << MANTISSA_BITS;
            power2++;
        }
        mantissa &= ~(1L << MANTISSA_BITS);
        if (power2 >= INFINITE_POWER) {
            return Double.POSITIVE_INFINITY;
        }
        return Double.longBitsToDouble(mantissa | (long) power2 << MANTISSA_BITS);
    }

    private static double subnormal(long mantissa, int power2) {
        if (-power2 + 1 >= 64) {
            return 0.0;
        }
        mantissa >>>= -power2 + 1;
        mantissa += mantissa & 1;
        mantissa >>>= 1;
        long exponent = mantissa >= (1L << MANTISSA_BITS) ? 1 : 0;
        return Double.longBitsToDouble((mantissa & ~(1L << MANTISSA_BITS)) | exponent << MANTISSA_BITS);
    }

    /** floor(log2(10^q)) + 63, from an integer approximation of log2(10) exact over the table's range. */
    private static int power(int q) {
        return ((q * (152_170 + 65_536)) >> 16) + 63;
    }
}
