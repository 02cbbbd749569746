package io.respin.engine.resp;

/**
 * The parser's error messages (cold path). A limit message names the limit, its value and the two ways to raise
 * it, so the person reading a log knows what to change.
 */
final class ParseErrors {
    private ParseErrors() {
    }

    static String unexpectedMarker(int marker) {
        return switch (marker) {
            case '\r' -> "empty line where a reply should start";
            case '\n' -> "line feed where a reply should start";
            case ';' -> "';' chunk outside a streamed $? string";
            default -> "unknown type byte " + LineScanner.show(marker) + " where a reply should start";
        };
    }

    static String name(RespType type) {
        if (type == null) {
            return "streamed chunk";
        }
        return switch (type) {
            case BULK_STRING -> "bulk";
            case VERBATIM_STRING -> "verbatim string";
            case BLOB_ERROR -> "blob error";
            case SIMPLE_STRING -> "simple string";
            case SIMPLE_ERROR -> "simple error";
            case BIG_NUMBER -> "big number";
            default -> type.name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    /** {@code type} null for a chunk of a streamed string. */
    static String bulkLimit(RespType type, long length, long max) {
        return name(type) + " length " + length + " exceeds maxBulk " + max
                + " (RespLimits.withMaxBulk / --max-bulk)";
    }

    static String elementLimit(RespType type, long count, long max) {
        boolean pairs = type == RespType.MAP || type == RespType.ATTRIBUTE;
        return name(type) + " of " + count + (pairs ? " pairs" : " elements") + " exceeds maxElements " + max
                + " (RespLimits.withMaxElements / --max-elements)";
    }

    static String streamedElementLimit(RespType type, long max) {
        boolean pairs = type == RespType.MAP;
        return "streamed " + name(type) + " of more than " + max + (pairs ? " pairs" : " elements")
                + " exceeds maxElements " + max + " (RespLimits.withMaxElements / --max-elements)";
    }

    static String depthLimit(int depth, int max) {
        return "nesting depth " + depth + " exceeds maxDepth " + max + " (RespLimits.withMaxDepth / --max-depth)";
    }

    static String noPayloadCrlf(RespType type, long length) {
        return name(type) + " payload is not followed by CRLF after its declared " + length
                + " bytes (the payload is longer or shorter than declared)";
    }
}
