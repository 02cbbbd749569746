package io.respin.engine.command;

import java.lang.foreign.MemorySegment;

/**
 * Makes a Java value of a string's bytes, which are a slice of the read buffer valid only during the call.
 *
 * <pre>{@code
 * BytesDecoder<UUID> uuid = (data, off, len) -> UUID.fromString(Codec.utf8().decodeValue(data, off, len));
 * }</pre>
 */
@FunctionalInterface
public interface BytesDecoder<T> {
    T decode(MemorySegment data, long offset, long length);
}
