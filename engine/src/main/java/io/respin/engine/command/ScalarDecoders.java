package io.respin.engine.command;

import io.respin.RedisProtocolException;
import io.respin.engine.resp.RespType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** The decoders of single values: strings through a codec, integers, doubles, booleans, status replies. */
final class ScalarDecoders {
    private ScalarDecoders() {
    }

    /** Bytes of a verbatim string start with a 3-letter format and ':' ("txt:"), which is not part of the text. */
    static long skipFormat(RespType type, long length) {
        return type == RespType.VERBATIM_STRING && length >= 4 ? 4 : 0;
    }

    /** A bulk, simple or verbatim string through a {@link BytesDecoder}; RESP null is null. */
    static final class Value<V> extends Decoder<V> {
        private BytesDecoder<V> bytes;
        private V value;

        Value(BytesDecoder<V> bytes) {
            this.bytes = bytes;
        }

        /** Re-arms a {@link CommandScratch}'s decoder for another codec's bytes. */
        @SuppressWarnings({"unchecked", "rawtypes"})
        void decodeWith(BytesDecoder bytes) {
            this.bytes = bytes;
        }

        @Override protected String expects() { return "a string"; }

        @Override protected boolean string(RespType type, MemorySegment data, long offset, long length) {
            long skip = skipFormat(type, length);
            value = bytes.decode(data, offset + skip, length - skip);
            return true;
        }

        @Override protected boolean nul() {
            value = null;
            return true;
        }

        @Override protected V value() { return value; }

        @Override protected void reset() {
            super.reset();
            value = null;
        }
    }

    /** "OK" and other status replies as a String; also accepts bulk strings. */
    static final class Status extends Decoder<String> {
        private String value;

        @Override protected String expects() { return "a status reply"; }

        @Override protected boolean string(RespType type, MemorySegment data, long offset, long length) {
            long skip = skipFormat(type, length);
            value = isOk(data, offset + skip, length - skip) ? "OK" : utf8(data, offset + skip, length - skip);
            return true;
        }

        /** "OK" is by far the most common status: the shared constant saves its bytes and String per command. */
        private static boolean isOk(MemorySegment data, long offset, long length) {
            return length == 2 && data.get(ValueLayout.JAVA_BYTE, offset) == 'O'
                    && data.get(ValueLayout.JAVA_BYTE, offset + 1) == 'K';
        }

        @Override protected boolean nul() {
            value = null;
            return true;
        }

        @Override protected String value() { return value; }

        @Override protected void reset() {
            super.reset();
            value = null;
        }
    }

    /** Any status reply means true (done), a null reply false (a condition such as NX was not met). */
    static final class Ok extends Decoder<Boolean> {
        private boolean ok;

        @Override protected String expects() { return "OK or null"; }

        @Override protected boolean string(RespType type, MemorySegment data, long offset, long length) {
            ok = true;
            return true;
        }

        @Override protected boolean nul() {
            ok = false;
            return true;
        }

        @Override protected Boolean value() { return ok; }

        @Override protected void reset() {
            super.reset();
            ok = false;
        }
    }

    /** An integer; a numeric string (RESP2 replies such as TIME's) also counts. RESP null is null. */
    static final class Int extends Decoder<Long> {
        private long value;
        private boolean isNull;

        @Override protected String expects() { return "an integer"; }

        @Override protected boolean integer(long v) {
            value = v;
            return true;
        }

        @Override protected boolean string(RespType type, MemorySegment data, long offset, long length) {
            try {
                value = parseLong(data, offset, length);
            } catch (NumberFormatException | ArithmeticException e) {
                return fail(new RedisProtocolException("expected an integer but got the string \""
                        + utf8(data, offset, Math.min(length, 40)) + "\"", -1));
            }
            return true;
        }

        @Override protected boolean nul() {
            isNull = true;
            return true;
        }

        @Override protected Long value() { return isNull ? null : value; }

        @Override protected void reset() {
            super.reset();
            isNull = false;
            value = 0;
        }
    }

    /** Integer 1/0 (RESP2 and most RESP3 replies) or RESP3 #t/#f. RESP null is null. */
    static final class Bool extends Decoder<Boolean> {
        private Boolean value;

        @Override protected String expects() { return "an integer 0/1 or a boolean"; }

        @Override protected boolean integer(long v) {
            value = v != 0;
            return true;
        }

        @Override protected boolean bool(boolean v) {
            value = v;
            return true;
        }

        @Override protected boolean nul() {
            value = null;
            return true;
        }

        @Override protected Boolean value() { return value; }

        @Override protected void reset() {
            super.reset();
            value = null;
        }
    }

    /** RESP3 double, or RESP2's double-as-bulk-string ("1.5", "inf", "-inf", "nan"), or an integer. */
    static final class Dbl extends Decoder<Double> {
        private double value;
        private boolean isNull;

        @Override protected String expects() { return "a double"; }

        @Override protected boolean dbl(double v) {
            value = v;
            return true;
        }

        @Override protected boolean integer(long v) {
            value = v;
            return true;
        }

        @Override protected boolean string(RespType type, MemorySegment data, long offset, long length) {
            String s = utf8(data, offset, length);
            try {
                value = parseDouble(s);
            } catch (NumberFormatException e) {
                return fail(new RedisProtocolException("expected a double but got the string \"" + s + "\"", -1));
            }
            return true;
        }

        @Override protected boolean nul() {
            isNull = true;
            return true;
        }

        @Override protected Double value() { return isNull ? null : value; }

        @Override protected void reset() {
            super.reset();
            isNull = false;
            value = 0;
        }
    }

    /** A thread that owns no arena (never started): a segment it may not access is confined to some thread. */
    private static final Thread NO_OWNER = Thread.ofVirtual().unstarted(() -> { });

    /** Copies a bulk string straight from the read buffer into the caller's segment: one copy, none on the heap. */
    static final class IntoSegment extends Decoder<Long> implements ReplyReader.ChunkSink {
        private final MemorySegment destination;
        private long written;
        private boolean isNull;

        IntoSegment(MemorySegment destination) {
            this.destination = destination;
        }

        @Override public boolean writesThreadConfinedMemory() {
            return !destination.isAccessibleBy(NO_OWNER);
        }

        @Override protected String expects() { return "a bulk string"; }

        @Override protected boolean string(RespType type, MemorySegment data, long offset, long length) {
            written = 0;
            return copy(data, offset, length) || true;
        }

        @Override protected boolean nul() {
            isNull = true;
            return true;
        }

        @Override public void chunkStart(long totalLength) {
            written = 0;
            if (totalLength > destination.byteSize()) {
                tooSmall(totalLength);
            }
        }

        @Override public void chunk(MemorySegment data, long offset, long length) {
            copy(data, offset, length);
        }

        @Override public void chunkEnd() {
        }

        private boolean copy(MemorySegment data, long offset, long length) {
            if (failure() != null) {
                return false;
            }
            if (written + length > destination.byteSize()) {
                tooSmall(written + length);
                return false;
            }
            MemorySegment.copy(data, offset, destination, written, length);
            written += length;
            return true;
        }

        private void tooSmall(long need) {
            fail(new io.respin.RedisException("the value has at least " + need + " bytes but the destination holds "
                    + destination.byteSize() + "; pass a larger segment or buffer (STRLEN tells the size)"));
        }

        @Override protected Long value() { return isNull ? -1L : written; }

        @Override protected void reset() {
            super.reset();
            isNull = false;
            written = 0;
        }
    }

    static long parseLong(MemorySegment data, long offset, long length) {
        if (length <= 0 || length > 20) {
            throw new NumberFormatException();
        }
        long i = offset;
        long end = offset + length;
        boolean negative = data.get(ValueLayout.JAVA_BYTE, i) == '-';
        if (negative) {
            i++;
        }
        if (i == end) {
            throw new NumberFormatException();
        }
        long v = 0;
        for (; i < end; i++) {
            int d = data.get(ValueLayout.JAVA_BYTE, i) - '0';
            if (d < 0 || d > 9) {
                throw new NumberFormatException();
            }
            v = Math.addExact(Math.multiplyExact(v, 10), negative ? -d : d);
        }
        return v;
    }

    static double parseDouble(String s) {
        return switch (s) {
            case "inf", "+inf" -> Double.POSITIVE_INFINITY;
            case "-inf" -> Double.NEGATIVE_INFINITY;
            case "nan", "-nan" -> Double.NaN;
            default -> Double.parseDouble(s);
        };
    }
}
