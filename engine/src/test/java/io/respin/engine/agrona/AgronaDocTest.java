package io.respin.engine.agrona;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.respin.engine.resp.ReplyAssembler;
import io.respin.engine.resp.RespParser;
import io.respin.engine.resp.RespWriter;
import java.nio.charset.StandardCharsets;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/** The Java block of docs/engine.md on Agrona buffers, run (in the agrona-buffers fork, as every agrona test). */
class AgronaDocTest {

    @Test
    void parseAndEncodeOverAgronaBuffers() {
        byte[] wire = "xx+OK\r\n".getBytes(StandardCharsets.US_ASCII);
        UnsafeBuffer buffer = new UnsafeBuffer(wire);
        int offset = 2;
        int length = wire.length - offset;
        RespParser parser = new RespParser();
        ReplyAssembler handler = new ReplyAssembler();
        RespWriter writer = new RespWriter();
        ExpandableArrayBuffer out = new ExpandableArrayBuffer(8);
        int pos = 1;
        String key = "greeting";
        // snippet: agrona
        AgronaResp agrona = new AgronaResp();                           // caches the buffer's view: one per thread
        long used = agrona.parse(parser, buffer, offset, length, handler);
        agrona.wrap(writer, out, pos, out.capacity()).array(2).arg("GET").arg(key);
        if (writer.overflowed() && AgronaResp.ensureCapacity(out, pos, writer.required())) { /* encode again */ }
        // end snippet
        assertEquals(length, used);
        assertEquals("OK", handler.poll().asString());
        assertTrue(out.capacity() >= pos + writer.required());
        agrona.wrap(writer, out, pos, out.capacity()).array(2).arg("GET").arg(key);
        assertFalse(writer.overflowed());
        assertEquals("*2\r\n$3\r\nGET\r\n$8\r\ngreeting\r\n", out.getStringWithoutLengthAscii(pos, (int) writer.written()));
    }
}
