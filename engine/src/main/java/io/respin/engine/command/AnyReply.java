package io.respin.engine.command;

import io.respin.engine.resp.Reply;
import io.respin.engine.resp.ReplyAssembler;
import io.respin.engine.resp.RespType;
import java.lang.foreign.MemorySegment;

/**
 * Any value as a generic {@link Reply} tree, built by the engine's {@link ReplyAssembler}: for
 * {@code execute(...)}, EXEC's results and pushes. Error replies inside it stay values.
 */
final class AnyReply extends Decoder<Reply> {
    private final ReplyAssembler assembler = new ReplyAssembler();
    private int depth;
    private Reply value;

    @Override protected String expects() { return "any reply"; }

    @Override protected boolean errorsAreValues() { return true; }

    private boolean leaf() {
        if (depth == 0) {
            assembler.onReplyEnd();
            value = assembler.poll();
            return true;
        }
        return false;
    }

    @Override protected boolean string(RespType type, MemorySegment data, long offset, long length) {
        assembler.onString(type, data, offset, length);
        return leaf();
    }

    @Override protected boolean integer(long v) {
        assembler.onInteger(v);
        return leaf();
    }

    @Override protected boolean dbl(double v) {
        assembler.onDouble(v);
        return leaf();
    }

    @Override protected boolean bool(boolean v) {
        assembler.onBoolean(v);
        return leaf();
    }

    @Override protected boolean nul() {
        assembler.onNull();
        return leaf();
    }

    @Override protected boolean start(RespType type, long count) {
        assembler.onAggregateStart(type, count);
        depth++;
        return false;
    }

    @Override protected boolean end(RespType type) {
        assembler.onAggregateEnd(type);
        depth--;
        return leaf();
    }

    @Override protected Reply value() { return value; }

    @Override protected void reset() {
        super.reset();
        value = null;
        depth = 0;
    }
}
