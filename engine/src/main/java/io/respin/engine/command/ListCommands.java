package io.respin.engine.command;

import java.time.Duration;
import java.util.List;

/**
 * The list commands, including LPOS, LMOVE, LMPOP and the blocking forms (BLPOP, BRPOP, BLMOVE, BLMPOP), whose
 * commands say so through {@link Command#isBlocking()} so that a transport can give them a dedicated connection.
 *
 * <pre>{@code
 * Command<Long> n = new ListCommands<>(Codec.utf8()).rpush("queue", "job-1", "job-2");
 * }</pre>
 */
@SuppressWarnings("varargs") // value and key arrays are only read, never stored or exposed
public final class ListCommands<K, V> extends Family<K, V> {

    public ListCommands(Codec<K, V> codec) {
        super(codec);
    }

    ListCommands(Codec<K, V> codec, java.util.function.Supplier<CommandScratch> scratch) {
        super(codec, scratch);
    }

    @SafeVarargs
    public final Command<Long> lpush(K key, V... values) {
        return push("LPUSH", key, values);
    }

    @SafeVarargs
    public final Command<Long> rpush(K key, V... values) {
        return push("RPUSH", key, values);
    }

    @SafeVarargs
    public final Command<Long> lpushx(K key, V... values) {
        return push("LPUSHX", key, values);
    }

    @SafeVarargs
    public final Command<Long> rpushx(K key, V... values) {
        return push("RPUSHX", key, values);
    }

    private Command<Long> push(String name, K key, V[] values) {
        nonNull(name, "key", key);
        noNulls(name, "values", values);
        return cmd(name, w -> vals(codec.writeKey(w.array(2 + values.length).arg(name), key), values),
                integer()).weigh(weight(values));
    }

    public Command<V> lpop(K key) {
        return keyed("LPOP", key, value());
    }

    /** LPOP key count: up to {@code count} values; null when the key does not exist. */
    public Command<List<V>> lpop(K key, long count) {
        nonNull("LPOP", "key", key);
        return cmd("LPOP", w -> codec.writeKey(w.array(3).arg("LPOP"), key).arg(count), values());
    }

    public Command<V> rpop(K key) {
        return keyed("RPOP", key, value());
    }

    public Command<List<V>> rpop(K key, long count) {
        nonNull("RPOP", "key", key);
        return cmd("RPOP", w -> codec.writeKey(w.array(3).arg("RPOP"), key).arg(count), values());
    }

    public Command<List<V>> lrange(K key, long start, long stop) {
        nonNull("LRANGE", "key", key);
        return cmd("LRANGE", w -> codec.writeKey(w.array(4).arg("LRANGE"), key).arg(start).arg(stop), values());
    }

    public Command<Long> llen(K key) {
        return keyed("LLEN", key, integer());
    }

    public Command<V> lindex(K key, long index) {
        nonNull("LINDEX", "key", key);
        return cmd("LINDEX", w -> codec.writeKey(w.array(3).arg("LINDEX"), key).arg(index), value());
    }

    public Command<String> lset(K key, long index, V value) {
        nonNull("LSET", "key", key, "value", value);
        return cmd("LSET", w -> codec.writeValue(codec.writeKey(w.array(4).arg("LSET"), key).arg(index), value),
                status()).weigh(weight(value));
    }

    /** LREM key count value: removes up to |count| matches (from the tail when negative; all when 0). */
    public Command<Long> lrem(K key, long count, V value) {
        nonNull("LREM", "key", key, "value", value);
        return cmd("LREM", w -> codec.writeValue(codec.writeKey(w.array(4).arg("LREM"), key).arg(count), value),
                integer());
    }

    public Command<String> ltrim(K key, long start, long stop) {
        nonNull("LTRIM", "key", key);
        return cmd("LTRIM", w -> codec.writeKey(w.array(4).arg("LTRIM"), key).arg(start).arg(stop),
                status());
    }

    /** LINSERT key BEFORE|AFTER pivot value: the new length, -1 when the pivot is not found. */
    public Command<Long> linsert(K key, boolean before, V pivot, V value) {
        nonNull("LINSERT", "key", key, "pivot", pivot, "value", value);
        return cmd("LINSERT", w -> codec.writeValue(codec.writeValue(
                codec.writeKey(w.array(5).arg("LINSERT"), key).arg(before ? "BEFORE" : "AFTER"), pivot), value),
                integer()).weigh(weight(value));
    }

    /** LPOS: index of the first (or RANK-th) match, null when none. */
    public Command<Long> lpos(K key, V element, LPosArgs args) {
        nonNull("LPOS", "key", key, "element", element, "args", args);
        return cmd("LPOS", w -> {
            codec.writeValue(codec.writeKey(w.array(3 + args.count()).arg("LPOS"), key), element);
            args.write(w);
        }, integer());
    }

    /** LPOS ... COUNT n: indexes of up to n matches (0 = all). */
    public Command<List<Long>> lpos(K key, V element, long count, LPosArgs args) {
        nonNull("LPOS", "key", key, "element", element, "args", args);
        return cmd("LPOS", w -> {
            codec.writeValue(codec.writeKey(w.array(5 + args.count()).arg("LPOS"), key), element);
            args.write(w);
            w.arg("COUNT").arg(count);
        }, Decoders.list(integer()));
    }

    public Command<V> lmove(K source, K destination, ListEnd from, ListEnd to) {
        nonNull("LMOVE", "source", source, "destination", destination, "from", from);
        nonNull("LMOVE", "to", to);
        return cmd("LMOVE", w -> codec.writeKey(codec.writeKey(w.array(5).arg("LMOVE"), source), destination)
                .arg(from.name()).arg(to.name()), value());
    }

    /** RPOPLPUSH source destination (deprecated in favour of LMOVE, still common in ported code). */
    public Command<V> rpoplpush(K source, K destination) {
        nonNull("RPOPLPUSH", "source", source, "destination", destination);
        return cmd("RPOPLPUSH", w -> codec.writeKey(codec.writeKey(w.array(3).arg("RPOPLPUSH"), source), destination),
                value());
    }

    /** LMPOP numkeys key... LEFT|RIGHT COUNT n: values from the first non-empty list, null when all are empty. */
    @SafeVarargs
    public final Command<KeyValues<K, V>> lmpop(ListEnd end, long count, K... keys) {
        nonNull("LMPOP", "end", end);
        noNulls("LMPOP", "keys", keys);
        return cmd("LMPOP", w -> {
            keys(w.array(5 + keys.length).arg("LMPOP").arg(keys.length), keys);
            w.arg(end.name()).arg("COUNT").arg(count);
        }, Decoders.pair(key(), values(), KeyValues::new));
    }

    /** BLPOP key... timeout: the key and value popped, null on timeout. */
    @SafeVarargs
    public final Command<KeyValues<K, V>> blpop(Duration timeout, K... keys) {
        return bpop("BLPOP", timeout, keys);
    }

    @SafeVarargs
    public final Command<KeyValues<K, V>> brpop(Duration timeout, K... keys) {
        return bpop("BRPOP", timeout, keys);
    }

    private Command<KeyValues<K, V>> bpop(String name, Duration timeout, K[] keys) {
        double seconds = seconds(name, timeout);
        noNulls(name, "keys", keys);
        return cmd(name, w -> keys(w.array(2 + keys.length).arg(name), keys).arg(seconds),
                Decoders.pair(key(), value(), (k, v) -> new KeyValues<>(k, List.of(v)))).blocking(timeout);
    }

    public Command<V> blmove(K source, K destination, ListEnd from, ListEnd to, Duration timeout) {
        nonNull("BLMOVE", "source", source, "destination", destination);
        nonNull("BLMOVE", "from", from, "to", to);
        double seconds = seconds("BLMOVE", timeout);
        return cmd("BLMOVE", w -> codec.writeKey(codec.writeKey(w.array(6).arg("BLMOVE"), source), destination)
                .arg(from.name()).arg(to.name()).arg(seconds), value()).blocking(timeout);
    }

    @SafeVarargs
    public final Command<KeyValues<K, V>> blmpop(Duration timeout, ListEnd end, long count, K... keys) {
        double seconds = seconds("BLMPOP", timeout);
        nonNull("BLMPOP", "end", end);
        noNulls("BLMPOP", "keys", keys);
        return cmd("BLMPOP", w -> {
            keys(w.array(6 + keys.length).arg("BLMPOP").arg(seconds).arg(keys.length), keys);
            w.arg(end.name()).arg("COUNT").arg(count);
        }, Decoders.pair(key(), values(), KeyValues::new)).blocking(timeout);
    }

    /** BRPOPLPUSH source destination timeout: the deprecated BLMOVE RIGHT LEFT; null when the timeout ran out. */
    public Command<V> brpoplpush(K source, K destination, Duration timeout) {
        nonNull("BRPOPLPUSH", "source", source, "destination", destination);
        double seconds = seconds("BRPOPLPUSH", timeout);
        return cmd("BRPOPLPUSH", w -> codec.writeKey(codec.writeKey(w.array(4).arg("BRPOPLPUSH"), source), destination)
                .arg(seconds), value()).blocking(timeout);
    }
}
