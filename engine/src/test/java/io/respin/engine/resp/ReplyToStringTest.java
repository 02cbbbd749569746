package io.respin.engine.resp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every {@link Reply} prints in one style, the canonical form that {@code decode} prints. */
class ReplyToStringTest {

    private static Reply.Text text(RespType type, String s) {
        return new Reply.Text(type, s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void scalarsPrintAsDecodeDoes() {
        assertEquals("bulk \"embstr\"", text(RespType.BULK_STRING, "embstr").toString());
        assertEquals("simple \"OK\"", text(RespType.SIMPLE_STRING, "OK").toString());
        assertEquals("error \"ERR x\"", text(RespType.SIMPLE_ERROR, "ERR x").toString());
        assertEquals("int 5", new Reply.Int(5).toString());
        assertEquals("double 1.5", new Reply.Dbl(1.5).toString());
        assertEquals("double inf", new Reply.Dbl(Double.POSITIVE_INFINITY).toString());
        assertEquals("bool true", new Reply.Bool(true).toString());
        assertEquals("null", Reply.Null.INSTANCE.toString());
        assertEquals("bulk \"a\\r\\n\\x00\"", text(RespType.BULK_STRING, "a\r\n\0").toString());
    }

    @Test
    void aggregatesAndAttributesPrintInTheSameStyle() {
        Reply.Aggregate attrs = new Reply.Aggregate(RespType.ATTRIBUTE,
                List.of(text(RespType.SIMPLE_STRING, "ttl"), new Reply.Int(3)));
        assertEquals("attr {simple \"ttl\": int 3}", attrs.toString());
        assertEquals("attr {simple \"ttl\": int 3} int 7", new Reply.Int(7, attrs).toString());
        Reply.Aggregate push = new Reply.Aggregate(RespType.PUSH,
                List.of(text(RespType.BULK_STRING, "message"), new Reply.Aggregate(RespType.ARRAY, List.of())));
        assertEquals("push [bulk \"message\", array []]", push.toString());
        assertEquals("map {simple \"a\": null}", new Reply.Aggregate(RespType.MAP,
                List.of(text(RespType.SIMPLE_STRING, "a"), Reply.Null.INSTANCE)).toString());
    }
}
