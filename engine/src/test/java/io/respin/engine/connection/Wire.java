package io.respin.engine.connection;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

/**
 * A Connection with canned server bytes: {@link #send} encodes into a heap segment and returns what would go on
 * the wire; {@link #feed} hands the "server's" bytes to {@code receive} in chunks of {@code chunk} bytes (0 =
 * all at once), keeping unconsumed tails the way a transport does, at a non-zero offset in a larger segment.
 */
final class Wire {
    final Events events = new Events();
    final Connection connection;
    final int chunk;
    private final MemorySegment out = MemorySegment.ofArray(new byte[1 << 16]);
    private final MemorySegment in = MemorySegment.ofArray(new byte[1 << 16]);
    private static final int BASE = 7; // replies start at a non-zero offset
    private int start = BASE;
    private int end = BASE;

    Wire(ConnectionSettings settings, int chunk) {
        this.connection = new Connection(settings, events);
        this.chunk = chunk;
    }

    Wire(int chunk) {
        this(ConnectionSettings.DEFAULT, chunk);
    }

    /** Encodes the commands; returns the bytes written, as text. */
    String send(Request... requests) {
        long pos = 0;
        for (Request r : requests) {
            long n = connection.encode(r, out, pos, out.byteSize());
            if (n == Connection.REFUSED) {
                continue;
            }
            if (n < 0) {
                throw new AssertionError("test buffer too small: " + n);
            }
            pos += n;
        }
        return text(pos);
    }

    /** Encodes the pending handshake commands; returns them as text. */
    String sendPending() {
        long n = connection.encodePending(out, 0, out.byteSize());
        return text(n);
    }

    private String text(long n) {
        return new String(out.asSlice(0, n).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE), StandardCharsets.ISO_8859_1);
    }

    /** Feeds server bytes; returns the last receive() result. */
    long feed(String resp) {
        byte[] bytes = resp.getBytes(StandardCharsets.ISO_8859_1);
        int step = chunk <= 0 ? bytes.length : chunk;
        long last = 0;
        for (int i = 0; i < bytes.length; i += step) {
            int n = Math.min(step, bytes.length - i);
            MemorySegment.copy(bytes, i, in, java.lang.foreign.ValueLayout.JAVA_BYTE, end, n);
            end += n;
            last = connection.receive(in, start, end - start);
            if (last == Connection.FAILED) {
                start = end = BASE;
                return last;
            }
            start += (int) last;
            if (start == end) {
                start = end = BASE;
            }
        }
        return last;
    }

    /** A RESP3 connection whose handshake has been answered (no SETINFO, no auth). */
    static Wire resp3(int chunk) {
        Wire w = new Wire(ConnectionSettings.builder().libInfo(null, null).build(), chunk);
        w.connection.startHandshake();
        w.sendPending();
        w.feed("%3\r\n+server\r\n+redis\r\n+version\r\n+7.0.15\r\n+proto\r\n:3\r\n");
        w.events.take();
        return w;
    }

    /** A RESP2 connection whose HELLO 2 has been answered. */
    static Wire resp2(int chunk) {
        Wire w = new Wire(ConnectionSettings.builder().protocol(2).libInfo(null, null).build(), chunk);
        w.connection.startHandshake();
        w.sendPending();
        w.feed("*6\r\n$6\r\nserver\r\n$5\r\nredis\r\n$5\r\nproto\r\n:2\r\n$2\r\nid\r\n:5\r\n");
        w.events.take();
        return w;
    }

    /** Runs {@code action} from inside the listener, right after {@code r}'s onReply. */
    static void onReply(Wire w, Request r, Runnable action) {
        w.events.trigger = r;
        w.events.action = action;
    }
}
