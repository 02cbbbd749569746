/**
 * A connection's off-heap read and write buffers: direct {@code ByteBuffer}s for the socket, seen as
 * {@code MemorySegment}s by the engine, which parses and encodes in place; they grow and shrink back. Not exported.
 */
package io.respin.io.buffer;
