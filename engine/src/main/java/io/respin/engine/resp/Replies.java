package io.respin.engine.resp;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reading the shape of an administrative reply ({@code CLUSTER SHARDS}, {@code ROLE}, {@code SENTINEL ...}) out of a
 * {@link Reply} tree, the same for RESP2 and RESP3: an array, a map of names to values (a RESP3 map or a RESP2 flat
 * array of pairs), a text, a number. Each throws {@link IllegalArgumentException} naming {@code what} was expected,
 * which a decoder turns into the command's failure.
 *
 * <pre>{@code
 * Map<String, Reply> f = Replies.fields(reply, "a SENTINEL sentinels entry");
 * int port = Replies.integer(Replies.required(f, "port", "sentinel"), "port");
 * }</pre>
 */
public final class Replies {

    private Replies() {
    }

    /** The elements of an array (not a map). */
    public static List<Reply> array(Reply r, String what) {
        if (r instanceof Reply.Aggregate a && a.type() != RespType.MAP) {
            return a.elements();
        }
        throw new IllegalArgumentException(what + " is an array, got " + r);
    }

    /** A RESP3 map or a RESP2 flat array of name, value pairs. */
    public static Map<String, Reply> fields(Reply r, String what) {
        if (!(r instanceof Reply.Aggregate a) || a.size() % 2 != 0) {
            throw new IllegalArgumentException(what + " is a map of names to values, got " + r);
        }
        Map<String, Reply> m = new HashMap<>();
        for (int i = 0; i < a.size(); i += 2) {
            m.put(a.get(i).asString(), a.get(i + 1));
        }
        return m;
    }

    /** The field {@code name}, which must be there. */
    public static Reply required(Map<String, Reply> fields, String name, String what) {
        Reply r = fields.get(name);
        if (r == null) {
            throw new IllegalArgumentException("a " + what + " has no '" + name + "' field: " + fields.keySet());
        }
        return r;
    }

    /** The text of a string reply; null for a null reply or none. */
    public static String text(Reply r) {
        return r == null || r instanceof Reply.Null ? null : r.asString();
    }

    /** An integer reply, or a string holding one. */
    public static int integer(Reply r, String what) {
        return Math.toIntExact(longValue(r, what));
    }

    /** A long integer reply, or a string holding one. */
    public static long longValue(Reply r, String what) {
        if (r instanceof Reply.Int i) {
            return i.value();
        }
        return parseLong(text(r), what);
    }

    /** {@code s} as a number, or an IllegalArgumentException naming {@code what}. */
    public static long parseLong(String s, String what) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("a " + what + " is a number, got '" + s + "'");
        }
    }
}
