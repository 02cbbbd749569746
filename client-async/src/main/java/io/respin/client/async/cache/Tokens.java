package io.respin.client.async.cache;

import io.respin.engine.command.Decoder;
import io.respin.engine.resp.RespHandler;
import io.respin.engine.resp.RespType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A reply's tokens kept as bytes, so that a cached reply can be decoded again by any reader's own decoder, and the
 * recorder that writes them while the reply is parsed. One token per record:
 * <pre>
 *   'S' type:1 length:4 bytes...   a string (bulk, simple, verbatim, big number)
 *   'I' value:8                    an integer          'D' value:8   a double
 *   'B' value:1                    a boolean           'N'           a null
 *   'A' type:1 count:8             an aggregate starts 'E' type:1    it ends
 * </pre>
 * Replaying walks the records straight into a {@link Decoder}: no parser, no allocation beyond what the decoder makes.
 */
final class Tokens {
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble DOUBLE =
            ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final RespType[] TYPES = RespType.values();

    private Tokens() {
    }

    /**
     * Feeds the recorded reply {@code tokens} to {@code decoder} and takes its value; the decoder's failure, if any,
     * is thrown.
     */
    @SuppressWarnings("unchecked")
    static <T> T replay(MemorySegment tokens, Decoder<T> decoder) {
        long p = 0;
        long end = tokens.byteSize();
        while (p < end) {
            byte tag = tokens.get(ValueLayout.JAVA_BYTE, p);
            switch (tag) {
                case 'S' -> {
                    RespType t = TYPES[tokens.get(ValueLayout.JAVA_BYTE, p + 1)];
                    int n = tokens.get(INT, p + 2);
                    decoder.onString(t, tokens, p + 6, n);
                    p += 6 + n;
                }
                case 'I' -> {
                    decoder.onInteger(tokens.get(LONG, p + 1));
                    p += 9;
                }
                case 'D' -> {
                    decoder.onDouble(tokens.get(DOUBLE, p + 1));
                    p += 9;
                }
                case 'B' -> {
                    decoder.onBoolean(tokens.get(ValueLayout.JAVA_BYTE, p + 1) != 0);
                    p += 2;
                }
                case 'N' -> {
                    decoder.onNull();
                    p += 1;
                }
                case 'A' -> {
                    decoder.onStart(TYPES[tokens.get(ValueLayout.JAVA_BYTE, p + 1)], tokens.get(LONG, p + 2));
                    p += 10;
                }
                case 'E' -> {
                    decoder.onEnd(TYPES[tokens.get(ValueLayout.JAVA_BYTE, p + 1)]);
                    p += 2;
                }
                default -> throw new IllegalStateException("corrupt cached reply at " + p + ": tag " + tag);
            }
        }
        io.respin.RedisException f = decoder.failure();
        T v = decoder.take();
        if (f != null) {
            throw f;
        }
        return v;
    }

    /**
     * Passes a reply's tokens on to {@code next} (the read's own handler, which decodes the starter's value) and
     * records them. Duty holder only, like any reply handler. A streamed string is recorded whole.
     */
    static final class Recorder implements RespHandler {
        private final RespHandler next;
        private byte[] buf = new byte[64];
        private int len;
        private int streamedAt = -1;
        private boolean ended;

        Recorder(RespHandler next) {
            this.next = next;
        }

        /** The recorded tokens, once the reply ended; null before (or after {@link #reset()}). */
        byte[] tokens() {
            return ended ? Arrays.copyOf(buf, len) : null;
        }

        /** Forgets a partial recording (the read goes out again after a reconnect). */
        void reset() {
            len = 0;
            streamedAt = -1;
            ended = false;
        }

        private void room(int n) {
            if (len + n > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
            }
        }

        private void putLong(long v) {
            for (int i = 0; i < 8; i++) {
                buf[len++] = (byte) (v >>> (8 * i)); // little-endian, as LONG reads it
            }
        }

        @Override public void onString(RespType type, MemorySegment data, long offset, long length) {
            int n = Math.toIntExact(length);
            room(6 + n);
            buf[len++] = 'S';
            buf[len++] = (byte) type.ordinal();
            putInt(n);
            MemorySegment.copy(data, ValueLayout.JAVA_BYTE, offset, buf, len, n);
            len += n;
            next.onString(type, data, offset, length);
        }

        private void putInt(int v) {
            for (int i = 0; i < 4; i++) {
                buf[len++] = (byte) (v >>> (8 * i));
            }
        }

        @Override public void onStringStart(RespType type, long totalLength) {
            room(6);
            streamedAt = len;
            buf[len++] = 'S';
            buf[len++] = (byte) type.ordinal();
            putInt(0); // the length, written at the end
            next.onStringStart(type, totalLength);
        }

        @Override public void onStringChunk(MemorySegment data, long offset, long length) {
            int n = Math.toIntExact(length);
            room(n);
            MemorySegment.copy(data, ValueLayout.JAVA_BYTE, offset, buf, len, n);
            len += n;
            next.onStringChunk(data, offset, length);
        }

        @Override public void onStringEnd() {
            int n = len - streamedAt - 6;
            int at = len;
            len = streamedAt + 2;
            putInt(n);
            len = at;
            streamedAt = -1;
            next.onStringEnd();
        }

        @Override public void onInteger(long value) {
            room(9);
            buf[len++] = 'I';
            putLong(value);
            next.onInteger(value);
        }

        @Override public void onDouble(double value) {
            room(9);
            buf[len++] = 'D';
            putLong(Double.doubleToRawLongBits(value));
            next.onDouble(value);
        }

        @Override public void onBoolean(boolean value) {
            room(2);
            buf[len++] = 'B';
            buf[len++] = (byte) (value ? 1 : 0);
            next.onBoolean(value);
        }

        @Override public void onNull() {
            room(1);
            buf[len++] = 'N';
            next.onNull();
        }

        @Override public void onAggregateStart(RespType type, long count) {
            room(10);
            buf[len++] = 'A';
            buf[len++] = (byte) type.ordinal();
            putLong(count);
            next.onAggregateStart(type, count);
        }

        @Override public void onAggregateEnd(RespType type) {
            room(2);
            buf[len++] = 'E';
            buf[len++] = (byte) type.ordinal();
            next.onAggregateEnd(type);
        }

        @Override public void onReplyEnd() {
            ended = true;
            next.onReplyEnd();
        }
    }
}
