package io.respin.engine.connection;

import io.respin.engine.resp.Reply;
import io.respin.engine.resp.RespHandler;
import io.respin.engine.resp.RespType;
import java.lang.foreign.MemorySegment;

/**
 * Feeds an assembled {@link Reply} back to a {@link RespHandler} as the tokens the parser would have produced
 * (attributes first), without the final {@code onReplyEnd}. Used on cold paths only: a RESP2 subscribed-mode
 * PING reply, attributes that had to be held until the connection knew where their value goes.
 *
 * <pre>{@code
 * ReplyReplay.replay(reply, request.replyHandler());
 * }</pre>
 */
final class ReplyReplay {
    private ReplyReplay() {
    }

    static void replay(Reply reply, RespHandler h) {
        Reply.Aggregate attrs = reply.attributes();
        if (attrs != null) {
            replay(attrs, h);
        }
        switch (reply) {
            case Reply.Text t -> h.onString(t.type(), MemorySegment.ofArray(t.bytes()), 0, t.bytes().length);
            case Reply.Int i -> h.onInteger(i.value());
            case Reply.Dbl d -> h.onDouble(d.value());
            case Reply.Bool b -> h.onBoolean(b.value());
            case Reply.Null n -> h.onNull();
            case Reply.Aggregate a -> {
                boolean pairs = a.type() == RespType.MAP || a.type() == RespType.ATTRIBUTE;
                h.onAggregateStart(a.type(), pairs ? a.size() / 2 : a.size());
                for (Reply e : a.elements()) {
                    replay(e, h);
                }
                h.onAggregateEnd(a.type());
            }
        }
    }
}
