package io.respin.engine.command;

import io.respin.RedisException;
import io.respin.RedisProtocolException;
import io.respin.engine.resp.RespHandler;
import io.respin.engine.resp.RespType;
import java.lang.foreign.MemorySegment;

/**
 * The {@link RespHandler} a command gives the connection: it feeds one top-level reply's tokens to the command's
 * {@link Decoder} and keeps the result. Attributes (RESP3 {@code |}) are skipped; a string the parser delivers in
 * pieces is gathered (into a buffer the reader reuses) unless the decoder is a {@link ChunkSink} that takes the
 * pieces itself.
 *
 * <pre>{@code
 * ReplyReader<Long> r = new ReplyReader<>("INCR", Decoders.integer());
 * parser.parse(seg, 0, n, r);
 * long v = r.result();   // throws the decoding failure, if any
 * }</pre>
 *
 * <p>{@link Command} is itself the reader of its reply (one object per command instead of two), which is why
 * this class is not final.
 *
 * @param <T> the command's Java value
 */
public class ReplyReader<T> implements RespHandler {
    private String command;
    private Decoder<T> decoder;
    /** Open attribute aggregates (and aggregates inside them) whose tokens are skipped. */
    private int inAttribute;
    private byte[] gathered;
    private int gatheredLength;
    private RespType gatheredType;
    private boolean done;
    private T value;
    private RedisException failure;
    /** A decoder or codec threw during this reply: its remaining tokens are ignored, the command fails. */
    private RuntimeException thrown;

    public ReplyReader(String command, Decoder<T> decoder) {
        this.command = command;
        this.decoder = decoder;
    }

    /**
     * Makes this reader new again, for another command and decoder: what a {@link CommandScratch} does between two
     * commands. A gathering buffer that grew past 64 KiB is let go.
     */
    final void rearm(String command, Decoder<T> decoder) {
        this.command = command;
        this.decoder = decoder;
        inAttribute = 0;
        if (gathered != null && gathered.length > 1 << 16) {
            gathered = null;
        }
        gatheredLength = 0;
        gatheredType = null;
        done = false;
        value = null;
        failure = null;
        thrown = null;
    }

    /**
     * The decoder this reader feeds: for a caller that decodes the same reply again from stored tokens (a client-side
     * cache). A decoder is ready for its next value after {@link Decoder#take()}; one thread at a time.
     */
    public final Decoder<T> decoder() {
        return decoder;
    }

    /**
     * For transports that may decode the reply on another thread than the submitter's (ringbuffer-io's IO thread):
     * refuses, before anything is sent, a command whose decoder writes into a thread-confined segment.
     *
     * @throws IllegalArgumentException the reply would be decoded into a confined arena's segment
     */
    public final void requireDecodableOnAnyThread() {
        if (decoder.writesThreadConfinedMemory()) {
            throw new IllegalArgumentException(command + ": the destination segment belongs to a confined arena, "
                    + "which only its owner thread may write, and the reply may be read on the IO thread; allocate "
                    + "it from a shared, global or auto arena");
        }
    }

    /** True once a whole reply has been read. */
    public boolean isDone() {
        return done;
    }

    /**
     * The decoded value of the reply.
     *
     * @throws RedisException when the reply did not fit the command (naming the command), or held an error
     */
    public T result() {
        if (!done) {
            throw new IllegalStateException(command + ": no reply has been read yet");
        }
        if (failure != null) {
            throw failure;
        }
        return value;
    }

    /** The failure, or null: for transports that complete a future instead of throwing. */
    public RedisException failure() {
        return failure;
    }

    @Override public void onString(RespType type, MemorySegment data, long offset, long length) {
        if (inAttribute == 0 && thrown == null) {
            try {
                decoder.onString(type, data, offset, length);
            } catch (RuntimeException e) {
                thrown = e;
            }
        }
    }

    @Override public void onStringStart(RespType type, long totalLength) {
        if (inAttribute > 0) {
            return;
        }
        if (decoder instanceof ChunkSink sink && !type.isError()) {
            sink.chunkStart(totalLength);
            gatheredType = null;
            return;
        }
        gatheredType = type;
        gatheredLength = 0;
        if (gathered == null) {
            gathered = new byte[(int) Math.min(Math.max(totalLength, 64), 1 << 16)];
        }
    }

    @Override public void onStringChunk(MemorySegment data, long offset, long length) {
        if (inAttribute > 0 || thrown != null) {
            return;
        }
        if (gatheredType == null) {
            try {
                ((ChunkSink) decoder).chunk(data, offset, length);
            } catch (RuntimeException e) {
                thrown = e;
            }
            return;
        }
        int need = Math.addExact(gatheredLength, Math.toIntExact(length));
        if (need > gathered.length) {
            gathered = java.util.Arrays.copyOf(gathered, Math.max(need, gathered.length * 2));
        }
        MemorySegment.copy(data, java.lang.foreign.ValueLayout.JAVA_BYTE, offset, gathered, gatheredLength, (int) length);
        gatheredLength = need;
    }

    @Override public void onStringEnd() {
        if (inAttribute > 0 || thrown != null) {
            return;
        }
        try {
            if (gatheredType == null) {
                ((ChunkSink) decoder).chunkEnd();
            } else {
                decoder.onString(gatheredType, MemorySegment.ofArray(gathered), 0, gatheredLength);
            }
        } catch (RuntimeException e) {
            thrown = e;
        }
    }

    @Override public void onInteger(long v) {
        if (inAttribute == 0 && thrown == null) {
            try {
                decoder.onInteger(v);
            } catch (RuntimeException e) {
                thrown = e;
            }
        }
    }

    @Override public void onDouble(double v) {
        if (inAttribute == 0 && thrown == null) {
            try {
                decoder.onDouble(v);
            } catch (RuntimeException e) {
                thrown = e;
            }
        }
    }

    @Override public void onBoolean(boolean v) {
        if (inAttribute == 0 && thrown == null) {
            try {
                decoder.onBoolean(v);
            } catch (RuntimeException e) {
                thrown = e;
            }
        }
    }

    @Override public void onNull() {
        if (inAttribute == 0 && thrown == null) {
            try {
                decoder.onNull();
            } catch (RuntimeException e) {
                thrown = e;
            }
        }
    }

    @Override public void onAggregateStart(RespType type, long count) {
        if (inAttribute > 0 || type == RespType.ATTRIBUTE) {
            inAttribute++;
            return;
        }
        if (thrown == null) {
            try {
                decoder.onStart(type, count);
            } catch (RuntimeException e) {
                thrown = e;
            }
        }
    }

    @Override public void onAggregateEnd(RespType type) {
        if (inAttribute > 0) {
            inAttribute--;
            return;
        }
        if (thrown == null) {
            try {
                decoder.onEnd(type);
            } catch (RuntimeException e) {
                thrown = e;
            }
        }
    }

    @Override public void onReplyEnd() {
        RedisException f = decoder.failure();
        value = decoder.take();
        if (thrown != null) {
            // the connection stays usable: the rest of the reply was read, only this command fails
            f = new RedisException(command + ": decoding the reply failed: " + thrown
                    + " (a codec that threw, or a destination segment the IO thread may not write to)", thrown);
            value = null;
            thrown = null;
        }
        if (f instanceof RedisProtocolException p) {
            f = new RedisProtocolException(command + ": " + p.getMessage(), p.offset());
        }
        failure = f;
        done = true;
    }

    /** A decoder that takes a long string's pieces as they come, instead of having them gathered first. */
    public interface ChunkSink {
        void chunkStart(long totalLength);

        void chunk(MemorySegment data, long offset, long length);

        void chunkEnd();
    }
}
