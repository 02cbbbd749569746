package io.respin.engine.resp;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * An immutable RESP value, built by {@link ReplyAssembler} for generic commands, pushes, tests and tools. Hot
 * paths never build these: typed commands decode tokens straight into their Java values. Every type prints as
 * its {@link CanonicalForm} (what {@code decode} prints): {@code int 5}, {@code bulk "embstr"},
 * {@code push [bulk "message", bulk "news", bulk "hi"]}.
 *
 * <pre>{@code
 * if (reply instanceof Reply.Aggregate a && a.type() == RespType.PUSH) {
 *     String kind = a.elements().get(0).asString();
 * }
 * }</pre>
 */
public sealed interface Reply {

    RespType type();

    /** The attribute that preceded this value ({@code |} in RESP3), or null. */
    default Aggregate attributes() {
        return null;
    }

    /** This value's bytes as UTF-8 text for string types, the decimal form for numbers; null for null. */
    String asString();

    /** Strings of every kind: simple, error, bulk, blob error, verbatim (bytes include "txt:"), big number. */
    record Text(RespType type, byte[] bytes, Aggregate attributes) implements Reply {
        public Text {
            Objects.requireNonNull(type);
            Objects.requireNonNull(bytes);
        }

        public Text(RespType type, byte[] bytes) {
            this(type, bytes, null);
        }

        @Override public String asString() {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        @Override public boolean equals(Object o) {
            return o instanceof Text t && t.type == type && java.util.Arrays.equals(t.bytes, bytes)
                    && Objects.equals(t.attributes, attributes);
        }

        @Override public int hashCode() {
            return type.hashCode() * 31 + java.util.Arrays.hashCode(bytes);
        }

        @Override public String toString() { return CanonicalForm.of(this); }
    }

    record Int(long value, Aggregate attributes) implements Reply {
        public Int(long value) {
            this(value, null);
        }

        @Override public RespType type() { return RespType.INTEGER; }

        @Override public String asString() { return Long.toString(value); }

        @Override public String toString() { return CanonicalForm.of(this); }
    }

    record Dbl(double value, Aggregate attributes) implements Reply {
        public Dbl(double value) {
            this(value, null);
        }

        @Override public RespType type() { return RespType.DOUBLE; }

        @Override public String asString() { return Double.toString(value); }

        @Override public String toString() { return CanonicalForm.of(this); }

        @Override public boolean equals(Object o) {
            return o instanceof Dbl d && Double.compare(d.value, value) == 0 && Objects.equals(d.attributes, attributes);
        }

        @Override public int hashCode() { return Double.hashCode(value); }
    }

    record Bool(boolean value, Aggregate attributes) implements Reply {
        public Bool(boolean value) {
            this(value, null);
        }

        @Override public RespType type() { return RespType.BOOLEAN; }

        @Override public String asString() { return Boolean.toString(value); }

        @Override public String toString() { return CanonicalForm.of(this); }
    }

    /** {@code $-1}, {@code *-1} and {@code _}. */
    record Null(Aggregate attributes) implements Reply {
        public static final Null INSTANCE = new Null(null);

        @Override public RespType type() { return RespType.NULL; }

        @Override public String asString() { return null; }

        @Override public String toString() { return CanonicalForm.of(this); }
    }

    /**
     * ARRAY, SET, PUSH, MAP and ATTRIBUTE. A map's (and attribute's) elements alternate key, value, so
     * {@code elements().size()} is twice its pair count.
     */
    record Aggregate(RespType type, List<Reply> elements, Aggregate attributes) implements Reply {
        public Aggregate {
            Objects.requireNonNull(type);
            elements = List.copyOf(elements);
        }

        public Aggregate(RespType type, List<Reply> elements) {
            this(type, elements, null);
        }

        @Override public String asString() { return elements.toString(); }

        @Override public String toString() { return CanonicalForm.of(this); }

        public int size() { return elements.size(); }

        public Reply get(int i) { return elements.get(i); }
    }
}
