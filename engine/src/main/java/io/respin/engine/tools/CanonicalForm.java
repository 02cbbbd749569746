package io.respin.engine.tools;

import io.respin.engine.resp.Reply;

/**
 * The one-line text form of a {@link Reply} that {@code decode} prints (specified in {@code resp-decode.md}):
 * {@code array [int 1, bulk "a\r\n", null]}, {@code map {simple "a": int 1}},
 * {@code attr {simple "ttl": int 3} int 7}. Output is ASCII; string bytes outside 0x20-0x7E are escaped.
 *
 * <pre>{@code
 * String line = CanonicalForm.of(reply);
 * }</pre>
 */
public final class CanonicalForm {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private CanonicalForm() {
    }

    public static String of(Reply reply) {
        StringBuilder out = new StringBuilder();
        append(out, reply);
        return out.toString();
    }

    static void append(StringBuilder out, Reply reply) {
        if (reply.attributes() != null) {
            attribute(out, reply.attributes());
        }
        switch (reply) {
            case Reply.Text t -> text(out, t);
            case Reply.Int i -> out.append("int ").append(i.value());
            case Reply.Dbl d -> out.append("double ").append(dbl(d.value()));
            case Reply.Bool b -> out.append("bool ").append(b.value());
            case Reply.Null n -> out.append("null");
            case Reply.Aggregate a -> aggregate(out, a);
        }
    }

    private static void attribute(StringBuilder out, Reply.Aggregate attr) {
        if (attr.attributes() != null) {
            attribute(out, attr.attributes());
        }
        out.append("attr ");
        pairs(out, attr);
        out.append(' ');
    }

    private static void aggregate(StringBuilder out, Reply.Aggregate a) {
        switch (a.type()) {
            case MAP -> {
                out.append("map ");
                pairs(out, a);
            }
            case SET -> items(out.append("set "), a);
            case PUSH -> items(out.append("push "), a);
            default -> items(out.append("array "), a);
        }
    }

    private static void items(StringBuilder out, Reply.Aggregate a) {
        out.append('[');
        for (int i = 0; i < a.size(); i++) {
            if (i > 0) {
                out.append(", ");
            }
            append(out, a.get(i));
        }
        out.append(']');
    }

    private static void pairs(StringBuilder out, Reply.Aggregate a) {
        out.append('{');
        for (int i = 0; i + 1 < a.size(); i += 2) {
            if (i > 0) {
                out.append(", ");
            }
            append(out, a.get(i));
            out.append(": ");
            append(out, a.get(i + 1));
        }
        out.append('}');
    }

    private static void text(StringBuilder out, Reply.Text t) {
        byte[] b = t.bytes();
        switch (t.type()) {
            case SIMPLE_STRING -> quoted(out.append("simple "), b, 0, b.length);
            case SIMPLE_ERROR -> quoted(out.append("error "), b, 0, b.length);
            case BLOB_ERROR -> quoted(out.append("bloberror "), b, 0, b.length);
            case BIG_NUMBER -> out.append("bignum ").append(new String(b, java.nio.charset.StandardCharsets.ISO_8859_1));
            case VERBATIM_STRING -> {
                quoted(out.append("verbatim "), b, 0, Math.min(3, b.length));
                quoted(out.append(' '), b, Math.min(4, b.length), b.length);
            }
            default -> quoted(out.append("bulk "), b, 0, b.length);
        }
    }

    static String dbl(double v) {
        if (Double.isNaN(v)) {
            return "nan";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        return Double.toString(v);
    }

    static void quoted(StringBuilder out, byte[] b, int from, int to) {
        out.append('"');
        for (int i = from; i < to; i++) {
            int c = b[i] & 0xFF;
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\r' -> out.append("\\r");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c >= 0x20 && c <= 0x7E) {
                        out.append((char) c);
                    } else {
                        out.append("\\x").append(HEX[c >> 4]).append(HEX[c & 15]);
                    }
                }
            }
        }
        out.append('"');
    }
}
