package io.respin.engine.cluster;

import java.util.List;
import java.util.Map;

/**
 * Writes a nested Java value as RESP text with '\n' for CRLF (the form {@code Resp.decode} reads), in RESP3 or in
 * RESP2, so one hand-written reply is tested in both protocols: a {@link Map} becomes a RESP3 map or a RESP2 flat
 * array, a {@link List} an array, a String a bulk string, a number an integer, null a null.
 */
final class Fixture {
    private Fixture() {
    }

    /** A map in the order given: name, value, name, value... */
    static Map<Object, Object> map(Object... nameValues) {
        Map<Object, Object> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < nameValues.length; i += 2) {
            m.put(nameValues[i], nameValues[i + 1]);
        }
        return m;
    }

    static String resp(Object value, boolean resp3) {
        StringBuilder b = new StringBuilder();
        write(b, value, resp3);
        return b.toString();
    }

    private static void write(StringBuilder b, Object v, boolean resp3) {
        switch (v) {
            case null -> b.append(resp3 ? "_\n" : "$-1\n");
            case Map<?, ?> m -> {
                b.append(resp3 ? "%" + m.size() : "*" + 2 * m.size()).append('\n');
                m.forEach((k, x) -> {
                    write(b, k, resp3);
                    write(b, x, resp3);
                });
            }
            case List<?> l -> {
                b.append('*').append(l.size()).append('\n');
                l.forEach(x -> write(b, x, resp3));
            }
            case Number n -> b.append(':').append(n).append('\n');
            default -> {
                String s = v.toString();
                b.append('$').append(s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length).append('\n')
                        .append(s).append('\n');
            }
        }
    }
}
