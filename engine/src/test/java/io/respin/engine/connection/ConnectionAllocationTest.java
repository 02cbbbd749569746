package io.respin.engine.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.respin.RedisException;
import io.respin.RedisServerException;
import io.respin.engine.resp.Reply;
import io.respin.engine.resp.RespHandler;
import io.respin.engine.resp.RespType;
import io.respin.engine.resp.RespWriter;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Encoding, matching and routing ordinary commands and replies allocate nothing: a pipeline of 64 commands
 * (bulk, integer, simple string, array, RESP3 map and double replies) is encoded and its replies received
 * thousands of times in 13-byte pieces, and the thread's allocated bytes must not move.
 */
class ConnectionAllocationTest {
    private static final byte[] GET = "GET".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] KEY = "key".getBytes(StandardCharsets.US_ASCII);
    private static final String[] REPLIES = {
        "$5\r\nhello\r\n", ":42\r\n", "+OK\r\n", "*2\r\n$1\r\na\r\n:1\r\n", "%1\r\n+f\r\n,1.5\r\n", "_\r\n",
    };

    /** A typed command's handler that decodes without allocating: it just counts tokens. */
    static final class Counting extends RespHandler.Adapter {
        long tokens;

        @Override public void onString(RespType type, MemorySegment data, long offset, long length) { tokens++; }
        @Override public void onInteger(long value) { tokens++; }
        @Override public void onDouble(double value) { tokens++; }
        @Override public void onNull() { tokens++; }
        @Override public void onAggregateStart(RespType type, long count) { tokens++; }
    }

    static final class Get implements Request {
        final Counting handler = new Counting();

        @Override public void encode(RespWriter w) { w.array(2).arg(GET).arg(KEY); }
        @Override public RespHandler replyHandler() { return handler; }
        @Override public CommandKind kind() { return CommandKind.PLAIN; }
    }

    static final class Counter implements ConnectionListener {
        long replies;
        long other;

        @Override public void onReply(Request r) { replies++; }
        @Override public void onServerError(Request r, RedisServerException error) { other++; }
        @Override public void onFailed(Request r, RedisException error) { other++; }
        @Override public void onPush(Reply push) { other++; }
    }

    @Test
    void ordinaryCommandsAndRepliesAllocateNothing() {
        Counter listener = new Counter();
        Connection c = new Connection(ConnectionSettings.builder().libInfo(null, null).build(), listener);
        MemorySegment out = MemorySegment.ofArray(new byte[1 << 16]);
        c.startHandshake();
        c.encodePending(out, 0, out.byteSize());
        byte[] hello = "%1\r\n+proto\r\n:3\r\n".getBytes(StandardCharsets.US_ASCII);
        c.receive(MemorySegment.ofArray(hello), 0, hello.length);

        int batch = 64;
        Get[] gets = new Get[batch];
        StringBuilder replies = new StringBuilder();
        for (int i = 0; i < batch; i++) {
            gets[i] = new Get();
            replies.append(REPLIES[i % 6]);
        }
        MemorySegment in = MemorySegment.ofArray(replies.toString().getBytes(StandardCharsets.US_ASCII));

        Runnable round = () -> {
            long pos = 0;
            for (Get g : gets) {
                pos += c.encode(g, out, pos, out.byteSize());
            }
            // 13 bytes at a time: tokens split across calls resume where they stopped
            long size = in.byteSize();
            long start = 0;
            long end = 0;
            while (start < size) {
                end = Math.min(size, end + 13);
                start += c.receive(in, start, end - start);
            }
        };
        for (int i = 0; i < 3_000; i++) {
            round.run();
        }
        assertEquals(3_000L * batch, listener.replies);
        assertEquals(0, c.inFlight());

        // A window is 1,000 rounds = 64,000 commands; a real per-command allocation shows in every window (MBs).
        // The JIT's rare late deoptimisation can materialise an eliminated object once (~100 bytes), so up to
        // three windows are measured and one must be clean.
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        java.util.List<Long> windows = new java.util.ArrayList<>();
        for (int attempt = 0; attempt < 3; attempt++) {
            long before = mx.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 1_000; i++) {
                round.run();
            }
            long allocated = mx.getCurrentThreadAllocatedBytes() - before;
            windows.add(allocated);
            if (allocated == 0) {
                break;
            }
        }
        assertEquals((3_000L + 1_000L * windows.size()) * batch, listener.replies);
        assertEquals(0, listener.other);
        assertEquals(0, windows.getLast(), "bytes allocated per window of 64,000 commands and replies: " + windows);
    }
}
