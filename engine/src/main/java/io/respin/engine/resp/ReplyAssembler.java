package io.respin.engine.resp;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds {@link Reply} trees from parser tokens: for generic commands, tests and tools (a cold path; it
 * allocates). Strings delivered in pieces and streamed aggregates are assembled into one value; an attribute is
 * attached to the value that follows it ({@link Reply#attributes()}), at any depth. When two attributes precede
 * one value, the second carries the first as its own {@code attributes()}, so nothing is lost.
 *
 * <pre>{@code
 * ReplyAssembler a = new ReplyAssembler();
 * parser.parse(seg, 0, n, a);
 * for (Reply r = a.poll(); r != null; r = a.poll()) {
 *     System.out.println(r);
 * }
 * }</pre>
 */
public final class ReplyAssembler extends RespHandler.Adapter {

    /** An aggregate being built. */
    private record Frame(RespType type, List<Reply> elements, Reply.Aggregate attributes) {
    }

    private final ArrayDeque<Reply> complete = new ArrayDeque<>();
    private final ArrayDeque<Frame> open = new ArrayDeque<>();
    private Reply.Aggregate pendingAttributes;
    private RespType piecesType;
    private ByteArrayOutputStream pieces;

    /** The oldest completed top-level reply not yet taken, or null. */
    public Reply poll() {
        return complete.poll();
    }

    /** Number of completed replies waiting to be polled. */
    public int size() {
        return complete.size();
    }

    /** Drops partial and completed replies (after a protocol error, with the parser's reset). */
    public void reset() {
        complete.clear();
        open.clear();
        pendingAttributes = null;
        pieces = null;
        piecesType = null;
    }

    @Override public void onString(RespType type, MemorySegment data, long offset, long length) {
        add(new Reply.Text(type, data.asSlice(offset, length).toArray(JAVA_BYTE), takeAttributes()));
    }

    @Override public void onStringStart(RespType type, long totalLength) {
        piecesType = type;
        pieces = new ByteArrayOutputStream(totalLength > 0 && totalLength < (1 << 20) ? (int) totalLength : 256);
    }

    @Override public void onStringChunk(MemorySegment data, long offset, long length) {
        pieces.writeBytes(data.asSlice(offset, length).toArray(JAVA_BYTE));
    }

    @Override public void onStringEnd() {
        byte[] bytes = pieces.toByteArray();
        pieces = null;
        add(new Reply.Text(piecesType, bytes, takeAttributes()));
    }

    @Override public void onInteger(long value) {
        add(new Reply.Int(value, takeAttributes()));
    }

    @Override public void onDouble(double value) {
        add(new Reply.Dbl(value, takeAttributes()));
    }

    @Override public void onBoolean(boolean value) {
        add(new Reply.Bool(value, takeAttributes()));
    }

    @Override public void onNull() {
        Reply.Aggregate attributes = takeAttributes();
        add(attributes == null ? Reply.Null.INSTANCE : new Reply.Null(attributes));
    }

    @Override public void onAggregateStart(RespType type, long count) {
        int capacity = count > 0 && count < 1024 ? (int) count * (type == RespType.MAP ? 2 : 1) : 8;
        open.push(new Frame(type, new ArrayList<>(capacity), takeAttributes()));
    }

    @Override public void onAggregateEnd(RespType type) {
        Frame f = open.pop();
        Reply.Aggregate done = new Reply.Aggregate(f.type, f.elements, f.attributes);
        if (type == RespType.ATTRIBUTE) {
            pendingAttributes = done;
        } else {
            add(done);
        }
    }

    private Reply.Aggregate takeAttributes() {
        Reply.Aggregate a = pendingAttributes;
        pendingAttributes = null;
        return a;
    }

    private void add(Reply value) {
        Frame top = open.peek();
        if (top == null) {
            complete.add(value);
        } else {
            top.elements.add(value);
        }
    }
}
