package io.respin.engine.resp;

import java.lang.foreign.MemorySegment;

/**
 * Encodes commands as RESP arrays of bulk strings straight into a caller's segment, allocating nothing. When the
 * space runs out it keeps counting instead of writing, so the caller learns how many bytes the command needs.
 *
 * <pre>{@code
 * RespWriter w = new RespWriter();
 * w.wrap(out, pos, out.byteSize()).array(3).arg("SET").arg(key).arg(value);
 * if (w.overflowed()) grow(w.required()); else pos = w.position();
 * }</pre>
 */
public final class RespWriter {

    public RespWriter wrap(MemorySegment out, long offset, long limit) {
        throw new UnsupportedOperationException("not built yet");
    }

    /** Starts a command of {@code n} arguments. */
    public RespWriter array(int n) {
        throw new UnsupportedOperationException("not built yet");
    }

    public RespWriter arg(String s) {
        throw new UnsupportedOperationException("not built yet");
    }

    public RespWriter arg(byte[] b) {
        throw new UnsupportedOperationException("not built yet");
    }

    public RespWriter arg(long v) {
        throw new UnsupportedOperationException("not built yet");
    }

    public RespWriter arg(double v) {
        throw new UnsupportedOperationException("not built yet");
    }
}
