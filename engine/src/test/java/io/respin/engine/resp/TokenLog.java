package io.respin.engine.resp;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A handler that writes down every token with the parser's {@link RespParser#depth()} at the time. */
final class TokenLog implements RespHandler {
    final List<String> events = new ArrayList<>();
    private final RespParser parser;

    TokenLog(RespParser parser) {
        this.parser = parser;
    }

    private void add(String s) {
        events.add(parser.depth() + " " + s);
    }

    private static String text(MemorySegment data, long offset, long length) {
        return new String(data.asSlice(offset, length).toArray(JAVA_BYTE), StandardCharsets.ISO_8859_1);
    }

    @Override public void onString(RespType type, MemorySegment data, long offset, long length) {
        add(type + " " + text(data, offset, length));
    }

    @Override public void onStringStart(RespType type, long totalLength) {
        add("start " + type + " " + totalLength);
    }

    @Override public void onStringChunk(MemorySegment data, long offset, long length) {
        add("chunk " + text(data, offset, length));
    }

    @Override public void onStringEnd() {
        add("end string");
    }

    @Override public void onInteger(long value) {
        add("int " + value);
    }

    @Override public void onDouble(double value) {
        add("double " + value);
    }

    @Override public void onBoolean(boolean value) {
        add("bool " + value);
    }

    @Override public void onNull() {
        add("null");
    }

    @Override public void onAggregateStart(RespType type, long count) {
        add("start " + type + " " + count);
    }

    @Override public void onAggregateEnd(RespType type) {
        add("end " + type);
    }

    @Override public void onReplyEnd() {
        add("reply");
    }
}
