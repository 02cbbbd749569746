package io.respin.engine.command;

import io.respin.engine.resp.RespWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What every command family shares: the codec, helpers to write key lists and build commands, and the checks
 * that refuse a bad argument on the caller's thread.
 *
 * <p>A command's arguments are written later, on whichever thread encodes it (the IO thread, or a submitter
 * holding the duty). A null there would fail far from its cause, after the command was queued. So every public
 * command method checks its arguments when it builds the command: a null key, value, option, or element of an
 * array, list or map throws {@code NullPointerException("SET: key is null")} — the command's name, then the
 * parameter's (an element as {@code keys[2]}, a map's value as {@code value for key 'k1'}) — and a value that
 * cannot be sent ({@code IllegalArgumentException}) throws likewise, before anything is queued. No argument of a
 * command method may be null unless its javadoc says so. The checks allocate nothing unless they throw.
 */
abstract class Family<K, V> {
    final Codec<K, V> codec;
    /** The codec's decode methods as decoders' callbacks, made once rather than per command. */
    private final BytesDecoder<V> valueBytes;
    private final BytesDecoder<K> keyBytes;

    /** Non-null: commands are built in the scratch it gives, one reused object (see {@link Commands#recycling}). */
    private final Supplier<CommandScratch> scratch;

    Family(Codec<K, V> codec) {
        this(codec, null);
    }

    Family(Codec<K, V> codec, Supplier<CommandScratch> scratch) {
        this.codec = codec;
        this.scratch = scratch;
        this.valueBytes = codec::decodeValue;
        this.keyBytes = codec::decodeKey;
    }

    final Decoder<V> value() {
        return scratch == null ? Decoders.value(valueBytes) : scratch.get().value(valueBytes);
    }

    final Decoder<K> key() {
        return scratch == null ? Decoders.value(keyBytes) : scratch.get().value(keyBytes);
    }

    // the scalar decoders: fresh ones, or the scratch's (one command at a time)
    final Decoder<Long> integer() {
        return scratch == null ? Decoders.integer() : scratch.get().integer();
    }

    final Decoder<String> status() {
        return scratch == null ? Decoders.status() : scratch.get().status();
    }

    final Decoder<Boolean> bool() {
        return scratch == null ? Decoders.bool() : scratch.get().bool();
    }

    final Decoder<Double> dbl() {
        return scratch == null ? Decoders.dbl() : scratch.get().dbl();
    }

    final Decoder<List<V>> values() {
        return Decoders.list(value());
    }

    final Decoder<List<K>> keyList() {
        return Decoders.list(key());
    }

    final RespWriter keys(RespWriter w, K[] keys) {
        for (K k : keys) {
            codec.writeKey(w, k);
        }
        return w;
    }

    final RespWriter vals(RespWriter w, V[] values) {
        for (V v : values) {
            codec.writeValue(w, v);
        }
        return w;
    }

    /** What a value holds in memory until its command is written, for a transport's bound in bytes. */
    final long weight(V value) {
        return codec.weight(value);
    }

    final long weight(V[] values) {
        long w = 0;
        for (V v : values) {
            w += codec.weight(v);
        }
        return w;
    }

    final long weight(java.util.Collection<V> values) {
        long w = 0;
        for (V v : values) {
            w += codec.weight(v);
        }
        return w;
    }

    final long weight(java.util.Map<?, V> entries) {
        return weight(entries.values());
    }

    /** A command whose only argument is one key: {@code NAME key}. */
    final <T> Command<T> keyed(String name, K key, Decoder<T> decoder) {
        nonNull(name, "key", key);
        return cmd(name, w -> codec.writeKey(w.array(2).arg(name), key), decoder);
    }

    final <T> Command<T> cmd(String name, Command.Args args, Decoder<T> decoder) {
        return scratch == null ? new Command<>(name, args, decoder) : scratch.get().command(name, args, decoder);
    }

    // ---- argument checks, on the caller's thread (see the class comment) ----

    static void nonNull(String command, String name, Object arg) {
        if (arg == null) {
            throw isNull(command, name);
        }
    }

    static void nonNull(String command, String name1, Object arg1, String name2, Object arg2) {
        nonNull(command, name1, arg1);
        nonNull(command, name2, arg2);
    }

    static void nonNull(String command, String name1, Object arg1, String name2, Object arg2, String name3,
                        Object arg3) {
        nonNull(command, name1, arg1);
        nonNull(command, name2, arg2);
        nonNull(command, name3, arg3);
    }

    /** {@code array} and each of its elements: "DEL: keys[1] is null". */
    static void noNulls(String command, String name, Object[] array) {
        nonNull(command, name, array);
        for (int i = 0; i < array.length; i++) {
            if (array[i] == null) {
                throw isNull(command, name + "[" + i + "]");
            }
        }
    }

    /** {@code list} and each of its elements: "EVAL: keys[0] is null". */
    static void noNulls(String command, String name, List<?> list) {
        nonNull(command, name, list);
        int i = 0;
        for (Object e : list) {
            if (e == null) {
                throw isNull(command, name + "[" + i + "]");
            }
            i++;
        }
    }

    /**
     * {@code map}, its keys and its values: "MSET: entries has a null key", "MSET: value for key 'k1' is null"
     * ({@code keyNoun} and {@code valueNoun} name what the map holds: key/value, field/value, member/score...).
     */
    static void noNulls(String command, String name, Map<?, ?> map, String keyNoun, String valueNoun) {
        nonNull(command, name, map);
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (e.getKey() == null) {
                throw new NullPointerException(command + ": " + name + " has a null " + keyNoun);
            }
            if (e.getValue() == null) {
                throw isNull(command, valueNoun + " for " + keyNoun + " '" + shown(e.getKey()) + "'");
            }
        }
    }

    /** {@code d} in milliseconds, checked: a null or a duration too long for a {@code long} of ms is refused here. */
    static long millis(String command, String name, Duration d) {
        nonNull(command, name, d);
        try {
            return d.toMillis();
        } catch (ArithmeticException tooLong) {
            throw new IllegalArgumentException(command + ": " + name + " " + d + " does not fit in milliseconds", tooLong);
        }
    }

    /** {@code at} in unix milliseconds, checked as {@link #millis}. */
    static long epochMillis(String command, String name, Instant at) {
        nonNull(command, name, at);
        try {
            return at.toEpochMilli();
        } catch (ArithmeticException tooFar) {
            throw new IllegalArgumentException(command + ": " + name + " " + at + " does not fit in unix milliseconds",
                    tooFar);
        }
    }

    /** A blocking command's timeout: seconds with decimals on the wire; checked as {@link #millis}. */
    static double seconds(String command, Duration timeout) {
        return millis(command, "timeout", timeout) / 1000.0;
    }

    private static NullPointerException isNull(String command, String name) {
        return new NullPointerException(command + ": " + name + " is null");
    }

    /** A key as a message shows it: text as is (bytes as UTF-8), cut short when long. */
    private static String shown(Object key) {
        String s = key instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(key);
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
