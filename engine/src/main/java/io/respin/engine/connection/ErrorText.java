package io.respin.engine.connection;

import io.respin.engine.resp.RespHandler;
import io.respin.engine.resp.RespType;
import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/**
 * Collects the text of an error reply, whole or in chunks, so it can become a
 * {@link io.respin.RedisServerException}. Cold path: errors allocate their message anyway.
 *
 * <pre>{@code
 * ErrorText e = new ErrorText();
 * e.onString(RespType.SIMPLE_ERROR, seg, off, len);
 * String message = e.text();
 * }</pre>
 */
final class ErrorText extends RespHandler.Adapter {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    void clear() {
        bytes.reset();
    }

    String text() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Override public void onString(RespType type, MemorySegment data, long offset, long length) {
        bytes.writeBytes(data.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE));
    }

    @Override public void onStringChunk(MemorySegment data, long offset, long length) {
        bytes.writeBytes(data.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE));
    }
}
