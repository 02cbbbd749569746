package io.respin.engine.resp;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * {@link RespParser}'s states for length-prefixed strings ({@code $}, {@code =}, {@code !}) and RESP3 streamed strings
 * ({@code $?} with {@code ;n} chunks): the payload delivered whole when it is all in the input and not over the chunk
 * threshold, else in pieces as it arrives; then its CRLF. Part of the parser's state machine: it reads and moves the
 * parser's input, state and handler, and reports through the parser's outcomes.
 */
final class BulkStrings {
    private final RespParser p;
    private RespType type;
    private long left;
    private long length;
    private boolean streamed;

    BulkStrings(RespParser parser) {
        this.p = parser;
    }

    void reset() {
        streamed = false;
        type = null;
    }

    /** A string header's length has been read ({@code line.value}): choose how its payload is delivered. */
    boolean header(RespType type, long at) {
        long length = p.line.value;
        HeaderRules.Refusal refused = HeaderRules.bulk(type, length, p.limits);
        if (refused != null) {
            return p.failed(at + refused.shift(), refused.reason());
        }
        if (length == LineScanner.STREAMED) {
            p.attributePending = false;
            this.type = type;
            this.streamed = true;
            p.handler.onStringStart(type, -1);
            p.state = RespParser.State.CHUNK_HEADER;
            return true;
        }
        if (length == -1) {
            return p.nul();
        }
        p.attributePending = false;
        this.type = type;
        this.streamed = false;
        this.length = length;
        this.left = length;
        if (length > p.chunkThreshold()) {
            p.handler.onStringStart(type, length);
            p.state = RespParser.State.BULK_PIECES;
        } else {
            p.state = RespParser.State.BULK_WHOLE;
        }
        return true;
    }

    /** The whole payload and its CRLF, once they are all in the input. */
    long whole(long at) {
        long available = p.end - at;
        long length = left;
        if (type == RespType.VERBATIM_STRING && available > 3 && !verbatimPrefix(at)) {
            return RespParser.FAILED;
        }
        if (available > length && p.in.get(JAVA_BYTE, at + length) != '\r') {
            return p.fail(at + length, ParseErrors.noPayloadCrlf(type, this.length));
        }
        if (available > length + 1 && p.in.get(JAVA_BYTE, at + length + 1) != '\n') {
            return p.fail(at + length + 1, ParseErrors.noPayloadCrlf(type, this.length));
        }
        if (available < length + 2) {
            return p.needMore(length + 2);
        }
        p.state = RespParser.State.VALUE;
        p.handler.onString(type, p.in, at, length);
        p.valueDone();
        return at + length + 2;
    }

    /** As much of the payload as the input holds, handed over as a chunk. */
    long pieces(long at) {
        long available = p.end - at;
        if (type == RespType.VERBATIM_STRING && left == length) {
            if (available < 4) {
                return p.needMore(4);
            }
            if (!verbatimPrefix(at)) {
                return RespParser.FAILED;
            }
        }
        if (available == 0) {
            return p.needMore(1);
        }
        long n = Math.min(available, left);
        p.handler.onStringChunk(p.in, at, n);
        left -= n;
        if (left == 0) {
            p.state = RespParser.State.PAYLOAD_CRLF;
        }
        return at + n;
    }

    /** The CRLF after a payload delivered in pieces (or after a chunk of a streamed string). */
    long payloadCrlf(long at) {
        long available = p.end - at;
        if (available > 0 && p.in.get(JAVA_BYTE, at) != '\r') {
            return p.fail(at, ParseErrors.noPayloadCrlf(type, length));
        }
        if (available > 1 && p.in.get(JAVA_BYTE, at + 1) != '\n') {
            return p.fail(at + 1, ParseErrors.noPayloadCrlf(type, length));
        }
        if (available < 2) {
            return p.needMore(2);
        }
        if (streamed) {
            p.state = RespParser.State.CHUNK_HEADER;
        } else {
            p.state = RespParser.State.VALUE;
            p.handler.onStringEnd();
            p.valueDone();
        }
        return at + 2;
    }

    /** The next {@code ;n} of a streamed string. */
    long chunkHeader(long at) {
        if (at >= p.end) {
            return p.needMore(1);
        }
        int marker = p.in.get(JAVA_BYTE, at) & 0xFF;
        if (marker != ';') {
            return p.fail(at, "expected a ';' chunk of the streamed $? string, found " + LineScanner.show(marker));
        }
        return p.startLine(at, marker, LineScanner.Kind.LENGTH);
    }

    /** A chunk's length has been read: {@code ;0} ends the string. */
    boolean chunk(long at) {
        long length = p.line.value;
        if (length < 0) {
            return p.failed(at + 1, "a chunk length must be digits, not -1 or ?");
        }
        if (length > p.limits.maxBulk()) {
            return p.failed(at, ParseErrors.bulkLimit(null, length, p.limits.maxBulk()));
        }
        if (length == 0) {
            streamed = false;
            p.handler.onStringEnd();
            p.valueDone();
            return true;
        }
        this.length = length;
        this.left = length;
        p.state = RespParser.State.BULK_PIECES;
        return true;
    }

    private boolean verbatimPrefix(long at) {
        int colon = p.in.get(JAVA_BYTE, at + 3) & 0xFF;
        if (colon != ':') {
            p.failed(at + 3, "verbatim string without its format prefix: expected ':' after 3 bytes, found "
                    + LineScanner.show(colon));
            return false;
        }
        return true;
    }
}
