package io.respin.engine.command;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The string commands (GET, SET and its options, MGET/MSET, the INCR family, ranges, GETDEL/GETEX) and bitmaps,
 * defined once for both clients.
 *
 * <pre>{@code
 * Command<String> get = new StringCommands<>(Codec.utf8()).get("k");
 * }</pre>
 */
@SuppressWarnings("varargs") // key and value arrays are only read, never stored or exposed
public final class StringCommands<K, V> extends Family<K, V> {

    public StringCommands(Codec<K, V> codec) {
        super(codec);
    }

    StringCommands(Codec<K, V> codec, java.util.function.Supplier<CommandScratch> scratch) {
        super(codec, scratch);
    }

    public Command<V> get(K key) {
        return keyed("GET", key, value());
    }

    /** GET straight into {@code destination}: the number of bytes written, or -1 when the key does not exist. */
    public Command<Long> getInto(K key, MemorySegment destination) {
        nonNull("GET", "destination", destination);
        return keyed("GET", key, Decoders.into(destination));
    }

    /** GET into the remaining space of {@code destination} (its position is not moved). */
    public Command<Long> getInto(K key, ByteBuffer destination) {
        nonNull("GET", "destination", destination);
        return keyed("GET", key, Decoders.into(destination));
    }

    public Command<String> set(K key, V value) {
        nonNull("SET", "key", key, "value", value);
        return cmd("SET", w -> {
            codec.writeKey(w.array(3).arg("SET"), key);
            codec.writeValue(w, value);
        }, status()).weigh(weight(value));
    }

    /** SET with options: true when set, false when an NX/XX condition did not hold. */
    public Command<Boolean> set(K key, V value, SetArgs args) {
        nonNull("SET", "key", key, "value", value, "args", args);
        return cmd("SET", w -> {
            codec.writeKey(w.array(3 + args.count()).arg("SET"), key);
            codec.writeValue(w, value);
            args.write(w);
        }, Decoders.ok()).weigh(weight(value));
    }

    /** SET ... GET: sets and returns the old value (null when there was none). */
    public Command<V> setGet(K key, V value, SetArgs args) {
        nonNull("SET", "key", key, "value", value, "args", args);
        return cmd("SET", w -> {
            codec.writeKey(w.array(4 + args.count()).arg("SET"), key);
            codec.writeValue(w, value);
            args.write(w);
            w.arg("GET");
        }, value()).weigh(weight(value));
    }

    public Command<String> setex(K key, Duration ttl, V value) {
        nonNull("SETEX", "key", key, "ttl", ttl, "value", value);
        return cmd("SETEX", w -> {
            codec.writeKey(w.array(4).arg("SETEX"), key);
            codec.writeValue(w.arg(ttl.toSeconds()), value);
        }, status()).weigh(weight(value));
    }

    public Command<String> psetex(K key, Duration ttl, V value) {
        nonNull("PSETEX", "key", key, "value", value);
        long ms = millis("PSETEX", "ttl", ttl);
        return cmd("PSETEX", w -> {
            codec.writeKey(w.array(4).arg("PSETEX"), key);
            codec.writeValue(w.arg(ms), value);
        }, status()).weigh(weight(value));
    }

    public Command<Boolean> setnx(K key, V value) {
        nonNull("SETNX", "key", key, "value", value);
        return cmd("SETNX", w -> {
            codec.writeKey(w.array(3).arg("SETNX"), key);
            codec.writeValue(w, value);
        }, bool()).weigh(weight(value));
    }

    @SafeVarargs
    public final Command<List<V>> mget(K... keys) {
        noNulls("MGET", "keys", keys);
        return cmd("MGET", w -> keys(w.array(1 + keys.length).arg("MGET"), keys), values());
    }

    public Command<String> mset(Map<K, V> entries) {
        noNulls("MSET", "entries", entries, "key", "value");
        return cmd("MSET", w -> {
            w.array(1 + 2 * entries.size()).arg("MSET");
            entries.forEach((k, v) -> {
                codec.writeKey(w, k);
                codec.writeValue(w, v);
            });
        }, status()).weigh(weight(entries));
    }

    public Command<Boolean> msetnx(Map<K, V> entries) {
        noNulls("MSETNX", "entries", entries, "key", "value");
        return cmd("MSETNX", w -> {
            w.array(1 + 2 * entries.size()).arg("MSETNX");
            entries.forEach((k, v) -> {
                codec.writeKey(w, k);
                codec.writeValue(w, v);
            });
        }, bool()).weigh(weight(entries));
    }

    public Command<Long> incr(K key) {
        return keyed("INCR", key, integer());
    }

    public Command<Long> incrby(K key, long amount) {
        nonNull("INCRBY", "key", key);
        return cmd("INCRBY", w -> codec.writeKey(w.array(3).arg("INCRBY"), key).arg(amount), integer());
    }

    public Command<Double> incrbyfloat(K key, double amount) {
        nonNull("INCRBYFLOAT", "key", key);
        return cmd("INCRBYFLOAT", w -> codec.writeKey(w.array(3).arg("INCRBYFLOAT"), key).arg(amount), dbl());
    }

    public Command<Long> decr(K key) {
        return keyed("DECR", key, integer());
    }

    public Command<Long> decrby(K key, long amount) {
        nonNull("DECRBY", "key", key);
        return cmd("DECRBY", w -> codec.writeKey(w.array(3).arg("DECRBY"), key).arg(amount), integer());
    }

    public Command<Long> append(K key, V value) {
        nonNull("APPEND", "key", key, "value", value);
        return cmd("APPEND", w -> codec.writeValue(codec.writeKey(w.array(3).arg("APPEND"), key), value),
                integer()).weigh(weight(value));
    }

    public Command<Long> strlen(K key) {
        return keyed("STRLEN", key, integer());
    }

    public Command<V> getrange(K key, long start, long end) {
        nonNull("GETRANGE", "key", key);
        return cmd("GETRANGE", w -> codec.writeKey(w.array(4).arg("GETRANGE"), key).arg(start).arg(end), value());
    }

    public Command<Long> setrange(K key, long offset, V value) {
        nonNull("SETRANGE", "key", key, "value", value);
        return cmd("SETRANGE", w -> codec.writeValue(codec.writeKey(w.array(4).arg("SETRANGE"), key).arg(offset), value),
                integer()).weigh(weight(value));
    }

    public Command<V> getdel(K key) {
        return keyed("GETDEL", key, value());
    }

    public Command<V> getex(K key, GetExArgs args) {
        nonNull("GETEX", "key", key, "args", args);
        return cmd("GETEX", w -> {
            codec.writeKey(w.array(2 + args.count()).arg("GETEX"), key);
            args.write(w);
        }, value());
    }

    public Command<V> getset(K key, V value) {
        nonNull("GETSET", "key", key, "value", value);
        return cmd("GETSET", w -> codec.writeValue(codec.writeKey(w.array(3).arg("GETSET"), key), value), value()).weigh(weight(value));
    }

    public Command<Long> setbit(K key, long offset, boolean bit) {
        nonNull("SETBIT", "key", key);
        return cmd("SETBIT", w -> codec.writeKey(w.array(4).arg("SETBIT"), key).arg(offset).arg(bit ? 1 : 0),
                integer());
    }

    public Command<Long> getbit(K key, long offset) {
        nonNull("GETBIT", "key", key);
        return cmd("GETBIT", w -> codec.writeKey(w.array(3).arg("GETBIT"), key).arg(offset), integer());
    }

    public Command<Long> bitcount(K key) {
        return keyed("BITCOUNT", key, integer());
    }

    public Command<Long> bitcount(K key, long start, long end) {
        nonNull("BITCOUNT", "key", key);
        return cmd("BITCOUNT", w -> codec.writeKey(w.array(4).arg("BITCOUNT"), key).arg(start).arg(end),
                integer());
    }

    public Command<Long> bitpos(K key, boolean bit) {
        nonNull("BITPOS", "key", key);
        return cmd("BITPOS", w -> codec.writeKey(w.array(3).arg("BITPOS"), key).arg(bit ? 1 : 0), integer());
    }

    /** BITOP AND|OR|XOR|NOT destination key...: the length of the result. */
    @SafeVarargs
    public final Command<Long> bitop(String operation, K destination, K... keys) {
        nonNull("BITOP", "operation", operation, "destination", destination);
        noNulls("BITOP", "keys", keys);
        return cmd("BITOP", w -> keys(codec.writeKey(w.array(3 + keys.length).arg("BITOP").arg(operation), destination),
                keys), integer());
    }

    /** LCS key1 key2: the longest common subsequence. */
    public Command<V> lcs(K a, K b) {
        nonNull("LCS", "a", a, "b", b);
        return cmd("LCS", w -> codec.writeKey(codec.writeKey(w.array(3).arg("LCS"), a), b), value());
    }

    @SafeVarargs
    public final Command<Long> pfadd(K key, V... elements) {
        nonNull("PFADD", "key", key);
        noNulls("PFADD", "elements", elements);
        return cmd("PFADD", w -> {
            codec.writeKey(w.array(2 + elements.length).arg("PFADD"), key);
            vals(w, elements);
        }, integer());
    }

    @SafeVarargs
    public final Command<Long> pfcount(K... keys) {
        noNulls("PFCOUNT", "keys", keys);
        return cmd("PFCOUNT", w -> keys(w.array(1 + keys.length).arg("PFCOUNT"), keys), integer());
    }

    @SafeVarargs
    public final Command<String> pfmerge(K destination, K... sources) {
        nonNull("PFMERGE", "destination", destination);
        noNulls("PFMERGE", "sources", sources);
        return cmd("PFMERGE", w -> {
            codec.writeKey(w.array(2 + sources.length).arg("PFMERGE"), destination);
            keys(w, sources);
        }, status());
    }
    /** SUBSTR key start end: the deprecated name of GETRANGE, kept for old scripts; the same substring. */
    public Command<V> substr(K key, long start, long end) {
        nonNull("SUBSTR", "key", key);
        return cmd("SUBSTR", w -> codec.writeKey(w.array(4).arg("SUBSTR"), key).arg(start).arg(end), value());
    }

    /**
     * BITFIELD key op...: the operations as the server reads them ({@code "INCRBY", "u8", "0", "1"},
     * {@code "GET", "i16", "#1"}, {@code "OVERFLOW", "FAIL"}...); one result per GET/SET/INCRBY, null where an
     * INCRBY overflowed under OVERFLOW FAIL.
     */
    public Command<List<Long>> bitfield(K key, String... operations) {
        nonNull("BITFIELD", "key", key);
        noNulls("BITFIELD", "operations", operations);
        return cmd("BITFIELD", w -> {
            codec.writeKey(w.array(2 + operations.length).arg("BITFIELD"), key);
            for (String op : operations) {
                w.arg(op);
            }
        }, Decoders.list(integer()));
    }

    /** BITFIELD_RO key GET type offset...: read-only BITFIELD (only GET), runs on replicas. */
    public Command<List<Long>> bitfieldRo(K key, String... getOperations) {
        nonNull("BITFIELD_RO", "key", key);
        noNulls("BITFIELD_RO", "getOperations", getOperations);
        return cmd("BITFIELD_RO", w -> {
            codec.writeKey(w.array(2 + getOperations.length).arg("BITFIELD_RO"), key);
            for (String op : getOperations) {
                w.arg(op);
            }
        }, Decoders.list(integer()));
    }
}
