package io.respin.engine.command;

import java.util.List;
import java.util.Map;

/**
 * The hash commands. HGETALL gives the same map from RESP2's flat array and RESP3's map.
 *
 * <pre>{@code
 * Command<Map<String, String>> all = new HashCommands<>(Codec.utf8()).hgetall("user:1");
 * }</pre>
 */
@SuppressWarnings("varargs") // field arrays are only read, never stored or exposed
public final class HashCommands<K, V> extends Family<K, V> {

    public HashCommands(Codec<K, V> codec) {
        super(codec);
    }

    HashCommands(Codec<K, V> codec, java.util.function.Supplier<CommandScratch> scratch) {
        super(codec, scratch);
    }

    /** HSET one field: true when the field is new. */
    public Command<Boolean> hset(K key, K field, V value) {
        nonNull("HSET", "key", key, "field", field, "value", value);
        return cmd("HSET", w -> codec.writeValue(codec.writeKey(codec.writeKey(w.array(4).arg("HSET"), key), field),
                value), bool()).weigh(weight(value));
    }

    /** HSET many fields: the number of fields that were new. */
    public Command<Long> hset(K key, Map<K, V> fields) {
        nonNull("HSET", "key", key);
        noNulls("HSET", "fields", fields, "field", "value");
        return cmd("HSET", w -> {
            codec.writeKey(w.array(2 + 2 * fields.size()).arg("HSET"), key);
            fields.forEach((f, v) -> codec.writeValue(codec.writeKey(w, f), v));
        }, integer()).weigh(weight(fields));
    }

    public Command<Boolean> hsetnx(K key, K field, V value) {
        nonNull("HSETNX", "key", key, "field", field, "value", value);
        return cmd("HSETNX", w -> codec.writeValue(codec.writeKey(codec.writeKey(w.array(4).arg("HSETNX"), key),
                field), value), bool()).weigh(weight(value));
    }

    /** HMSET (deprecated since Redis 4 in favour of HSET, still common in ported code): "OK". */
    public Command<String> hmset(K key, Map<K, V> fields) {
        nonNull("HMSET", "key", key);
        noNulls("HMSET", "fields", fields, "field", "value");
        return cmd("HMSET", w -> {
            codec.writeKey(w.array(2 + 2 * fields.size()).arg("HMSET"), key);
            fields.forEach((f, v) -> codec.writeValue(codec.writeKey(w, f), v));
        }, status()).weigh(weight(fields));
    }

    public Command<V> hget(K key, K field) {
        nonNull("HGET", "key", key, "field", field);
        return cmd("HGET", w -> codec.writeKey(codec.writeKey(w.array(3).arg("HGET"), key), field), value());
    }

    @SafeVarargs
    public final Command<List<V>> hmget(K key, K... fields) {
        nonNull("HMGET", "key", key);
        noNulls("HMGET", "fields", fields);
        return cmd("HMGET", w -> keys(codec.writeKey(w.array(2 + fields.length).arg("HMGET"), key), fields), values());
    }

    public Command<Map<K, V>> hgetall(K key) {
        return keyed("HGETALL", key, Decoders.map(key(), value()));
    }

    @SafeVarargs
    public final Command<Long> hdel(K key, K... fields) {
        nonNull("HDEL", "key", key);
        noNulls("HDEL", "fields", fields);
        return cmd("HDEL", w -> keys(codec.writeKey(w.array(2 + fields.length).arg("HDEL"), key), fields),
                integer());
    }

    public Command<Boolean> hexists(K key, K field) {
        nonNull("HEXISTS", "key", key, "field", field);
        return cmd("HEXISTS", w -> codec.writeKey(codec.writeKey(w.array(3).arg("HEXISTS"), key), field),
                bool());
    }

    public Command<Long> hincrby(K key, K field, long amount) {
        nonNull("HINCRBY", "key", key, "field", field);
        return cmd("HINCRBY", w -> codec.writeKey(codec.writeKey(w.array(4).arg("HINCRBY"), key), field).arg(amount),
                integer());
    }

    public Command<Double> hincrbyfloat(K key, K field, double amount) {
        nonNull("HINCRBYFLOAT", "key", key, "field", field);
        return cmd("HINCRBYFLOAT", w -> codec.writeKey(codec.writeKey(w.array(4).arg("HINCRBYFLOAT"), key), field)
                .arg(amount), dbl());
    }

    public Command<List<K>> hkeys(K key) {
        return keyed("HKEYS", key, keyList());
    }

    public Command<List<V>> hvals(K key) {
        return keyed("HVALS", key, values());
    }

    public Command<Long> hlen(K key) {
        return keyed("HLEN", key, integer());
    }

    public Command<Long> hstrlen(K key, K field) {
        nonNull("HSTRLEN", "key", key, "field", field);
        return cmd("HSTRLEN", w -> codec.writeKey(codec.writeKey(w.array(3).arg("HSTRLEN"), key), field),
                integer());
    }

    /** HRANDFIELD key count: up to {@code count} distinct fields (negative: may repeat). */
    public Command<List<K>> hrandfield(K key, long count) {
        nonNull("HRANDFIELD", "key", key);
        return cmd("HRANDFIELD", w -> codec.writeKey(w.array(3).arg("HRANDFIELD"), key).arg(count), keyList());
    }

    /** One HSCAN page: fields and values in a map. */
    public Command<ScanPage<Map.Entry<K, V>>> hscan(K key, String cursor, ScanArgs args) {
        nonNull("HSCAN", "key", key, "cursor", cursor, "args", args);
        return cmd("HSCAN", w -> {
            codec.writeKey(w.array(3 + args.count()).arg("HSCAN"), key).arg(cursor);
            args.write(w);
        }, Decoders.pair(status(), Decoders.map(key(), value()),
                (c, m) -> new ScanPage<>(c, List.copyOf(m.entrySet()))));
    }
}
