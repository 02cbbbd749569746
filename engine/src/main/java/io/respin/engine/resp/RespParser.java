package io.respin.engine.resp;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import io.respin.RedisProtocolException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Incremental, allocation-free RESP2/RESP3 parser: bytes in, {@link RespHandler} tokens out (the hiredis
 * {@code redisReaderFeed}/{@code GetReply} shape, without owning any buffer).
 *
 * <pre>
 *   caller's buffer:  [ consumed ... | offset ........................ offset+length | free ]
 *                                     \__ parse() consumes whole tokens __/\_ partial token stays _/
 * </pre>
 * {@code parse} delivers every token that is complete in the input and returns how many bytes it consumed; the
 * caller keeps the unconsumed tail (compacting or not, as it likes) and presents it again, followed by new bytes,
 * on the next call. What was consumed is never scanned again, and the next call does not rescan a partial line
 * either (its progress is remembered). A bulk string longer than {@link #chunkThreshold(long)} is delivered in
 * pieces as its bytes arrive, so a reply larger than the caller's buffer still passes through; otherwise the
 * parser waits until the whole payload is present ({@link #bytesNeeded()} says how much that is) and hands it
 * over as one slice.
 *
 * <p>A protocol error (bad type byte, bad length or number, missing CRLF, a {@link RespLimits limit} exceeded)
 * makes {@code parse} return {@link #FAILED}; the error is sticky — every later call returns {@code FAILED}
 * again — until {@link #reset()}. Its {@link RedisProtocolException#offset() offset} counts bytes from the start
 * of the stream (the last reset), not from the current buffer.
 *
 * <p>Grammar decisions that RESP leaves open (see {@code resp-decode.md}): lines end only at CRLF; lengths are
 * digits, {@code -1} only for {@code $} and {@code *}, {@code ?} only for {@code $ * ~ %}; integers accept a
 * leading {@code +} and must fit in 64 bits; big numbers are {@code [+-]digits} as the RESP3 spec allows, and a
 * {@code +} is left out of the slice handed over, so a big number's text is always {@code [-]digits}; doubles follow the RESP3 grammar strictly; an attribute must be followed by
 * the value it annotates.
 *
 * <p>What the grammar and the limits refuse is decided by {@code HeaderRules}, the progress through a line by
 * {@code LineScanner}; this class is the state machine that moves between them and delivers the tokens.
 *
 * <p>Not thread-safe, not reentrant (a handler must not call {@code parse}); a handler that throws leaves the
 * parser in an unspecified state, so {@link #reset()} it.
 *
 * <pre>{@code
 * RespParser parser = new RespParser(RespLimits.DEFAULT);
 * long used = parser.parse(segment, start, end - start, handler);
 * if (used == RespParser.FAILED) throw parser.error();
 * start += used;
 * }</pre>
 */
public final class RespParser {

    /** Returned by {@code parse} when the input is not valid RESP; see {@link #error()}. */
    public static final long FAILED = -1;

    static final long NEED_MORE = -2;

    /** What the parser expects at the token start (the first unconsumed byte). */
    enum State {
        /** The marker byte of a value (or the {@code .} that ends a streamed aggregate). */
        VALUE,
        /** The rest of a line whose marker was seen; {@link LineScanner} holds the progress. */
        LINE,
        /** A bulk payload, delivered whole: payload and CRLF must be present together. */
        BULK_WHOLE,
        /** A bulk payload (or a streamed string's chunk) delivered in pieces as it arrives. */
        BULK_PIECES,
        /** The CRLF after a payload delivered in pieces. */
        PAYLOAD_CRLF,
        /** The next {@code ;len} chunk header of a streamed {@code $?} string. */
        CHUNK_HEADER,
    }

    final RespLimits limits;
    private final ParseStack stack;
    final LineScanner line = new LineScanner();

    State state = State.VALUE;
    private int lineMarker;
    private long chunkThreshold = Long.MAX_VALUE;
    private final BulkStrings strings = new BulkStrings(this);
    boolean attributePending;
    private long position;
    /** A top-level value ended in the step being run: its onReplyEnd waits until the step's end is known. */
    private boolean valueEnded;
    /** Stream position where the last top-level value ended (the next one starts there). */
    private long valueStart;
    /** The bytes of the last top-level value, attributes before it included (see {@link #valueBytes()}). */
    private long valueBytes;
    private long needed = 1;
    private RedisProtocolException error;

    // valid during one parse call only
    MemorySegment in;
    long end;
    private long streamBase;
    RespHandler handler;

    // adapters' segments, created once per buffer / array instance
    private ByteBuffer lastBuffer;
    private MemorySegment lastBufferSegment;
    private byte[] lastArray;
    private MemorySegment lastArraySegment;

    public RespParser() {
        this(RespLimits.DEFAULT);
    }

    public RespParser(RespLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.stack = new ParseStack(limits.maxDepth());
    }

    /**
     * Parses {@code in[offset, offset + length)} and returns the number of bytes consumed, or {@link #FAILED}.
     */
    public long parse(MemorySegment in, long offset, long length, RespHandler handler) {
        if (error != null) {
            return FAILED;
        }
        Objects.checkFromIndexSize(offset, length, in.byteSize());
        Objects.requireNonNull(handler, "handler");
        this.in = in;
        this.end = offset + length;
        this.handler = handler;
        this.streamBase = position - offset;
        long p = offset;
        try {
            for (long next = step(p); next >= 0; next = step(p)) {
                p = next;
                if (valueEnded) {
                    replyEnd(streamBase + p);
                }
            }
            if (valueEnded) {
                replyEnd(streamBase + p); // not expected: a step that ends a value returns where it ended
            }
        } finally {
            this.in = null;
            this.handler = null;
            position = streamBase + p;
        }
        return error != null ? FAILED : p - offset;
    }

    /**
     * Parses the buffer's remaining bytes (heap or direct) and advances its position by the bytes consumed.
     * Returns the bytes consumed or {@link #FAILED}. Allocates only the first time it sees a buffer instance.
     */
    public long parse(ByteBuffer buffer, RespHandler handler) {
        if (buffer != lastBuffer) {
            lastBufferSegment = MemorySegment.ofBuffer(buffer.duplicate().clear());
            lastBuffer = buffer;
        }
        long used = parse(lastBufferSegment, buffer.position(), buffer.remaining(), handler);
        if (used > 0) {
            buffer.position(buffer.position() + (int) used);
        }
        return used;
    }

    /** Parses {@code bytes[offset, offset + length)}; allocates only the first time it sees an array instance. */
    public long parse(byte[] bytes, int offset, int length, RespHandler handler) {
        if (bytes != lastArray) {
            lastArraySegment = MemorySegment.ofArray(bytes);
            lastArray = bytes;
        }
        return parse(lastArraySegment, offset, length, handler);
    }

    /** The sticky error, or null while the input has been valid. */
    public RedisProtocolException error() {
        return error;
    }

    public RespLimits limits() {
        return limits;
    }

    /**
     * Bulk, verbatim and blob-error strings longer than this many bytes are delivered through
     * {@link RespHandler#onStringStart}/{@code onStringChunk}/{@code onStringEnd} as their bytes arrive; shorter
     * ones as one {@link RespHandler#onString} slice once complete. Default {@link Long#MAX_VALUE}: always whole.
     * Takes effect at the next string header.
     */
    public RespParser chunkThreshold(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("chunk threshold must be >= 0: " + bytes);
        }
        this.chunkThreshold = bytes;
        return this;
    }

    public long chunkThreshold() {
        return chunkThreshold;
    }

    /**
     * During a handler call: the depth of the token being delivered (0 = a top-level value, 1 = an element of a
     * top-level aggregate, ...). An aggregate's start and end are at the aggregate's own depth. Between calls: the
     * number of aggregates open.
     */
    public int depth() {
        return stack.depth();
    }

    /** True when the bytes consumed so far end exactly after a complete top-level reply (or nothing). */
    public boolean atReplyBoundary() {
        return error == null && state == State.VALUE && stack.depth() == 0 && !attributePending;
    }

    /**
     * During {@link RespHandler#onReplyEnd()} (and what it calls): the bytes of the top-level value that just ended,
     * from its first byte (or the first byte of attributes before it) to its last CRLF — what it took on the wire.
     * Counted without a look at the bytes: the stream positions where one value ended and the next did.
     */
    public long valueBytes() {
        return valueBytes;
    }

    /** A top-level value ended at stream position {@code at} (the step that ended it returned): tell the handler. */
    private void replyEnd(long at) {
        valueEnded = false;
        valueBytes = at - valueStart;
        valueStart = at;
        handler.onReplyEnd();
    }

    /** Bytes consumed since construction or the last {@link #reset()}. */
    public long position() {
        return position;
    }

    /**
     * After {@code parse} stopped short of the input's end: how many unconsumed bytes (counted from the first
     * unconsumed one) must be present before the pending token can complete — for a bulk delivered whole its
     * whole payload plus CRLF. A transport whose buffer is smaller than this must grow it (or lower the
     * {@link #chunkThreshold(long)}). It is a lower bound for a line, whose length is unknown until its CRLF.
     *
     * <p>The number comes from the server: a broken or hostile one can announce 512 MiB (up to
     * {@link RespLimits#maxBulk()}) and send nothing. Grow with the bytes that actually arrive (doubling), not to
     * this number at once — or set the chunk threshold to the buffer's size, so that no string ever needs more.
     */
    public long bytesNeeded() {
        return needed;
    }

    /** Forgets all state, including a sticky error: the next byte is the start of a new stream. */
    public void reset() {
        state = State.VALUE;
        stack.clear();
        error = null;
        position = 0;
        valueEnded = false;
        valueStart = 0;
        valueBytes = 0;
        needed = 1;
        attributePending = false;
        strings.reset();
        lastBuffer = null;
        lastBufferSegment = null;
        lastArray = null;
        lastArraySegment = null;
    }

    // ---------------------------------------------------------------- the state machine

    /** Consumes one token at {@code p}; returns the next token start, {@link #NEED_MORE} or {@link #FAILED}. */
    private long step(long p) {
        return switch (state) {
            case VALUE -> value(p);
            case LINE -> line(p);
            case BULK_WHOLE -> strings.whole(p);
            case BULK_PIECES -> strings.pieces(p);
            case PAYLOAD_CRLF -> strings.payloadCrlf(p);
            case CHUNK_HEADER -> strings.chunkHeader(p);
        };
    }

    private long value(long p) {
        if (p >= end) {
            return needMore(1);
        }
        int marker = in.get(JAVA_BYTE, p) & 0xFF;
        LineScanner.Kind kind = HeaderRules.kindOf(marker);
        if (kind == null) {
            return fail(p, ParseErrors.unexpectedMarker(marker));
        }
        String misplaced = marker == '.' ? HeaderRules.streamEndError(stack, attributePending)
                : HeaderRules.streamedElementError(stack, limits);
        if (misplaced != null) {
            return fail(p, misplaced);
        }
        long next = kind == LineScanner.Kind.TEXT ? wholeText(p, marker)
                : marker == ':' || marker == '$' || marker == '*' ? wholeNumber(p, marker) : NOT_WHOLE;
        return next != NOT_WHOLE ? next : startLine(p, marker, kind);
    }

    private static final long NOT_WHOLE = -3;

    /**
     * Fast path for the most common lines when they are already complete and plainly valid: the whole line is
     * taken in one go. Anything else (incomplete, a sign or '?' or -1, too many digits, any invalid byte) returns
     * {@link #NOT_WHOLE} with nothing changed, and the general, resumable {@link LineScanner} path judges the
     * line from its first byte — so errors, offsets and split inputs behave exactly as without this path.
     */
    private long wholeText(long p, int marker) {
        long cr = LineScanner.skipText(in, p + 1, end);
        if (cr + 1 >= end || in.get(JAVA_BYTE, cr) != '\r' || in.get(JAVA_BYTE, cr + 1) != '\n') {
            return NOT_WHOLE;
        }
        string(marker == '+' ? RespType.SIMPLE_STRING : RespType.SIMPLE_ERROR, p + 1, cr);
        return cr + 2;
    }

    /** {@link #wholeText} for {@code :n}, {@code $n} and {@code *n} with 1 to 18 plain digits (no overflow). */
    private long wholeNumber(long p, int marker) {
        long i = p + 1;
        long value = 0;
        for (long stop = Math.min(end, p + 19); i < stop; i++) {
            int d = in.get(JAVA_BYTE, i) - '0';
            if (d < 0 || d > 9) {
                break;
            }
            value = value * 10 + d;
        }
        if (i == p + 1 || i + 1 >= end || in.get(JAVA_BYTE, i) != '\r' || in.get(JAVA_BYTE, i + 1) != '\n') {
            return NOT_WHOLE;
        }
        line.value = value;
        boolean ok = switch (marker) {
            case ':' -> integer();
            case '$' -> strings.header(RespType.BULK_STRING, p);
            default -> aggregateHeader(RespType.ARRAY, p);
        };
        if (!ok) {
            return FAILED;
        }
        if (state == State.BULK_WHOLE) {
            long after = strings.whole(i + 2); // the payload usually came with its header
            return after == NEED_MORE ? i + 2 : after;
        }
        return i + 2;
    }

    long startLine(long p, int marker, LineScanner.Kind kind) {
        line.begin(kind);
        lineMarker = marker;
        state = State.LINE;
        return line(p);
    }

    private long line(long p) {
        long cr = line.scan(in, p, end);
        if (cr == LineScanner.NEED_MORE) {
            return needMore(line.scanned() + 3);
        }
        if (cr == LineScanner.INVALID) {
            return fail(line.errorAt, line.reason);
        }
        state = State.VALUE;
        long from = p + 1;
        boolean ok = switch (lineMarker) {
            case '+' -> string(RespType.SIMPLE_STRING, from, cr);
            case '-' -> string(RespType.SIMPLE_ERROR, from, cr);
            case '(' -> string(RespType.BIG_NUMBER, in.get(JAVA_BYTE, from) == '+' ? from + 1 : from, cr);
            case ':' -> integer();
            case ',' -> dbl(from, cr);
            case '#' -> bool(from);
            case '_' -> nul();
            case '.' -> streamEnd();
            case ';' -> strings.chunk(p);
            case '$', '=', '!' -> strings.header(RespType.ofMarker(lineMarker), p);
            default -> aggregateHeader(RespType.ofMarker(lineMarker), p);
        };
        return ok ? cr + 2 : FAILED;
    }

    private boolean string(RespType type, long from, long to) {
        attributePending = false;
        handler.onString(type, in, from, to - from);
        valueDone();
        return true;
    }

    private boolean integer() {
        attributePending = false;
        handler.onInteger(line.value);
        valueDone();
        return true;
    }

    private boolean dbl(long from, long to) {
        attributePending = false;
        handler.onDouble(RespDouble.parse(in, from, to));
        valueDone();
        return true;
    }

    private boolean bool(long from) {
        attributePending = false;
        handler.onBoolean(in.get(JAVA_BYTE, from) == 't');
        valueDone();
        return true;
    }

    boolean nul() {
        attributePending = false;
        handler.onNull();
        valueDone();
        return true;
    }

    // ---------------------------------------------------------------- aggregates

    private boolean aggregateHeader(RespType type, long p) {
        long count = line.value;
        HeaderRules.Refusal refused = HeaderRules.aggregate(type, count, stack.depth(), limits);
        if (refused != null) {
            return failed(p + refused.shift(), refused.reason());
        }
        if (count == -1) {
            return nul();
        }
        boolean streamed = count == LineScanner.STREAMED;
        boolean pairs = type == RespType.MAP || type == RespType.ATTRIBUTE;
        attributePending = false;
        handler.onAggregateStart(type, streamed ? -1 : count);
        if (streamed) {
            stack.push(type, 0, true);
        } else if (count == 0) {
            aggregateEnd(type);
        } else {
            stack.push(type, pairs ? 2 * count : count, false);
        }
        return true;
    }

    private boolean streamEnd() {
        aggregateEnd(stack.pop());
        return true;
    }

    private void aggregateEnd(RespType type) {
        handler.onAggregateEnd(type);
        if (type == RespType.ATTRIBUTE) {
            attributePending = true; // annotates the next value; it is no element of its own
        } else {
            valueDone();
        }
    }

    /** A value just completed: count it in its aggregate, closing every aggregate it completes. */
    void valueDone() {
        while (true) {
            if (stack.depth() == 0) {
                valueEnded = true; // onReplyEnd once the step returns: then the value's last byte is known
                return;
            }
            if (!stack.element()) {
                return;
            }
            RespType type = stack.pop();
            handler.onAggregateEnd(type);
            if (type == RespType.ATTRIBUTE) {
                attributePending = true;
                return;
            }
        }
    }

    // ---------------------------------------------------------------- outcomes

    long needMore(long bytes) {
        needed = bytes;
        return NEED_MORE;
    }

    long fail(long at, String reason) {
        long offset = streamBase + at;
        error = new RedisProtocolException(reason + " at offset " + offset, offset);
        return FAILED;
    }

    boolean failed(long at, String reason) {
        fail(at, reason);
        return false;
    }
}
