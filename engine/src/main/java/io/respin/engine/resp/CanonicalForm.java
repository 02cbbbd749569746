package io.respin.engine.resp;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The one-line text form of a {@link Reply}: what {@code decode} prints (specified in {@code resp-decode.md}, a
 * contract) and what {@link Reply#toString()} returns, for every reply type alike:
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

    /** An attribute still to print, with the attributes that precede it. */
    private record Attr(Reply.Aggregate attribute) {
    }

    /**
     * Appends the canonical form of {@code reply}. Iterative, with its own stack of pieces still to print, so
     * that a reply nested as deeply as {@code --max-depth} allows cannot overflow the thread's stack.
     */
    public static void append(StringBuilder out, Reply reply) {
        ArrayDeque<Object> todo = new ArrayDeque<>();
        todo.push(reply);
        List<Object> pieces = new ArrayList<>();
        StringBuilder scalar = new StringBuilder();
        while (!todo.isEmpty()) {
            Object next = todo.pop();
            if (next instanceof String s) {
                out.append(s);
                continue;
            }
            pieces.clear();
            if (next instanceof Attr a) {
                attribute(pieces, a.attribute());
            } else {
                value(pieces, scalar, (Reply) next);
            }
            for (int i = pieces.size() - 1; i >= 0; i--) {
                todo.push(pieces.get(i));
            }
        }
    }

    /** The pieces of one value, in output order: strings and the replies nested in it. */
    private static void value(List<Object> pieces, StringBuilder scratch, Reply reply) {
        if (reply.attributes() != null) {
            pieces.add(new Attr(reply.attributes()));
        }
        if (reply instanceof Reply.Aggregate a) {
            switch (a.type()) {
                case MAP -> pairs(pieces, "map {", a);
                case SET -> items(pieces, "set [", a);
                case PUSH -> items(pieces, "push [", a);
                case ATTRIBUTE -> pairs(pieces, "attr {", a); // on its own (an attributes() value), not before a value
                default -> items(pieces, "array [", a);
            }
            return;
        }
        scratch.setLength(0);
        switch (reply) {
            case Reply.Text t -> text(scratch, t);
            case Reply.Int i -> scratch.append("int ").append(i.value());
            case Reply.Dbl d -> scratch.append("double ").append(dbl(d.value()));
            case Reply.Bool b -> scratch.append("bool ").append(b.value());
            default -> scratch.append("null");
        }
        pieces.add(scratch.toString());
    }

    private static void attribute(List<Object> pieces, Reply.Aggregate attr) {
        if (attr.attributes() != null) {
            pieces.add(new Attr(attr.attributes()));
        }
        pairs(pieces, "attr {", attr);
        pieces.add(" ");
    }

    private static void items(List<Object> pieces, String open, Reply.Aggregate a) {
        pieces.add(open);
        for (int i = 0; i < a.size(); i++) {
            if (i > 0) {
                pieces.add(", ");
            }
            pieces.add(a.get(i));
        }
        pieces.add("]");
    }

    private static void pairs(List<Object> pieces, String open, Reply.Aggregate a) {
        pieces.add(open);
        for (int i = 0; i + 1 < a.size(); i += 2) {
            if (i > 0) {
                pieces.add(", ");
            }
            pieces.add(a.get(i));
            pieces.add(": ");
            pieces.add(a.get(i + 1));
        }
        pieces.add("}");
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
