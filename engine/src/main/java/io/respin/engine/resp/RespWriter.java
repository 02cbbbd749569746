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
}
