package io.respin.engine.connection;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Reads the protocol version out of an encoded {@code HELLO} command, so that a HELLO the user sends (rather
 * than the handshake) still tells the connection which protocol the replies after it use.
 * <pre>
 *   *2\r\n $5\r\nHELLO\r\n $1\r\n3\r\n ...      -> 3
 *   *1\r\n $5\r\nHELLO\r\n                       -> 0 (no version: the protocol does not change)
 * </pre>
 */
final class HelloBytes {
    private static final byte[] HEAD = "$5\r\nHELLO\r\n$1\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private HelloBytes() {
    }

    /** The version in {@code out[from, to)}, or 0 when the command names none. */
    static int protocol(MemorySegment out, long from, long to) {
        long p = from;
        while (p < to && out.get(ValueLayout.JAVA_BYTE, p) != '\n') {
            p++; // skip "*n\r\n"
        }
        p++;
        if (to - p < HEAD.length + 1) {
            return 0;
        }
        for (int i = 0; i < HEAD.length; i++) {
            byte b = out.get(ValueLayout.JAVA_BYTE, p + i);
            if (Character.toUpperCase(b) != HEAD[i]) {
                return 0;
            }
        }
        int v = out.get(ValueLayout.JAVA_BYTE, p + HEAD.length) - '0';
        return v == 2 || v == 3 ? v : 0;
    }
}
