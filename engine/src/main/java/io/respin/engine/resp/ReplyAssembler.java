package io.respin.engine.resp;

/**
 * Builds {@link Reply} trees from parser tokens.
 *
 * <pre>{@code
 * ReplyAssembler a = new ReplyAssembler();
 * parser.parse(seg, 0, n, a);
 * Reply r = a.poll();
 * }</pre>
 */
public final class ReplyAssembler extends RespHandler.Adapter {
    /** The oldest completed top-level reply not yet taken, or null. */
    public Reply poll() {
        throw new UnsupportedOperationException("not built yet");
    }
}
