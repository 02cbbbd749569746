package io.respin.engine.agrona;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.respin.engine.resp.Reply;
import io.respin.engine.resp.ReplyAssembler;
import io.respin.engine.resp.RespHandler;
import io.respin.engine.resp.RespParser;
import io.respin.engine.resp.RespType;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.ExpandableDirectByteBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/** The parser over every kind of Agrona buffer, whole and split, at an offset, without allocating. */
class AgronaRespParseTest {

    private static final byte[] REPLIES = ("+OK\r\n:-7\r\n$5\r\nhel\r\n\r\n*2\r\n$1\r\na\r\n_\r\n%1\r\n+k\r\n,1.5\r\n")
            .getBytes(UTF_8);

    private final AgronaResp agrona = new AgronaResp();

    private static List<Reply> expected() {
        return List.of(
                new Reply.Text(RespType.SIMPLE_STRING, "OK".getBytes(UTF_8)),
                new Reply.Int(-7),
                new Reply.Text(RespType.BULK_STRING, "hel\r\n".getBytes(UTF_8)),
                new Reply.Aggregate(RespType.ARRAY, List.of(new Reply.Text(RespType.BULK_STRING, "a".getBytes(UTF_8)),
                        Reply.Null.INSTANCE)),
                new Reply.Aggregate(RespType.MAP, List.of(new Reply.Text(RespType.SIMPLE_STRING, "k".getBytes(UTF_8)),
                        new Reply.Dbl(1.5))));
    }

    private static List<Reply> drain(ReplyAssembler a) {
        List<Reply> out = new ArrayList<>();
        for (Reply r; (r = a.poll()) != null; ) {
            out.add(r);
        }
        return out;
    }

    private static List<MutableDirectBuffer> buffers() {
        return List.of(
                new ExpandableArrayBuffer(128),
                new ExpandableDirectByteBuffer(128),
                new UnsafeBuffer(new byte[200], 13, 128),
                new UnsafeBuffer(ByteBuffer.allocateDirect(200).position(9).slice(), 5, 128),
                new UnsafeBuffer(ByteBuffer.allocate(200).slice(3, 180), 11, 128));
    }

    @Test
    void wholeInputAtAnOffsetInEveryBufferKind() {
        for (MutableDirectBuffer b : buffers()) {
            b.putBytes(9, REPLIES);
            RespParser parser = new RespParser();
            ReplyAssembler a = new ReplyAssembler();
            assertEquals(REPLIES.length, agrona.parse(parser, b, 9, REPLIES.length, a), b.toString());
            assertEquals(expected(), drain(a), b.toString());
        }
    }

    @Test
    void inputArrivingInPiecesResumes() {
        for (MutableDirectBuffer b : buffers()) {
            for (int split = 0; split <= REPLIES.length; split++) {
                RespParser parser = new RespParser();
                ReplyAssembler a = new ReplyAssembler();
                b.setMemory(0, b.capacity(), (byte) 0);
                b.putBytes(0, REPLIES, 0, split);
                long used = agrona.parse(parser, b, 0, split, a);
                // the transport compacts: the unconsumed tail moves to the front, the rest of the bytes follow it
                int tail = (int) (split - used);
                b.putBytes(0, REPLIES, (int) used, tail + REPLIES.length - split);
                assertEquals(tail + REPLIES.length - split, agrona.parse(parser, b, 0, tail + REPLIES.length - split, a));
                assertEquals(expected(), drain(a), "split at " + split + " in " + b);
            }
        }
    }

    @Test
    void aProtocolErrorIsReportedThroughTheAdapter() {
        ExpandableArrayBuffer b = new ExpandableArrayBuffer(16);
        b.putBytes(0, "+OK\r\n\u0080oops\r\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        RespParser parser = new RespParser();
        assertEquals(RespParser.FAILED, agrona.parse(parser, b, 0, 11, new ReplyAssembler()));
        assertEquals(true, parser.error() != null);
    }

    @Test
    void parsingOverTheSameBufferAllocatesNothing() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        ExpandableDirectByteBuffer b = new ExpandableDirectByteBuffer(128);
        b.putBytes(0, REPLIES);
        RespParser parser = new RespParser();
        long[] ints = new long[1];
        RespHandler handler = new RespHandler.Adapter() {
            @Override public void onInteger(long v) {
                ints[0] += v;
            }
        };
        for (int i = 0; i < 50_000; i++) {
            agrona.parse(parser, b, 0, REPLIES.length, handler);
        }
        long tid = Thread.currentThread().threadId();
        List<Long> windows = new ArrayList<>();
        for (int attempt = 0; attempt < 3; attempt++) { // see RespWriterAllocationTest for why up to three windows
            long before = threads.getThreadAllocatedBytes(tid);
            for (int i = 0; i < 20_000; i++) { // 5 replies each: 100,000 replies
                agrona.parse(parser, b, 0, REPLIES.length, handler);
            }
            windows.add(threads.getThreadAllocatedBytes(tid) - before);
            if (windows.getLast() == 0) {
                break;
            }
        }
        assertNull(parser.error());
        assertEquals(-7L * (50_000 + 20_000L * windows.size()), ints[0], "every parse delivered its integer");
        assertEquals(0, windows.getLast(), "bytes allocated per 100,000 replies parsed from a DirectBuffer: " + windows);
    }

    @Test
    void anArrayBufferIsViewedAsAHeapSegmentOfItsCapacity() {
        ExpandableArrayBuffer b = new ExpandableArrayBuffer(4);
        MemorySegment s = agrona.view(b);
        assertEquals(b.capacity(), s.byteSize());
        assertEquals(false, s.isNative());
    }
}
