package io.respin.engine.command;

import io.respin.RedisProtocolException;
import io.respin.engine.resp.RespType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;

/** Decoders of aggregates. Each accepts any aggregate type, so RESP2 arrays and RESP3 sets/maps decode alike. */
final class CollectionDecoders {
    private CollectionDecoders() {
    }

    /** Every element through one decoder, into a list. */
    static final class ListOf<E> extends AggregateDecoder<List<E>> {
        private final Decoder<E> element;
        private List<E> list;

        ListOf(Decoder<E> element) {
            this.element = element;
        }

        @Override protected String expects() { return "an array"; }

        @Override protected void begin(RespType type, long count) { list = new ArrayList<>(capacity(count)); }

        @Override protected Decoder<?> next(RespType first) { return element; }

        @Override protected void element(Decoder<?> child) { list.add(element.take()); }

        @Override protected List<E> finish() { return list; }

        @Override protected void reset() {
            super.reset();
            list = null;
        }
    }

    /** Every element through one decoder, into an insertion-ordered set (RESP3 set or RESP2 array). */
    static final class SetOf<E> extends AggregateDecoder<Set<E>> {
        private final Decoder<E> element;
        private Set<E> set;

        SetOf(Decoder<E> element) {
            this.element = element;
        }

        @Override protected String expects() { return "a set or an array"; }

        @Override protected void begin(RespType type, long count) { set = new LinkedHashSet<>(capacity(count)); }

        @Override protected Decoder<?> next(RespType first) { return element; }

        @Override protected void element(Decoder<?> child) { set.add(element.take()); }

        @Override protected Set<E> finish() { return set; }

        @Override protected void reset() {
            super.reset();
            set = null;
        }
    }

    /**
     * A RESP3 map, a RESP2 flat array of key, value, key, value..., or an array of [key, value] pairs (RESP2
     * XREAD) — all into the same insertion-ordered map.
     */
    static final class MapOf<K, V> extends AggregateDecoder<Map<K, V>> {
        private final Decoder<K> keys;
        private final Decoder<V> values;
        private final Pair<K, V, Map.Entry<K, V>> pairs;
        private Map<K, V> map;
        private K key;
        private boolean expectKey = true;

        MapOf(Decoder<K> keys, Decoder<V> values) {
            this.keys = keys;
            this.values = values;
            this.pairs = new Pair<>(keys, values, java.util.AbstractMap.SimpleEntry::new);
        }

        @Override protected String expects() { return "a map or an array of pairs"; }

        @Override protected void begin(RespType type, long count) {
            map = new LinkedHashMap<>(capacity(type == RespType.MAP ? count : count / 2));
            expectKey = true;
        }

        @Override protected Decoder<?> next(RespType first) {
            if (expectKey && first.isAggregate()) {
                return pairs;
            }
            return expectKey ? keys : values;
        }

        @Override protected void element(Decoder<?> child) {
            if (child == pairs) {
                Map.Entry<K, V> e = pairs.take();
                if (e != null) {
                    map.put(e.getKey(), e.getValue());
                }
                return;
            }
            if (expectKey) {
                key = keys.take();
            } else {
                map.put(key, values.take());
                key = null;
            }
            expectKey = !expectKey;
        }

        @Override protected Map<K, V> finish() { return map; }

        @Override protected void reset() {
            super.reset();
            map = null;
            key = null;
            expectKey = true;
        }
    }

    /** A two-element aggregate made into one value, e.g. a scan page or a stream entry. */
    static final class Pair<A, B, R> extends AggregateDecoder<R> {
        private final Decoder<A> first;
        private final Decoder<B> second;
        private final BiFunction<A, B, R> make;
        private A a;
        private B b;
        private int index;

        Pair(Decoder<A> first, Decoder<B> second, BiFunction<A, B, R> make) {
            this.first = first;
            this.second = second;
            this.make = make;
        }

        @Override protected String expects() { return "a two-element array"; }

        @Override protected void begin(RespType type, long count) { index = 0; }

        @Override protected Decoder<?> next(RespType t) { return index == 0 ? first : second; }

        @Override protected void element(Decoder<?> child) {
            if (index == 0) {
                a = first.take();
            } else if (index == 1) {
                b = second.take();
            } else {
                child.take();
            }
            index++;
        }

        @Override protected R finish() { return make.apply(a, b); }

        @Override protected void reset() {
            super.reset();
            a = null;
            b = null;
            index = 0;
        }
    }

    /** A three-element aggregate made into one value, e.g. BZPOPMIN's [key, member, score]. */
    static final class Triple<A, B, C, R> extends AggregateDecoder<R> {
        private final Decoder<A> first;
        private final Decoder<B> second;
        private final Decoder<C> third;
        private final Decoders.Make3<A, B, C, R> make;
        private A a;
        private B b;
        private C c;
        private int index;

        Triple(Decoder<A> first, Decoder<B> second, Decoder<C> third, Decoders.Make3<A, B, C, R> make) {
            this.first = first;
            this.second = second;
            this.third = third;
            this.make = make;
        }

        @Override protected String expects() { return "a three-element array"; }

        @Override protected void begin(RespType type, long count) { index = 0; }

        @Override protected Decoder<?> next(RespType t) {
            return index == 0 ? first : index == 1 ? second : third;
        }

        @Override protected void element(Decoder<?> child) {
            switch (index++) {
                case 0 -> a = first.take();
                case 1 -> b = second.take();
                case 2 -> c = third.take();
                default -> child.take();
            }
        }

        @Override protected R finish() { return make.apply(a, b, c); }

        @Override protected void reset() {
            super.reset();
            a = null;
            b = null;
            c = null;
            index = 0;
        }
    }

    /**
     * Members with scores: RESP2's flat array (member, score-as-string, ...), RESP3's array of [member, double]
     * pairs, and RESP3's bare [member, double] (ZPOPMIN without count) all give the same list.
     */
    static final class Scored<V> extends AggregateDecoder<List<ScoredValue<V>>> {
        private final Decoder<V> member;
        private final Decoder<Double> score = new ScalarDecoders.Dbl();
        private final Pair<V, Double, ScoredValue<V>> pair;
        private List<ScoredValue<V>> list;
        private V pending;
        private boolean expectMember = true;

        Scored(Decoder<V> member) {
            this.member = member;
            this.pair = new Pair<>(member, score, (m, s) -> new ScoredValue<>(m, s == null ? Double.NaN : s));
        }

        @Override protected String expects() { return "members with scores"; }

        @Override protected void begin(RespType type, long count) {
            list = new ArrayList<>(capacity(count));
            expectMember = true;
        }

        @Override protected Decoder<?> next(RespType first) {
            if (first.isAggregate() && expectMember) {
                return pair;
            }
            return expectMember ? member : score;
        }

        @Override protected void element(Decoder<?> child) {
            if (child == pair) {
                list.add(pair.take());
            } else if (expectMember) {
                pending = member.take();
                expectMember = false;
            } else {
                Double s = score.take();
                list.add(new ScoredValue<>(pending, s == null ? Double.NaN : s));
                expectMember = true;
            }
        }

        @Override protected List<ScoredValue<V>> finish() { return list; }

        @Override protected void reset() {
            super.reset();
            list = null;
            pending = null;
            expectMember = true;
        }
    }

    /** Another decoder's value, transformed (TIME's two strings into an Instant, INFO's text into a map). */
    static final class Mapped<A, R> extends Decoder<R> {
        private final Decoder<A> inner;
        private final Function<A, R> map;
        private R value;

        Mapped(Decoder<A> inner, Function<A, R> map) {
            this.inner = inner;
            this.map = map;
        }

        @Override protected String expects() { return inner.expects(); }

        @Override protected boolean errorsAreValues() { return inner.errorsAreValues(); }

        private boolean done(boolean complete) {
            if (complete) {
                adopt(inner);
                A a = inner.take();
                try {
                    value = a == null ? null : map.apply(a);
                } catch (RuntimeException e) {
                    // a reply of the right RESP shape whose content does not read (a bad CLUSTER SHARDS): the
                    // command fails with the reason, instead of the exception unwinding the parser
                    fail(new RedisProtocolException("could not read the reply: " + e.getMessage(), -1));
                }
            }
            return complete;
        }

        @Override protected boolean string(RespType t, java.lang.foreign.MemorySegment d, long o, long l) {
            return done(inner.onString(t, d, o, l));
        }

        @Override protected boolean integer(long v) { return done(inner.onInteger(v)); }

        @Override protected boolean dbl(double v) { return done(inner.onDouble(v)); }

        @Override protected boolean bool(boolean v) { return done(inner.onBoolean(v)); }

        @Override protected boolean nul() { return done(inner.onNull()); }

        @Override protected boolean start(RespType t, long c) { return done(inner.onStart(t, c)); }

        @Override protected boolean end(RespType t) { return done(inner.onEnd(t)); }

        @Override protected R value() { return value; }

        @Override protected void reset() {
            super.reset();
            value = null;
        }
    }
}
