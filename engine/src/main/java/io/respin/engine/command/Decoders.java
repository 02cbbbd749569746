package io.respin.engine.command;

import io.respin.engine.resp.Reply;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Factories for the reply decoders the command catalogue is built from. Each call returns a new decoder: a
 * decoder holds the state of one reply in progress, so each command gets its own.
 *
 * <pre>{@code
 * Decoder<Map<String, List<StreamEntry<String, String>>>> xread =
 *     Decoders.map(Decoders.utf8(), Decoders.list(Decoders.streamEntry(Codec.utf8())));
 * }</pre>
 */
public final class Decoders {
    private Decoders() {
    }

    /** A status reply ("OK", "PONG", a TYPE name) or a bulk string as text. */
    public static Decoder<String> status() {
        return new ScalarDecoders.Status();
    }

    /** True for OK, false for a null reply (SET NX/XX whose condition did not hold). */
    public static Decoder<Boolean> ok() {
        return new ScalarDecoders.Ok();
    }

    /** An integer (or a numeric string); null for a null reply. */
    public static Decoder<Long> integer() {
        return new ScalarDecoders.Int();
    }

    /** Integer 0/1 or RESP3 boolean. */
    public static Decoder<Boolean> bool() {
        return new ScalarDecoders.Bool();
    }

    /** RESP3 double or RESP2 numeric string; null for a null reply. */
    public static Decoder<Double> dbl() {
        return new ScalarDecoders.Dbl();
    }

    /** A string as text. */
    public static Decoder<String> utf8() {
        return new ScalarDecoders.Value<>(Codec.utf8()::decodeValue);
    }

    /** A string through any {@link BytesDecoder}, e.g. a codec's {@code decodeValue}. */
    public static <V> Decoder<V> value(BytesDecoder<V> bytes) {
        return new ScalarDecoders.Value<>(bytes);
    }

    /** A codec's value. */
    public static <V> Decoder<V> value(Codec<?, V> codec) {
        return new ScalarDecoders.Value<>(codec::decodeValue);
    }

    /** A codec's key. */
    public static <K> Decoder<K> key(Codec<K, ?> codec) {
        return new ScalarDecoders.Value<>(codec::decodeKey);
    }

    /**
     * A bulk string copied straight from the read buffer into {@code destination}: the value is the number of
     * bytes written, or -1 for a null reply. A value larger than the destination fails the command. A segment
     * of a confined arena may only be written by its owner thread: a transport that reads replies on another
     * thread refuses such a command up front ({@link ReplyReader#requireDecodableOnAnyThread()}).
     */
    public static Decoder<Long> into(MemorySegment destination) {
        return new ScalarDecoders.IntoSegment(destination);
    }

    /** As {@link #into(MemorySegment)}, into the buffer's remaining space; the buffer's position is not moved. */
    public static Decoder<Long> into(ByteBuffer destination) {
        return new ScalarDecoders.IntoSegment(MemorySegment.ofBuffer(destination));
    }

    public static <E> Decoder<List<E>> list(Decoder<E> element) {
        return new CollectionDecoders.ListOf<>(element);
    }

    public static <E> Decoder<Set<E>> set(Decoder<E> element) {
        return new CollectionDecoders.SetOf<>(element);
    }

    /** A RESP3 map or a RESP2 flat key/value array, in server order. */
    public static <K, V> Decoder<Map<K, V>> map(Decoder<K> keys, Decoder<V> values) {
        return new CollectionDecoders.MapOf<>(keys, values);
    }

    /** A two-element array made into one value. */
    public static <A, B, R> Decoder<R> pair(Decoder<A> first, Decoder<B> second, BiFunction<A, B, R> make) {
        return new CollectionDecoders.Pair<>(first, second, make);
    }

    /** A three-element array made into one value. */
    public static <A, B, C, R> Decoder<R> triple(Decoder<A> first, Decoder<B> second, Decoder<C> third,
                                                 Make3<A, B, C, R> make) {
        return new CollectionDecoders.Triple<>(first, second, third, make);
    }

    /** Makes a value of three decoded parts. */
    @FunctionalInterface
    public interface Make3<A, B, C, R> {
        R apply(A a, B b, C c);
    }

    /** Members with scores, from RESP2's flat array or RESP3's pairs alike. */
    public static <V> Decoder<List<ScoredValue<V>>> scored(Decoder<V> member) {
        return new CollectionDecoders.Scored<>(member);
    }

    /**
     * Another decoder's value transformed by {@code map} (not called for null). A {@code RuntimeException} from
     * {@code map} fails the command as a {@link io.respin.RedisProtocolException} naming its message.
     */
    public static <A, R> Decoder<R> mapped(Decoder<A> inner, Function<A, R> map) {
        return new CollectionDecoders.Mapped<>(inner, map);
    }

    /** A SCAN-family reply: [cursor, [items...]]. */
    public static <T> Decoder<ScanPage<T>> scanPage(Decoder<List<T>> items) {
        return pair(status(), items, ScanPage::new);
    }

    /** A stream entry: [id, [field, value, ...]]. */
    public static <K, V> Decoder<StreamEntry<K, V>> streamEntry(Codec<K, V> codec) {
        return pair(status(), map(key(codec), value(codec)), StreamEntry::new);
    }

    /** INFO's text ("# Section", "key:value" lines) as a flat map of every key to its value. */
    public static Decoder<Map<String, String>> info() {
        return mapped(status(), InfoText::parse);
    }

    /** TIME's [seconds, microseconds] as an Instant. */
    public static Decoder<Instant> time() {
        return mapped(list(integer()), t -> Instant.ofEpochSecond(t.get(0), t.get(1) * 1000));
    }

    /** Any reply as a generic {@link Reply} tree; error replies inside it stay values. */
    public static Decoder<Reply> reply() {
        return new AnyReply();
    }
}
