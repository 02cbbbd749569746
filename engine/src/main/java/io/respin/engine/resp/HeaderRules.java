package io.respin.engine.resp;

/**
 * What the grammar and the {@link RespLimits} allow at a token start, separated from the {@link RespParser}'s
 * state machine, which only moves: the kind of line each marker byte opens, and the headers, stream ends and
 * streamed elements that are refused, with the reason (see {@code resp-decode.md}). Limits are checked as soon
 * as a header is read, so a refused length allocates and waits for nothing. Cold on refusal, free otherwise.
 */
final class HeaderRules {

    /** A refused header: the reason, and where the offending byte is relative to the marker (0 or 1). */
    record Refusal(int shift, String reason) {
    }

    private HeaderRules() {
    }

    /** The line a marker byte opens, or null for a byte that starts no value. */
    static LineScanner.Kind kindOf(int marker) {
        return switch (marker) {
            case '+', '-' -> LineScanner.Kind.TEXT;
            case ':' -> LineScanner.Kind.INTEGER;
            case '$', '=', '!', '*', '~', '>', '%', '|' -> LineScanner.Kind.LENGTH;
            case '(' -> LineScanner.Kind.BIG;
            case ',' -> LineScanner.Kind.DOUBLE;
            case '#' -> LineScanner.Kind.BOOLEAN;
            case '_', '.' -> LineScanner.Kind.EMPTY;
            default -> null;
        };
    }

    /** A {@code $ = !} header of {@code length} ({@link LineScanner#STREAMED} for {@code ?}): refused, or null. */
    static Refusal bulk(RespType type, long length, RespLimits limits) {
        if (length == LineScanner.STREAMED) {
            return type == RespType.BULK_STRING ? null : new Refusal(1,
                    "a streamed length '?' is only allowed for $ strings, not " + ParseErrors.name(type));
        }
        if (length == -1) {
            return type == RespType.BULK_STRING ? null : new Refusal(1,
                    "length -1 (null) is only allowed for $ and *, not " + ParseErrors.name(type));
        }
        if (length > limits.maxBulk()) {
            return new Refusal(0, ParseErrors.bulkLimit(type, length, limits.maxBulk()));
        }
        if (type == RespType.VERBATIM_STRING && length < 4) {
            return new Refusal(0, "verbatim string length " + length
                    + " is shorter than its 4-byte format prefix (like txt:)");
        }
        return null;
    }

    /** An aggregate header of {@code count} opening at nesting {@code depth}: refused, or null. */
    static Refusal aggregate(RespType type, long count, int depth, RespLimits limits) {
        boolean streamed = count == LineScanner.STREAMED;
        if (streamed && type != RespType.ARRAY && type != RespType.SET && type != RespType.MAP) {
            return new Refusal(1, "a streamed count '?' is only allowed for *, ~ and %, not " + ParseErrors.name(type));
        }
        if (count == -1) {
            return type == RespType.ARRAY ? null : new Refusal(1,
                    "count -1 (null) is only allowed for $ and *, not " + ParseErrors.name(type));
        }
        if (count > limits.maxElements()) {
            return new Refusal(0, ParseErrors.elementLimit(type, count, limits.maxElements()));
        }
        if (depth >= limits.maxDepth()) {
            return new Refusal(0, ParseErrors.depthLimit(depth + 1, limits.maxDepth()));
        }
        boolean pairs = type == RespType.MAP || type == RespType.ATTRIBUTE;
        if (pairs && count > Long.MAX_VALUE / 2) {
            return new Refusal(1, ParseErrors.name(type) + " pair count " + count + " is too large");
        }
        return null;
    }

    /** Why a '.' cannot end a streamed aggregate here, or null when it can. */
    static String streamEndError(ParseStack stack, boolean attributePending) {
        if (stack.depth() == 0 || !stack.topStreamed()) {
            return "'.' (end of a streamed aggregate) outside a streamed aggregate";
        }
        if (attributePending) {
            return "'.' right after an attribute: an attribute must be followed by the value it annotates";
        }
        if (stack.top() == RespType.MAP && (stack.topSeen() & 1) == 1) {
            return "'.' ends a streamed map after a key without its value";
        }
        return null;
    }

    /**
     * A streamed aggregate declares no count, so its elements are counted as they start: one more than
     * maxElements (pairs for a map) is refused like a declared count would be. Null when within the limit.
     */
    static String streamedElementError(ParseStack stack, RespLimits limits) {
        if (stack.depth() == 0 || !stack.topStreamed()) {
            return null;
        }
        RespType type = stack.top();
        long started = type == RespType.MAP ? stack.topSeen() / 2 : stack.topSeen();
        if (started < limits.maxElements() || type == RespType.MAP && (stack.topSeen() & 1) == 1) {
            return null;
        }
        return ParseErrors.streamedElementLimit(type, limits.maxElements());
    }
}
