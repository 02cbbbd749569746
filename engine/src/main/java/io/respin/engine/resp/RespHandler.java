package io.respin.engine.resp;

import java.lang.foreign.MemorySegment;

/**
 * Receives the tokens of RESP values from a {@link RespParser}, in wire order — the parser's only output.
 * Like hiredis' reply-object callbacks, the handler decides what a reply becomes: a typed Java value, a
 * {@link Reply} tree ({@link ReplyAssembler}), a copy into the caller's buffer, or nothing at all.
 *
 * <p>String payloads are passed as a slice of the caller's input ({@code data}, {@code offset}, {@code length}):
 * valid only during the call, never copied by the parser. A value is reported as:
 * <pre>
 *   simple string, simple error, bulk, blob error,     onString(type, data, offset, length)
 *   verbatim (payload incl. "txt:"), big number
 *   a string delivered in pieces (streamed "$?" or a   onStringStart(type, totalLength or -1)
 *   bulk longer than the parser's chunk threshold)       onStringChunk(...)*  onStringEnd()
 *   integer / double / boolean / null                  onInteger / onDouble / onBoolean / onNull
 *   array, set, push, map, attribute                   onAggregateStart(type, count or -1 when streamed)
 *                                                        ...elements (a map: key, value, key, value...)
 *                                                        onAggregateEnd(type)
 *   after each complete top-level value                onReplyEnd()
 * </pre>
 * Null bulk {@code $-1}, null array {@code *-1} and RESP3 {@code _} are all {@link #onNull()}.
 * An attribute ({@code |}) is reported as an aggregate of type {@link RespType#ATTRIBUTE} (count = pairs) right
 * before the value it annotates; it is not an element of the enclosing aggregate, and it is not followed by
 * {@code onReplyEnd()} — the value after it is.
 * {@link RespParser#depth()} tells, during any callback, how deep the current token is (0 = top level).
 *
 * <pre>{@code
 * final class CountIntegers extends RespHandler.Adapter {
 *     long sum;
 *     @Override public void onInteger(long v) { sum += v; }
 * }
 * }</pre>
 */
public interface RespHandler {

    /** A complete string: type is SIMPLE_STRING, SIMPLE_ERROR, BULK_STRING, BLOB_ERROR, VERBATIM_STRING or BIG_NUMBER. */
    void onString(RespType type, MemorySegment data, long offset, long length);

    /** A string that will arrive in pieces. {@code totalLength} is -1 for a streamed {@code $?} string. */
    void onStringStart(RespType type, long totalLength);

    /** One piece of the string announced by {@link #onStringStart}. */
    void onStringChunk(MemorySegment data, long offset, long length);

    /** The string announced by {@link #onStringStart} is complete. */
    void onStringEnd();

    void onInteger(long value);

    void onDouble(double value);

    void onBoolean(boolean value);

    void onNull();

    /**
     * An aggregate starts: ARRAY, SET, PUSH, MAP or ATTRIBUTE. {@code count} is the number of elements (of pairs
     * for MAP and ATTRIBUTE), or -1 for a streamed aggregate ended by {@code .}.
     */
    void onAggregateStart(RespType type, long count);

    /** The aggregate most recently started and not yet ended is complete. */
    void onAggregateEnd(RespType type);

    /** A complete top-level value (with any attribute before it) has been delivered. */
    void onReplyEnd();

    /** A handler that ignores every token; override what you need. */
    class Adapter implements RespHandler {
        @Override public void onString(RespType type, MemorySegment data, long offset, long length) { }
        @Override public void onStringStart(RespType type, long totalLength) { }
        @Override public void onStringChunk(MemorySegment data, long offset, long length) { }
        @Override public void onStringEnd() { }
        @Override public void onInteger(long value) { }
        @Override public void onDouble(double value) { }
        @Override public void onBoolean(boolean value) { }
        @Override public void onNull() { }
        @Override public void onAggregateStart(RespType type, long count) { }
        @Override public void onAggregateEnd(RespType type) { }
        @Override public void onReplyEnd() { }
    }
}
