package io.respin.engine.command;

import io.respin.RedisException;
import io.respin.RedisProtocolException;
import io.respin.RedisServerException;
import io.respin.engine.resp.RespType;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

/**
 * Turns the tokens of one RESP value into a Java value. Decoders compose: a list decoder hands each element's
 * tokens to an element decoder, a map decoder alternates a key and a value decoder, so RESP2's flat arrays and
 * RESP3's maps, sets and doubles end up as the same Java value.
 *
 * <p>Every token method returns {@code true} when the value it belongs to is complete; the owner then calls
 * {@link #take()}, which returns the value and makes the decoder ready for the next one. A token of a type the
 * decoder does not expect is not thrown (that would unwind the parser): it is recorded as {@link #failure()},
 * the rest of the value is skipped, and the value becomes null.
 *
 * <pre>{@code
 * Decoder<Map<String, String>> d = Decoders.map(Decoders.utf8(), Decoders.utf8());
 * // parser tokens -> d.onStart(MAP, 1), d.onString(...), d.onString(...), d.onEnd(MAP) == true
 * Map<String, String> m = d.take();
 * }</pre>
 *
 * @param <T> the Java value
 */
public abstract class Decoder<T> {
    private int skip;
    private RedisException failure;

    /** True when the decoder writes into memory that only one thread may access (a confined arena's segment). */
    public boolean writesThreadConfinedMemory() {
        return false;
    }

    public final boolean onString(RespType type, MemorySegment data, long offset, long length) {
        if (skip > 0) {
            return false;
        }
        if (type.isError() && !errorsAreValues()) {
            // an error inside an aggregate (EXEC, a script's table): the command fails with the server's words
            return fail(new RedisServerException(utf8(data, offset, length)));
        }
        return string(type, data, offset, length);
    }

    public final boolean onInteger(long value) {
        return skip > 0 ? false : integer(value);
    }

    public final boolean onDouble(double value) {
        return skip > 0 ? false : dbl(value);
    }

    public final boolean onBoolean(boolean value) {
        return skip > 0 ? false : bool(value);
    }

    public final boolean onNull() {
        return skip > 0 ? false : nul();
    }

    public final boolean onStart(RespType type, long count) {
        if (skip > 0) {
            skip++;
            return false;
        }
        return start(type, count);
    }

    public final boolean onEnd(RespType type) {
        if (skip > 0) {
            return --skip == 0;
        }
        return end(type);
    }

    /** The completed value (null for a RESP null or after a failure); resets the decoder for the next value. */
    public final T take() {
        T v = failure == null ? value() : null;
        reset();
        return v;
    }

    /** What went wrong decoding the current value, or null. Read it before {@link #take()}, which clears it. */
    public final RedisException failure() {
        return failure;
    }

    /** Clears the decoder's state; {@link #take()} calls it. */
    protected void reset() {
        skip = 0;
        failure = null;
    }

    /** True for decoders that keep error replies as values (generic {@code Reply}s); others fail with them. */
    protected boolean errorsAreValues() {
        return false;
    }

    /** What this decoder expects, for error messages: "a bulk string", "an array". */
    protected abstract String expects();

    /** The value after the tokens have been delivered. */
    protected abstract T value();

    protected boolean string(RespType type, MemorySegment data, long offset, long length) {
        return mismatch(type);
    }

    protected boolean integer(long value) {
        return mismatch(RespType.INTEGER);
    }

    protected boolean dbl(double value) {
        return mismatch(RespType.DOUBLE);
    }

    protected boolean bool(boolean value) {
        return mismatch(RespType.BOOLEAN);
    }

    protected boolean nul() {
        return mismatch(RespType.NULL);
    }

    /** An aggregate starts. By default unexpected: the whole aggregate is skipped. */
    protected boolean start(RespType type, long count) {
        mismatch(type);
        skip = 1;
        return false;
    }

    protected boolean end(RespType type) {
        return true;
    }

    /** Records that a token of {@code got} came where {@link #expects()} was expected; the value is complete. */
    protected final boolean mismatch(RespType got) {
        return fail(new RedisProtocolException("expected " + expects() + " but the server sent " + article(got)
                + "; the command and its reply do not match (a server that is not Redis, or a bug in respin)", -1));
    }

    /** Records {@code e} as this value's failure (the first one wins); the value is complete. */
    protected final boolean fail(RedisException e) {
        if (failure == null) {
            failure = e;
        }
        return true;
    }

    /** Takes over a child decoder's failure, so that it reaches the top. */
    protected final void adopt(Decoder<?> child) {
        if (failure == null && child.failure != null) {
            failure = child.failure;
        }
    }

    static String utf8(MemorySegment data, long offset, long length) {
        byte[] b = new byte[Math.toIntExact(length)];
        MemorySegment.copy(data, java.lang.foreign.ValueLayout.JAVA_BYTE, offset, b, 0, b.length);
        return new String(b, StandardCharsets.UTF_8);
    }

    static String article(RespType t) {
        String n = t.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
        return ("aeiou".indexOf(n.charAt(0)) >= 0 ? "an " : "a ") + n;
    }
}
