package io.respin.io;

import io.respin.RedisException;
import io.respin.engine.connection.Request;
import java.lang.foreign.MemorySegment;

/**
 * {@link Protocol} over the engine's sans-IO {@code Connection}: the IO thread's only contact with RESP.
 */
final class EngineProtocol implements Protocol {

    static final Protocol.Factory FACTORY = EngineProtocol::new;

    private EngineProtocol(RedisUri uri, ConnectionOptions options, Events events) {
        throw new UnsupportedOperationException("the engine Connection is not merged yet");
    }

    @Override public long startHandshake(MemorySegment out, long offset, long limit) { throw new UnsupportedOperationException(); }

    @Override public long encode(Request r, MemorySegment out, long offset, long limit) { throw new UnsupportedOperationException(); }

    @Override public long receive(MemorySegment in, long offset, long length) { throw new UnsupportedOperationException(); }

    @Override public RedisException error() { throw new UnsupportedOperationException(); }

    @Override public void abandon(Request r) { throw new UnsupportedOperationException(); }

    @Override public void fail(RedisException error) { throw new UnsupportedOperationException(); }
}
