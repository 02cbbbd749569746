package io.respin.engine.command;

import io.respin.engine.resp.RespHandler;
import io.respin.engine.resp.RespParser;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

/**
 * Feeds canned RESP bytes through the engine's {@link RespParser} to a handler: whole, and byte by byte. Public
 * for the tests of other engine packages (cluster).
 */
public final class Resp {
    private Resp() {
    }

    /** Canned RESP with '\n' written for CRLF, so fixtures stay readable: "*2\n:1\n:2\n". */
    static byte[] bytes(String lines) {
        return lines.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
    }

    static void feed(String lines, RespHandler h) {
        byte[] b = bytes(lines);
        RespParser parser = new RespParser();
        long used = parser.parse(MemorySegment.ofArray(b), 0, b.length, h);
        if (used != b.length) {
            throw new AssertionError("parser consumed " + used + " of " + b.length + ": " + parser.error());
        }
    }

    /** Byte by byte, with a parser that delivers every bulk longer than 4 bytes in pieces. */
    static <T> T decodeInPieces(String lines, Decoder<T> decoder) {
        byte[] b = bytes(lines);
        RespParser parser = new RespParser().chunkThreshold(4);
        ReplyReader<T> reader = new ReplyReader<>("TEST", decoder);
        MemorySegment seg = MemorySegment.ofArray(b);
        long start = 0;
        for (long end = 1; end <= b.length; end++) {
            long used = parser.parse(seg, start, end - start, reader);
            if (used < 0) {
                throw new AssertionError("parser failed: " + parser.error());
            }
            start += used;
        }
        return reader.result();
    }

    /** Feeds one byte more each time, presenting the unconsumed tail again, as a socket read loop does. */
    static void feedByteByByte(String lines, RespHandler h) {
        byte[] b = bytes(lines);
        RespParser parser = new RespParser();
        MemorySegment seg = MemorySegment.ofArray(b);
        long start = 0;
        for (long end = 1; end <= b.length; end++) {
            long used = parser.parse(seg, start, end - start, h);
            if (used < 0) {
                throw new AssertionError("parser failed: " + parser.error());
            }
            start += used;
        }
        if (start != b.length) {
            throw new AssertionError("parser left " + (b.length - start) + " bytes");
        }
    }

    /**
     * Decodes {@code lines} (one top-level reply) with {@code decoder}, whole and byte by byte, checks both give
     * the same value, and returns it; throws the decoding failure.
     */
    public static <T> T decode(String lines, Decoder<T> decoder) {
        ReplyReader<T> whole = new ReplyReader<>("TEST", decoder);
        feed(lines, whole);
        T value = whole.result();
        ReplyReader<T> split = new ReplyReader<>("TEST", decoder);
        feedByteByByte(lines, split);
        T again = split.result();
        if (!java.util.Objects.deepEquals(value, again) && !(value instanceof MemorySegment)) {
            throw new AssertionError("byte-by-byte decoding gave " + again + " but whole gave " + value);
        }
        return value;
    }
}
