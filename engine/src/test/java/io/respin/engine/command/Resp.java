package io.respin.engine.command;

import io.respin.engine.resp.RespHandler;
import io.respin.engine.resp.RespParser;
import io.respin.engine.resp.RespType;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

/**
 * Feeds canned RESP bytes to a handler. Uses the engine's {@link RespParser}; until the parser is built, a small
 * recursive tokenizer here stands in (same token contract, no streaming forms).
 */
final class Resp {
    private Resp() {
    }

    /** Canned RESP with '\n' written for CRLF, so fixtures stay readable: "*2\n:1\n:2\n". */
    static byte[] bytes(String lines) {
        return lines.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
    }

    static void feed(String lines, RespHandler h) {
        byte[] b = bytes(lines);
        MemorySegment seg = MemorySegment.ofArray(b);
        RespParser parser;
        try {
            parser = new RespParser();
        } catch (UnsupportedOperationException notYet) {
            new Mini(b, h).all();
            return;
        }
        long used = parser.parse(seg, 0, b.length, h);
        if (used != b.length) {
            throw new AssertionError("parser consumed " + used + " of " + b.length + ": " + parser.error());
        }
    }

    /** Decodes {@code lines} (one top-level reply) with {@code decoder}; throws the decoding failure. */
    static <T> T decode(String lines, Decoder<T> decoder) {
        ReplyReader<T> r = new ReplyReader<>("TEST", decoder);
        feed(lines, r);
        return r.result();
    }

    private static final class Mini {
        private final byte[] b;
        private final RespHandler h;
        private int i;

        Mini(byte[] b, RespHandler h) {
            this.b = b;
            this.h = h;
        }

        void all() {
            while (i < b.length) {
                value();
                h.onReplyEnd();
            }
        }

        private String line() {
            int start = i;
            while (b[i] != '\r') {
                i++;
            }
            String s = new String(b, start, i - start, StandardCharsets.UTF_8);
            i += 2;
            return s;
        }

        private void value() {
            RespType t = RespType.ofMarker(b[i++]);
            String l = line();
            switch (t) {
                case SIMPLE_STRING, SIMPLE_ERROR, BIG_NUMBER -> {
                    byte[] s = l.getBytes(StandardCharsets.UTF_8);
                    h.onString(t, MemorySegment.ofArray(s), 0, s.length);
                }
                case INTEGER -> h.onInteger(Long.parseLong(l));
                case DOUBLE -> h.onDouble(ScalarDecoders.parseDouble(l));
                case BOOLEAN -> h.onBoolean(l.equals("t"));
                case NULL -> h.onNull();
                case BULK_STRING, BLOB_ERROR, VERBATIM_STRING -> {
                    int n = Integer.parseInt(l);
                    if (n < 0) {
                        h.onNull();
                        return;
                    }
                    h.onString(t, MemorySegment.ofArray(b), i, n);
                    i += n + 2;
                }
                case ARRAY, SET, PUSH, MAP, ATTRIBUTE -> {
                    int n = Integer.parseInt(l);
                    if (n < 0) {
                        h.onNull();
                        return;
                    }
                    h.onAggregateStart(t, n);
                    int items = t == RespType.MAP || t == RespType.ATTRIBUTE ? 2 * n : n;
                    for (int k = 0; k < items; k++) {
                        value();
                    }
                    h.onAggregateEnd(t);
                    if (t == RespType.ATTRIBUTE) {
                        value();
                    }
                }
            }
        }
    }
}
