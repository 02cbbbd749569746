package io.respin.engine.resp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.lang.foreign.MemorySegment;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The trees {@link ReplyAssembler} builds, as Java values. */
class ReplyAssemblerTest {

    private static List<Reply> assemble(String input) {
        RespParser parser = new RespParser().chunkThreshold(2);
        ReplyAssembler a = new ReplyAssembler();
        byte[] in = Feed.bytes(input);
        assertEquals(in.length, parser.parse(MemorySegment.ofArray(in), 0, in.length, a));
        List<Reply> out = new java.util.ArrayList<>();
        for (Reply r = a.poll(); r != null; r = a.poll()) {
            out.add(r);
        }
        return out;
    }

    private static Reply.Aggregate attr(Reply... kv) {
        return new Reply.Aggregate(RespType.ATTRIBUTE, List.of(kv));
    }

    private static Reply.Text simple(String s) {
        return new Reply.Text(RespType.SIMPLE_STRING, Feed.bytes(s));
    }

    @Test
    void attributesAttachToTheValueTheyPrecedeAtAnyDepth() {
        Reply r = assemble("*2\r\n|1\r\n+ttl\r\n:3\r\n:7\r\n_\r\n").getFirst();
        assertEquals(new Reply.Aggregate(RespType.ARRAY, List.of(
                new Reply.Int(7, attr(simple("ttl"), new Reply.Int(3))), Reply.Null.INSTANCE)), r);
        Reply.Aggregate array = (Reply.Aggregate) r;
        assertEquals(2, array.size(), "the attribute is no element");
        assertNull(array.attributes());
        assertEquals(3, ((Reply.Int) array.get(0).attributes().get(1)).value());
    }

    @Test
    void twoAttributesChain() {
        Reply r = assemble("|1\r\n+a\r\n:1\r\n|1\r\n+b\r\n:2\r\n#t\r\n").getFirst();
        Reply.Aggregate second = r.attributes();
        assertEquals(RespType.ATTRIBUTE, second.type());
        assertEquals(simple("b"), second.get(0));
        assertEquals(attr(simple("a"), new Reply.Int(1)), second.attributes());
        assertEquals(new Reply.Bool(true, second), r);
    }

    @Test
    void attributedNullIsItsOwnValue() {
        Reply r = assemble("|0\r\n_\r\n").getFirst();
        assertEquals(new Reply.Null(attr()), r);
        assertSame(Reply.Null.INSTANCE, assemble("$-1\r\n").getFirst());
    }

    @Test
    void piecesAndStreamsAreAssembled() {
        List<Reply> replies = assemble("$5\r\nhello\r\n$?\r\n;3\r\nabc\r\n;1\r\nd\r\n;0\r\n%?\r\n+k\r\n=6\r\ntxt:vv\r\n.\r\n");
        assertArrayEquals(Feed.bytes("hello"), ((Reply.Text) replies.get(0)).bytes());
        assertEquals(new Reply.Text(RespType.BULK_STRING, Feed.bytes("abcd")), replies.get(1));
        assertEquals(new Reply.Aggregate(RespType.MAP, List.of(simple("k"),
                new Reply.Text(RespType.VERBATIM_STRING, Feed.bytes("txt:vv")))), replies.get(2));
        assertEquals("txt:vv", ((Reply.Aggregate) replies.get(2)).get(1).asString());
    }

    @Test
    void resetDropsAPartialReply() {
        RespParser parser = new RespParser();
        ReplyAssembler a = new ReplyAssembler();
        byte[] in = Feed.bytes("*2\r\n:1\r\n");
        parser.parse(MemorySegment.ofArray(in), 0, in.length, a);
        a.reset();
        parser.reset();
        byte[] next = Feed.bytes(":5\r\n");
        parser.parse(MemorySegment.ofArray(next), 0, next.length, a);
        assertEquals(new Reply.Int(5), a.poll());
        assertNull(a.poll());
        assertEquals(0, a.size());
    }
}
