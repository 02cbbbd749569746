package io.respin.engine.command;

import io.respin.engine.resp.RespWriter;
import java.util.List;

/** What every command family shares: the codec, and helpers to write key lists and build commands. */
abstract class Family<K, V> {
    final Codec<K, V> codec;
    /** The codec's decode methods as decoders' callbacks, made once rather than per command. */
    private final BytesDecoder<V> valueBytes;
    private final BytesDecoder<K> keyBytes;

    Family(Codec<K, V> codec) {
        this.codec = codec;
        this.valueBytes = codec::decodeValue;
        this.keyBytes = codec::decodeKey;
    }

    final Decoder<V> value() {
        return Decoders.value(valueBytes);
    }

    final Decoder<K> key() {
        return Decoders.value(keyBytes);
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

    /** A command whose only argument is one key: {@code NAME key}. */
    final <T> Command<T> keyed(String name, K key, Decoder<T> decoder) {
        return cmd(name, w -> codec.writeKey(w.array(2).arg(name), key), decoder);
    }

    static <T> Command<T> cmd(String name, Command.Args args, Decoder<T> decoder) {
        return new Command<>(name, args, decoder);
    }
}
