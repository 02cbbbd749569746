package io.respin.perf.jmh;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The inputs every parse and encode benchmark shares, so that respin and Lettuce see the same bytes.
 *
 * <pre>{@code
 * byte[] reply = RespInputs.reply("bulk"); // "$10\r\nvalue-0001\r\n"
 * }</pre>
 */
public final class RespInputs {

    /** Reply shapes, the {@code @Param} values of the parse benchmarks. */
    public static final String STATUS = "status";
    public static final String INTEGER = "integer";
    public static final String BULK = "bulk";
    public static final String ARRAY10 = "array10";
    public static final String BULK_1MIB = "bulk1MiB";

    public static final int MIB = 1 << 20;

    public static final String KEY = "user:1000";
    public static final byte[] KEY_BYTES = KEY.getBytes(StandardCharsets.UTF_8);
    /** A SET-sized value. */
    public static final byte[] VALUE_100 = filled(100);
    public static final byte[] VALUE_1MIB = filled(MIB);
    /** The eight values of the 10-element RPUSH command. */
    public static final byte[][] VALUES_8 = new byte[8][];

    static {
        for (int i = 0; i < VALUES_8.length; i++) {
            VALUES_8[i] = ("value-000" + i).getBytes(StandardCharsets.US_ASCII);
        }
    }

    private RespInputs() {
    }

    /** The RESP2 reply bytes of a shape. */
    public static byte[] reply(String shape) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        switch (shape) {
            case STATUS -> ascii(o, "+OK\r\n");
            case INTEGER -> ascii(o, ":1000\r\n");
            case BULK -> ascii(o, "$10\r\nvalue-0001\r\n");
            case ARRAY10 -> {
                ascii(o, "*10\r\n");
                for (int i = 0; i < 10; i++) {
                    ascii(o, "$10\r\nvalue-000" + i + "\r\n");
                }
            }
            case BULK_1MIB -> {
                ascii(o, "$" + MIB + "\r\n");
                o.writeBytes(VALUE_1MIB);
                ascii(o, "\r\n");
            }
            default -> throw new IllegalArgumentException("unknown reply shape " + shape);
        }
        return o.toByteArray();
    }

    private static void ascii(ByteArrayOutputStream o, String s) {
        o.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] filled(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) ('a' + i % 26);
        }
        return b;
    }
}
