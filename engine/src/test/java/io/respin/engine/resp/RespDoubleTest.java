package io.respin.engine.resp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.MemorySegment;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** RESP3 doubles are the correctly rounded value of their decimal text: bit for bit what the JDK computes. */
class RespDoubleTest {

    private static double parse(String text) {
        MemorySegment s = MemorySegment.ofArray(Feed.bytes(text));
        return RespDouble.parse(s, 0, s.byteSize());
    }

    private static void same(String text) {
        double expected = Double.parseDouble(text);
        assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(parse(text)),
                () -> text + ": expected " + expected + " got " + parse(text));
    }

    @Test
    void powersOfFiveTableMatchesPublishedValues() {
        int base = 342;
        assertEquals(0xeef453d6923bd65aL, EiselLemire.HIGH[0], "5^-342");
        assertEquals(0x113faa2906a13b3fL, EiselLemire.LOW[0], "5^-342");
        assertEquals(0xd43bf0effdc0ba48L, EiselLemire.HIGH[base - 327], "5^-327");
        assertEquals(0x0212bd1b2566def2L, EiselLemire.LOW[base - 327], "5^-327");
        assertEquals(0x8000000000000000L, EiselLemire.HIGH[base], "5^0");
        assertEquals(0L, EiselLemire.LOW[base], "5^0");
        assertEquals(0xa000000000000000L, EiselLemire.HIGH[base + 1], "5^1");
    }

    @Test
    void hardCases() {
        for (String s : new String[] {
            "0", "-0", "1", "3.14", "3.1400000000000001", "0.1", "0.30000000000000004", "9007199254740993",
            "9007199254740992", "9007199254740994", "9007199254740995", "18014398509481985", "1e23", "8.41e21",
            "2.2250738585072011e-308", "2.2250738585072012e-308", "2.2250738585072014e-308",
            "4.9406564584124654e-324", "2.4703282292062327e-324", "2.4703282292062328e-324", "1e-324", "1e-400",
            "1.7976931348623157e308", "1.7976931348623158e308", "1.7976931348623159e308", "1e308", "1e309",
            "9999999999999999999", "9999999999999999999e-30", "1234567890123456789e200", "7.2057594037927933e16",
            "179769313486231580793728971405301e276", "0.000000000000000000000000000000000000000001",
            "123456789012345678901234567890.5e-20", "00000000000000000000001.5", "1.00000000000000011102230246251565404236316680908203125",
            "1.00000000000000011102230246251565404236316680908203124", "5e-324", "3e-324", "2.5e-324",
            "6.631236846766476e-316", "3.2378839133029012e+17", "1.448997445238699", "2.1e-3", "-1.5e-10",
        }) {
            same(s);
        }
    }

    @Test
    void randomDecimalStringsRoundLikeTheJdk() {
        SplittableRandom rnd = new SplittableRandom(2024);
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 100_000; i++) {
            s.setLength(0);
            if (rnd.nextBoolean()) {
                s.append('-');
            }
            int digits = 1 + rnd.nextInt(rnd.nextInt(4) == 0 ? 25 : 19);
            int dot = rnd.nextInt(digits + 1);
            for (int d = 0; d < digits; d++) {
                if (d == dot && d > 0) {
                    s.append('.');
                }
                s.append((char) ('0' + rnd.nextInt(10)));
            }
            if (rnd.nextBoolean()) {
                s.append('e').append(rnd.nextInt(700) - 350);
            }
            same(s.toString());
        }
    }

    @Test
    void randomDoublesRoundTripInEveryNotation() {
        SplittableRandom rnd = new SplittableRandom(7);
        for (int i = 0; i < 30_000; i++) {
            double v = Double.longBitsToDouble(rnd.nextLong());
            if (Double.isNaN(v) || Double.isInfinite(v)) {
                continue;
            }
            for (String text : new String[] {Double.toString(v), String.format(Locale.ROOT, "%.17e", v),
                String.format(Locale.ROOT, "%.16e", v)}) {
                same(text);
            }
            assertEquals(v, parse(Double.toString(v)));
        }
    }
}
