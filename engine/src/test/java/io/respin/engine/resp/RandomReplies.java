package io.respin.engine.resp;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Random {@link Reply} trees of every type, and a small test-side RESP3 serializer that writes each one in a
 * randomly chosen legal form (counted or streamed aggregates, whole or chunked strings, the three nulls, doubles
 * in several notations), so that parsing must give back an equal tree.
 */
final class RandomReplies {
    private static final RespType[] AGGREGATES = {RespType.ARRAY, RespType.SET, RespType.PUSH, RespType.MAP};

    private final Random rnd;

    RandomReplies(long seed) {
        rnd = new Random(seed);
    }

    Reply next(int depth) {
        Reply.Aggregate attributes = rnd.nextInt(8) == 0 && depth < 3 ? attribute(depth + 1) : null;
        int kind = rnd.nextInt(depth >= 4 ? 11 : 15);
        return switch (kind) {
            case 0 -> new Reply.Text(RespType.SIMPLE_STRING, line(), attributes);
            case 1 -> new Reply.Text(RespType.SIMPLE_ERROR, line(), attributes);
            case 2 -> new Reply.Text(RespType.BULK_STRING, bytes(rnd.nextInt(4) == 0 ? 300 : 30), attributes);
            case 3 -> new Reply.Text(RespType.BLOB_ERROR, bytes(20), attributes);
            case 4 -> new Reply.Text(RespType.VERBATIM_STRING, verbatim(), attributes);
            case 5 -> new Reply.Text(RespType.BIG_NUMBER, bigNumber(), attributes);
            case 6 -> new Reply.Int(integer(), attributes);
            case 7 -> new Reply.Dbl(dbl(), attributes);
            case 8 -> new Reply.Bool(rnd.nextBoolean(), attributes);
            case 9 -> new Reply.Null(attributes);
            case 10 -> new Reply.Text(RespType.BULK_STRING, bytes(5), attributes);
            default -> aggregate(AGGREGATES[rnd.nextInt(AGGREGATES.length)], depth, attributes);
        };
    }

    private Reply.Aggregate attribute(int depth) {
        return aggregate(RespType.ATTRIBUTE, depth, rnd.nextInt(10) == 0 ? aggregate(RespType.ATTRIBUTE, depth + 2, null) : null);
    }

    private Reply.Aggregate aggregate(RespType type, int depth, Reply.Aggregate attributes) {
        int n = rnd.nextInt(5);
        if (type == RespType.MAP || type == RespType.ATTRIBUTE) {
            n *= 2;
        }
        List<Reply> elements = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            elements.add(next(depth + 1));
        }
        return new Reply.Aggregate(type, elements, attributes);
    }

    private byte[] line() {
        byte[] b = bytes(20);
        for (int i = 0; i < b.length; i++) {
            if (b[i] == '\r' || b[i] == '\n') {
                b[i] = ' ';
            }
        }
        return b;
    }

    private byte[] bytes(int max) {
        byte[] b = new byte[rnd.nextInt(max + 1)];
        if (rnd.nextBoolean()) {
            rnd.nextBytes(b);
        } else {
            for (int i = 0; i < b.length; i++) {
                b[i] = (byte) "ab\r\n:$*".charAt(rnd.nextInt(7));
            }
        }
        return b;
    }

    private byte[] verbatim() {
        byte[] rest = bytes(20);
        byte[] b = new byte[4 + rest.length];
        for (int i = 0; i < 3; i++) {
            b[i] = (byte) ('a' + rnd.nextInt(26));
        }
        b[3] = ':';
        System.arraycopy(rest, 0, b, 4, rest.length);
        return b;
    }

    private byte[] bigNumber() {
        StringBuilder s = new StringBuilder(rnd.nextBoolean() ? "-" : "");
        int n = 1 + rnd.nextInt(40);
        for (int i = 0; i < n; i++) {
            s.append((char) ('0' + rnd.nextInt(10)));
        }
        return s.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private long integer() {
        return switch (rnd.nextInt(4)) {
            case 0 -> Long.MIN_VALUE + rnd.nextInt(3);
            case 1 -> Long.MAX_VALUE - rnd.nextInt(3);
            case 2 -> rnd.nextInt(2000) - 1000;
            default -> rnd.nextLong();
        };
    }

    private double dbl() {
        return switch (rnd.nextInt(6)) {
            case 0 -> Double.longBitsToDouble(rnd.nextLong());
            case 1 -> new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.0, -0.0,
                Double.MIN_VALUE, Double.MAX_VALUE, Double.MIN_NORMAL}[rnd.nextInt(8)];
            case 2 -> rnd.nextInt(100000) / 100.0;
            case 3 -> rnd.nextDouble() * Math.pow(10, rnd.nextInt(60) - 30);
            default -> rnd.nextInt(1 << 20) * (rnd.nextBoolean() ? 1 : -1);
        };
    }

    // ---------------------------------------------------------------- serializer

    void write(Reply r, ByteArrayOutputStream out) {
        if (r.attributes() != null) {
            write(r.attributes(), out);
        }
        switch (r) {
            case Reply.Text t -> text(t, out);
            case Reply.Int i -> line(out, ':', (i.value() >= 0 && rnd.nextInt(4) == 0 ? "+" : "") + i.value());
            case Reply.Dbl d -> line(out, ',', dblText(d.value()));
            case Reply.Bool b -> line(out, '#', b.value() ? "t" : "f");
            case Reply.Null n -> out.writeBytes(ascii(new String[] {"_\r\n", "$-1\r\n", "*-1\r\n"}[rnd.nextInt(3)]));
            case Reply.Aggregate a -> aggregate(a, out);
        }
    }

    private void text(Reply.Text t, ByteArrayOutputStream out) {
        byte[] b = t.bytes();
        switch (t.type()) {
            case SIMPLE_STRING, SIMPLE_ERROR, BIG_NUMBER -> {
                out.write(t.type().marker());
                if (t.type() == RespType.BIG_NUMBER && b[0] != '-' && rnd.nextInt(4) == 0) {
                    out.write('+'); // allowed on the wire, not part of the value
                }
                out.writeBytes(b);
                out.writeBytes(ascii("\r\n"));
            }
            default -> {
                if (t.type() == RespType.BULK_STRING && rnd.nextInt(4) == 0) {
                    streamed(b, out);
                } else {
                    line(out, (char) t.type().marker(), String.valueOf(b.length));
                    out.writeBytes(b);
                    out.writeBytes(ascii("\r\n"));
                }
            }
        }
    }

    private void streamed(byte[] b, ByteArrayOutputStream out) {
        out.writeBytes(ascii("$?\r\n"));
        for (int i = 0; i < b.length; ) {
            int n = 1 + rnd.nextInt(b.length - i);
            line(out, ';', String.valueOf(n));
            out.write(b, i, n);
            out.writeBytes(ascii("\r\n"));
            i += n;
        }
        out.writeBytes(ascii(";0\r\n"));
    }

    private void aggregate(Reply.Aggregate a, ByteArrayOutputStream out) {
        boolean pairs = a.type() == RespType.MAP || a.type() == RespType.ATTRIBUTE;
        boolean streamed = a.type() != RespType.PUSH && a.type() != RespType.ATTRIBUTE && rnd.nextInt(4) == 0;
        line(out, (char) a.type().marker(), streamed ? "?" : String.valueOf(pairs ? a.size() / 2 : a.size()));
        for (Reply e : a.elements()) {
            write(e, out);
        }
        if (streamed) {
            out.writeBytes(ascii(".\r\n"));
        }
    }

    private String dblText(double v) {
        if (Double.isNaN(v)) {
            return "nan";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        return switch (rnd.nextInt(4)) {
            case 0 -> Double.toString(v).replace('E', 'e');
            // the exact binary value in decimal (long: the slow path); BigDecimal has no negative zero
            case 1 -> (Double.doubleToRawLongBits(v) < 0 && v == 0 ? "-" : "") + new BigDecimal(v).toPlainString();
            case 2 -> String.format(java.util.Locale.ROOT, "%.17e", v); // what C's %.17g-style servers send
            default -> Double.toString(v);
        };
    }

    private static void line(ByteArrayOutputStream out, char marker, String content) {
        out.write(marker);
        out.writeBytes(ascii(content));
        out.writeBytes(ascii("\r\n"));
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
