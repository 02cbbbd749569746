package io.respin.engine.command;

import io.respin.engine.resp.RespWriter;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * How keys and values of type {@code K} and {@code V} become command arguments and come back from replies.
 * Encoding writes straight into the command's {@link RespWriter}; decoding reads a slice of the read buffer
 * (valid only during the call). {@link #utf8()} is the default; {@link #bytes()} keeps raw bytes.
 *
 * <pre>{@code
 * Codec<String, Long> counters = new Codec<>() {
 *     public RespWriter writeKey(RespWriter w, String k) { return w.arg(k); }
 *     public RespWriter writeValue(RespWriter w, Long v) { return w.arg(v); }
 *     public String decodeKey(MemorySegment d, long o, long n) { return Codec.utf8().decodeKey(d, o, n); }
 *     public Long decodeValue(MemorySegment d, long o, long n) { return Long.parseLong(decodeKey(d, o, n)); }
 * };
 * }</pre>
 */
public interface Codec<K, V> {

    /** Writes {@code key} as one argument; returns {@code w} for chaining. */
    RespWriter writeKey(RespWriter w, K key);

    /** Writes {@code value} as one argument; returns {@code w} for chaining. */
    RespWriter writeValue(RespWriter w, V value);

    K decodeKey(MemorySegment data, long offset, long length);

    V decodeValue(MemorySegment data, long offset, long length);

    /**
     * Roughly the bytes {@code value} occupies until its command is written (a String's length, an array's), so that
     * a transport can bound the memory of the commands it holds ({@code RedisClientBuilder.maxPendingBytes}).
     * Default 0: the codec's values are not counted; override it for codecs whose values can be large.
     */
    default long weight(V value) {
        return 0;
    }

    /** Keys and values as UTF-8 strings. */
    static Codec<String, String> utf8() {
        return Utf8Codec.INSTANCE;
    }

    /** Keys and values as byte arrays, unchanged. */
    static Codec<byte[], byte[]> bytes() {
        return BytesCodec.INSTANCE;
    }

    /** The UTF-8 string codec. */
    final class Utf8Codec implements Codec<String, String> {
        static final Utf8Codec INSTANCE = new Utf8Codec();

        private Utf8Codec() {
        }

        @Override public RespWriter writeKey(RespWriter w, String key) { return w.arg(key); }

        @Override public RespWriter writeValue(RespWriter w, String value) { return w.arg(value); }

        @Override public long weight(String value) { return value.length(); }

        @Override public String decodeKey(MemorySegment data, long offset, long length) {
            return Decoder.utf8(data, offset, length);
        }

        @Override public String decodeValue(MemorySegment data, long offset, long length) {
            return Decoder.utf8(data, offset, length);
        }
    }

    /** The byte-array codec. */
    final class BytesCodec implements Codec<byte[], byte[]> {
        static final BytesCodec INSTANCE = new BytesCodec();

        private BytesCodec() {
        }

        @Override public RespWriter writeKey(RespWriter w, byte[] key) { return w.arg(key); }

        @Override public RespWriter writeValue(RespWriter w, byte[] value) { return w.arg(value); }

        @Override public long weight(byte[] value) { return value.length; }

        @Override public byte[] decodeKey(MemorySegment data, long offset, long length) {
            return copy(data, offset, length);
        }

        @Override public byte[] decodeValue(MemorySegment data, long offset, long length) {
            return copy(data, offset, length);
        }

        private static byte[] copy(MemorySegment data, long offset, long length) {
            byte[] b = new byte[Math.toIntExact(length)];
            MemorySegment.copy(data, ValueLayout.JAVA_BYTE, offset, b, 0, b.length);
            return b;
        }
    }

}
