package io.respin.engine.resp;

/**
 * The RESP2/RESP3 types, each with the byte that introduces it on the wire.
 *
 * <pre>{@code
 * RespType t = RespType.ofMarker('%'); // MAP
 * }</pre>
 */
public enum RespType {
    SIMPLE_STRING('+'),
    SIMPLE_ERROR('-'),
    INTEGER(':'),
    BULK_STRING('$'),
    ARRAY('*'),
    NULL('_'),
    DOUBLE(','),
    BOOLEAN('#'),
    BLOB_ERROR('!'),
    VERBATIM_STRING('='),
    BIG_NUMBER('('),
    MAP('%'),
    SET('~'),
    ATTRIBUTE('|'),
    PUSH('>');

    private static final RespType[] BY_MARKER = new RespType[256];

    static {
        for (RespType t : values()) {
            BY_MARKER[t.marker] = t;
        }
    }

    private final byte marker;

    RespType(char marker) {
        this.marker = (byte) marker;
    }

    /** The byte that starts a value of this type. */
    public byte marker() {
        return marker;
    }

    /** The type a marker byte introduces, or null when the byte starts no RESP value. */
    public static RespType ofMarker(int b) {
        return BY_MARKER[b & 0xFF];
    }

    /** True for array, map, set, attribute and push. */
    public boolean isAggregate() {
        return this == ARRAY || this == MAP || this == SET || this == ATTRIBUTE || this == PUSH;
    }

    /** True for the two error types. */
    public boolean isError() {
        return this == SIMPLE_ERROR || this == BLOB_ERROR;
    }
}
