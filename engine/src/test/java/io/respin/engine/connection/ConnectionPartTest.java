package io.respin.engine.connection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A command too large for the buffer, written in parts: the parts are its encoding, it is recorded once. */
class ConnectionPartTest {

    private static byte[] bytes(MemorySegment s, long from, long n) {
        return s.asSlice(from, n).toArray(ValueLayout.JAVA_BYTE);
    }

    @Test
    void partsConcatenateToTheWholeEncodingAndTheReplyGoesToTheCommand() {
        Events events = new Events();
        Connection c = new Connection(ConnectionSettings.builder().build(), events);
        TestCommand small = TestCommand.of("GET", "a");
        TestCommand big = TestCommand.of("SET", "k", "v".repeat(1000));
        MemorySegment out = MemorySegment.ofArray(new byte[4096]);
        long n = c.encode(small, out, 0, 64);
        assertTrue(n > 0);
        MemorySegment tiny = MemorySegment.ofArray(new byte[64]);
        long needed = -c.encode(big, tiny, 0, 64);
        assertEquals(1, c.inFlight(), "an encoding that does not fit records nothing");
        long whole = c.encode(big, out, 0, out.byteSize());
        byte[] expected = bytes(out, 0, whole);
        assertEquals(needed, whole);
        c.abandon(big);
        ByteArrayOutputStream parts = new ByteArrayOutputStream();
        TestCommand streamed = TestCommand.of("SET", "k", "v".repeat(1000));
        for (long sent = 0; sent == 0 || sent < c.partLength(); ) {
            long m = c.encodePart(streamed, tiny, 0, Math.min(64, Math.max(1, whole - sent)), sent);
            parts.writeBytes(bytes(tiny, 0, m));
            sent += m;
        }
        assertEquals(whole, c.partLength());
        assertArrayEquals(expected, parts.toByteArray());
        byte[] replies = "$1\r\n1\r\n+OK\r\n+OK\r\n".getBytes(StandardCharsets.US_ASCII);
        assertEquals(replies.length, c.receive(MemorySegment.ofArray(replies), 0, replies.length));
        assertEquals(List.of("reply GET a: bulk \"1\"", "reply " + streamed + ": simple \"OK\""), events.lines);
    }
}
