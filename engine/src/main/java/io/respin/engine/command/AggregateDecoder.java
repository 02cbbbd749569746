package io.respin.engine.command;

import io.respin.engine.resp.RespType;
import java.lang.foreign.MemorySegment;

/**
 * A decoder for an aggregate (array, set, map or push — RESP2 and RESP3 alike) whose elements are decoded by
 * child decoders. It routes each element's tokens to the child {@link #next(RespType)} picks for it, and hands the
 * finished child to {@link #element(Decoder)}. A RESP null in place of the aggregate makes the value null.
 *
 * <pre>
 *   *2  $1 a  *1 :5      start(ARRAY)            -> open
 *                          string "a"  -> child A -> element(A)
 *                          start(ARRAY) -> child B (depth 1) ... end -> element(B)
 *                        end(ARRAY) at depth 0   -> complete
 * </pre>
 *
 * @param <T> the Java value
 */
public abstract class AggregateDecoder<T> extends Decoder<T> {
    private boolean open;
    private boolean isNull;
    /** Aggregates opened inside the current element and not yet closed. */
    private int depth;
    private Decoder<?> current;

    /** The aggregate starts; {@code count} is its element count (pairs for a map), -1 when streamed. */
    protected abstract void begin(RespType type, long count);

    /** The decoder for the next element, whose first token has type {@code first}. */
    protected abstract Decoder<?> next(RespType first);

    /** {@code child} has a complete element: take its value. */
    protected abstract void element(Decoder<?> child);

    /** The value once every element is in. */
    protected abstract T finish();

    @Override protected final T value() {
        return isNull ? null : finish();
    }

    @Override protected void reset() {
        super.reset();
        open = false;
        isNull = false;
        depth = 0;
        current = null;
    }

    @Override protected final boolean string(RespType type, MemorySegment data, long offset, long length) {
        if (!open) {
            return mismatch(type);
        }
        return child(type).onString(type, data, offset, length) && completed();
    }

    @Override protected final boolean integer(long value) {
        return open ? child(RespType.INTEGER).onInteger(value) && completed() : mismatch(RespType.INTEGER);
    }

    @Override protected final boolean dbl(double value) {
        return open ? child(RespType.DOUBLE).onDouble(value) && completed() : mismatch(RespType.DOUBLE);
    }

    @Override protected final boolean bool(boolean value) {
        return open ? child(RespType.BOOLEAN).onBoolean(value) && completed() : mismatch(RespType.BOOLEAN);
    }

    @Override protected final boolean nul() {
        if (!open) {
            isNull = true;
            return true;
        }
        return child(RespType.NULL).onNull() && completed();
    }

    @Override protected final boolean start(RespType type, long count) {
        if (!open) {
            open = true;
            begin(type, count);
            return false;
        }
        depth++;
        return child(type).onStart(type, count) && completed();
    }

    @Override protected final boolean end(RespType type) {
        if (depth == 0) {
            return true;
        }
        depth--;
        return current.onEnd(type) && completed();
    }

    private Decoder<?> child(RespType first) {
        if (current == null) {
            current = next(first);
        }
        return current;
    }

    /** The current element is done: hand it over; the aggregate itself is not complete yet. */
    private boolean completed() {
        Decoder<?> c = current;
        current = null;
        adopt(c);
        element(c);
        return false;
    }

    /** A hint for the initial capacity of a collection: never trust a declared length with memory. */
    protected static int capacity(long count) {
        return count < 0 ? 8 : (int) Math.min(count, 64);
    }
}
