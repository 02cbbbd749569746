package io.respin.perf.workload;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The keys the read workloads use, encoded once: {@code key:000000000000} … in {@code redis-benchmark}'s own
 * {@code -r} format, so that it reads exactly the keys the JVM clients read. Every key holds a value of {@code
 * valueSize} bytes of {@code 'x'}, as {@code redis-benchmark -d} writes.
 *
 * <pre>{@code
 * KeySpace keys = new KeySpace(10_000, 32);
 * byte[] k = keys.key(i);          // spread over the space, allocation-free
 * }</pre>
 */
public final class KeySpace {
    private final byte[][] keys;
    private final byte[] value;

    public KeySpace(int size, int valueSize) {
        if (size < 1 || valueSize < 0) {
            throw new IllegalArgumentException("key space needs size >= 1 and value size >= 0");
        }
        this.keys = new byte[size][];
        for (int i = 0; i < size; i++) {
            keys[i] = name("key", i);
        }
        this.value = filled(valueSize);
    }

    /** {@code prefix:%012d} as bytes. */
    static byte[] name(String prefix, long i) {
        return String.format("%s:%012d", prefix, i).getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] filled(int size) {
        byte[] v = new byte[size];
        Arrays.fill(v, (byte) 'x');
        return v;
    }

    public int size() {
        return keys.length;
    }

    public int valueSize() {
        return value.length;
    }

    /** The value every key holds (shared; callers must not modify it). */
    public byte[] value() {
        return value;
    }

    /** The i-th key of a deterministic scramble of the space (a multiplicative hash, so hot keys do not cluster). */
    public byte[] key(long i) {
        return keys[(int) Long.remainderUnsigned(i * 0x9E3779B97F4A7C15L, keys.length)];
    }

    /** Loads every key with its value. */
    public void load(AdminConnection admin) throws java.io.IOException {
        byte[][] values = new byte[keys.length][];
        Arrays.fill(values, value);
        admin.setAll(keys, values);
    }
}
