package io.respin.engine.resp;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import java.lang.foreign.MemorySegment;

/**
 * Validates one RESP line ({@code <marker><content>\r\n}) byte by byte and resumably: when the input ends inside
 * the line, what was seen is remembered ({@link #scanned}, the grammar state and the number accumulated so far),
 * so the next call continues at the first unseen byte. Each byte is judged as soon as it arrives, which makes the
 * outcome (value, or error and its offset) independent of how the stream was split.
 *
 * <p>Grammars, one per {@link Kind} (content only, between the marker and CRLF):
 * <pre>
 *   TEXT     any bytes but CR and LF            +OK   -ERR x
 *   INTEGER  [+-]digit+, signed 64-bit            :-42
 *   LENGTH   digit+ | -1 | ?                      $5  *-1  %?   (the caller decides whether -1 / ? are allowed)
 *   BIG      [+-]digit+                           (-12345678901234567890
 *   DOUBLE   [+-]digit+[.digit+][(e|E)[+-]digit+] | inf | -inf | nan
 *   BOOLEAN  t | f
 *   EMPTY    nothing                              _   .
 * </pre>
 */
final class LineScanner {

    enum Kind { TEXT, INTEGER, LENGTH, BIG, DOUBLE, BOOLEAN, EMPTY }

    static final long NEED_MORE = -2;
    static final long INVALID = -1;

    /** {@link #value} of a LENGTH line that was {@code ?} (a streamed string or aggregate). */
    static final long STREAMED = -2;

    /** Long.MIN_VALUE / 10 (= -Long.MAX_VALUE / 10): below it, one more digit overflows either sign. */
    private static final long MIN_TENTH = Long.MIN_VALUE / 10;
    private static final long MAX_TENTH = Long.MAX_VALUE / 10;

    // double grammar states
    private static final int D_START = 0, D_SIGN = 1, D_INT = 2, D_DOT = 3, D_FRAC = 4, D_E = 5, D_ESIGN = 6,
            D_EXP = 7, D_WORD = 8;

    private Kind kind;
    /** Content bytes of the current line already judged (the marker is not counted). */
    private long scanned;
    private int grammar;
    private boolean negative;
    private long acc;
    private String word;

    /** After a complete INTEGER or LENGTH line: its value ({@link #STREAMED} for {@code ?}). */
    long value;
    /** After {@link #INVALID}: the input index of the offending byte and what is wrong with it. */
    long errorAt;
    String reason;

    /** Starts a new line of the given grammar. */
    void begin(Kind k) {
        kind = k;
        scanned = 0;
        grammar = D_START;
        negative = false;
        acc = 0;
        word = null;
    }

    /** Content bytes seen so far, for the parser's bytes-needed hint. */
    long scanned() {
        return scanned;
    }

    /**
     * Continues the line whose marker is at {@code start}. Returns the index of its CR when the line is complete
     * and valid, {@link #NEED_MORE}, or {@link #INVALID} with {@link #errorAt} and {@link #reason} set.
     */
    long scan(MemorySegment in, long start, long end) {
        long i = start + 1 + scanned;
        // fast loops for the common content; the byte they stop at is judged by the general loop below
        if (kind == Kind.TEXT) {
            i = skipText(in, i, end);
        } else if (kind == Kind.INTEGER || kind == Kind.LENGTH) {
            i = digits(in, start, i, end);
        }
        for (; i < end; i++) {
            int b = in.get(JAVA_BYTE, i) & 0xFF;
            if (b == '\r') {
                if (i + 1 >= end) {
                    scanned = i - start - 1;
                    return NEED_MORE;
                }
                if (in.get(JAVA_BYTE, i + 1) != '\n') {
                    fail(i, "carriage return not followed by line feed (lines end with CRLF)");
                    return INVALID;
                }
                return complete(i) ? i : INVALID;
            }
            if (b == '\n') {
                fail(i, "line feed without a carriage return before it (lines end with CRLF)");
                return INVALID;
            }
            if (!accept(b, i - start - 1, i)) {
                return INVALID;
            }
        }
        scanned = i - start - 1;
        return NEED_MORE;
    }

    /** Skips bytes that cannot end a text line. */
    static long skipText(MemorySegment in, long i, long end) {
        for (; i < end; i++) {
            byte b = in.get(JAVA_BYTE, i);
            if (b == '\r' || b == '\n') {
                break;
            }
        }
        return i;
    }

    /**
     * Accumulates the digits of an INTEGER (after an optional sign) or LENGTH line while they cannot overflow;
     * returns the index of the first byte it did not take.
     */
    private long digits(MemorySegment in, long start, long i, long end) {
        if (kind == Kind.INTEGER && i == start + 1 && i < end) {
            byte sign = in.get(JAVA_BYTE, i);
            if (sign == '-' || sign == '+') {
                negative = sign == '-';
                grammar = D_SIGN;
                i++;
            }
        } else if (kind == Kind.LENGTH && grammar != D_START && grammar != D_INT) {
            return i; // "-1" and "?" are judged byte by byte
        }
        long a = acc;
        boolean integer = kind == Kind.INTEGER;
        long limit = negative ? Long.MIN_VALUE : -Long.MAX_VALUE;
        long from = i;
        for (; i < end; i++) {
            int d = in.get(JAVA_BYTE, i) - '0';
            if (d < 0 || d > 9) {
                break;
            }
            if (integer) {
                if (a < MIN_TENTH || a * 10 < limit + d) {
                    break; // overflow: reported by acceptInteger
                }
                a = a * 10 - d;
            } else {
                if (a > MAX_TENTH || a * 10 > Long.MAX_VALUE - d) {
                    break;
                }
                a = a * 10 + d;
            }
        }
        if (i > from) {
            acc = a;
            grammar = D_INT;
            if (!integer) {
                value = a;
            }
        }
        return i;
    }

    /** Judges content byte {@code b}, the {@code n}th of the line (from 0), found at input index {@code at}. */
    private boolean accept(int b, long n, long at) {
        return switch (kind) {
            case TEXT -> true;
            case INTEGER -> acceptInteger(b, n, at);
            case LENGTH -> acceptLength(b, n, at);
            case BIG -> acceptBig(b, n, at);
            case DOUBLE -> acceptDouble(b, at);
            case BOOLEAN -> n == 0 && (b == 't' || b == 'f') ? accepted(D_INT)
                    : fail(at, "invalid boolean: " + show(b) + " (expected #t or #f)");
            case EMPTY -> fail(at, "unexpected " + show(b) + " (this line has no content)");
        };
    }

    /** Judges the end of the line, at index {@code cr}. */
    private boolean complete(long cr) {
        boolean ok = switch (kind) {
            case TEXT, EMPTY -> true;
            case INTEGER -> grammar == D_INT;
            case LENGTH -> grammar == D_INT || grammar == D_WORD && acc == 1;
            case BIG, BOOLEAN -> grammar == D_INT;
            case DOUBLE -> grammar == D_INT || grammar == D_FRAC || grammar == D_EXP
                    || grammar == D_WORD && acc == word.length();
        };
        if (!ok) {
            return fail(cr, "line ends before its " + kind.name().toLowerCase(java.util.Locale.ROOT)
                    + " is complete");
        }
        if (kind == Kind.INTEGER) {
            value = negative ? acc : -acc;
        }
        return true;
    }

    private boolean accepted(int state) {
        grammar = state;
        return true;
    }

    private boolean acceptBig(int b, long n, long at) {
        if (n == 0 && (b == '-' || b == '+')) {
            return accepted(D_SIGN);
        }
        return isDigit(b) ? accepted(D_INT) : fail(at, "invalid big number: " + show(b) + " (expected [+-]digits)");
    }

    // INTEGER: the value is accumulated negatively so that Long.MIN_VALUE fits
    private boolean acceptInteger(int b, long n, long at) {
        if (n == 0 && (b == '-' || b == '+')) {
            negative = b == '-';
            grammar = D_SIGN;
            return true;
        }
        if (!isDigit(b)) {
            return fail(at, "invalid integer: " + show(b) + " (expected [+-]digits)");
        }
        long limit = negative ? Long.MIN_VALUE : -Long.MAX_VALUE;
        int d = b - '0';
        if (acc < MIN_TENTH || acc * 10 < limit + d) {
            return fail(at, "integer does not fit in 64 bits (it is outside -2^63..2^63-1)");
        }
        acc = acc * 10 - d;
        grammar = D_INT;
        return true;
    }

    // LENGTH: digits, or exactly "-1", or exactly "?"
    private boolean acceptLength(int b, long n, long at) {
        if (n == 0 && b == '-') {
            grammar = D_SIGN;
            return true;
        }
        if (n == 0 && b == '?') {
            grammar = D_WORD;
            acc = 1;
            value = STREAMED;
            return true;
        }
        if (grammar == D_SIGN && n == 1 && b == '1') {
            grammar = D_WORD;
            acc = 1;
            value = -1;
            return true;
        }
        if (!isDigit(b) || grammar == D_WORD || grammar == D_SIGN) {
            return fail(at, "invalid length: " + show(b) + " (expected digits, -1 or ?)");
        }
        int d = b - '0';
        if (acc > MAX_TENTH || acc * 10 > Long.MAX_VALUE - d) {
            return fail(at, "length does not fit in 64 bits");
        }
        acc = acc * 10 + d;
        value = acc;
        grammar = D_INT;
        return true;
    }

    private boolean acceptDouble(int b, long at) {
        int next = switch (grammar) {
            case D_START -> b == '+' || b == '-' ? D_SIGN : b == 'i' ? word("inf") : b == 'n' ? word("nan")
                    : digit(b, D_INT);
            case D_SIGN -> b == 'i' && negative ? word("inf") : digit(b, D_INT); // -inf, never +inf
            case D_INT -> b == '.' ? D_DOT : b == 'e' || b == 'E' ? D_E : digit(b, D_INT);
            case D_DOT, D_FRAC -> grammar == D_FRAC && (b == 'e' || b == 'E') ? D_E : digit(b, D_FRAC);
            case D_E -> b == '+' || b == '-' ? D_ESIGN : digit(b, D_EXP);
            case D_ESIGN, D_EXP -> digit(b, D_EXP);
            case D_WORD -> acc < word.length() && b == word.charAt((int) acc) ? D_WORD : -1;
            default -> -1;
        };
        if (next < 0) {
            return fail(at, "invalid double: " + show(b)
                    + " (expected [+-]digits[.digits][(e|E)[+-]digits], inf, -inf or nan)");
        }
        if (grammar == D_START && b == '-') {
            negative = true;
        }
        if (next == D_WORD) {
            acc++;
        }
        grammar = next;
        return true;
    }

    private int word(String w) {
        word = w;
        acc = 0; // the first letter is counted by acceptDouble
        return D_WORD;
    }

    private static int digit(int b, int state) {
        return isDigit(b) ? state : -1;
    }

    private static boolean isDigit(int b) {
        return b >= '0' && b <= '9';
    }

    /** Records an error and returns false. */
    private boolean fail(long at, String why) {
        errorAt = at;
        reason = why;
        return false;
    }

    /** A byte for an error message: printable ASCII as itself, anything else in hex. */
    static String show(int b) {
        b &= 0xFF;
        return b >= 0x21 && b <= 0x7E ? "'" + (char) b + "'" : String.format("0x%02x", b);
    }
}
