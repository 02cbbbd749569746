package io.respin.engine.resp;

import io.respin.RedisProtocolException;
import java.lang.foreign.MemorySegment;

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
 * on the next call. What was consumed is never scanned again. A bulk string longer than
 * {@link #chunkThreshold(long)} is delivered in pieces as its bytes arrive, so a reply larger than the caller's
 * buffer still passes through.
 *
 * <p>A protocol error (bad type byte, bad length or number, missing CRLF, a {@link RespLimits limit} exceeded)
 * makes {@code parse} return {@link #FAILED}; the error is sticky — every later call returns {@code FAILED}
 * again — until {@link #reset()}.
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

    public RespParser() {
        this(RespLimits.DEFAULT);
    }

    public RespParser(RespLimits limits) {
        throw new UnsupportedOperationException("not built yet");
    }

    /**
     * Parses {@code in[offset, offset + length)} and returns the number of bytes consumed, or {@link #FAILED}.
     */
    public long parse(MemorySegment in, long offset, long length, RespHandler handler) {
        throw new UnsupportedOperationException("not built yet");
    }

    /** The sticky error, or null while the input has been valid. */
    public RedisProtocolException error() {
        throw new UnsupportedOperationException("not built yet");
    }
}
