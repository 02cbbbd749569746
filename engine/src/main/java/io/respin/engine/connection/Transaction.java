package io.respin.engine.connection;

import io.respin.RedisException;
import io.respin.RedisTransactionAbortedException;
import io.respin.engine.resp.RespHandler;
import io.respin.engine.resp.RespType;
import java.lang.foreign.MemorySegment;

/**
 * MULTI's bookkeeping: the commands the server answered {@code +QUEUED}, in order, and the splitting of EXEC's
 * array among them. As a {@link RespHandler} it receives EXEC's array: element i goes, as a complete reply
 * (ending with {@code onReplyEnd}), to the i-th queued command's handler and then {@code onReply} — or
 * {@code onServerError} when the element is an error — while EXEC's own handler sees the array's start and end.
 * <pre>
 *   *3            -> execHandler.onAggregateStart(ARRAY, 3)
 *     +OK         -> queued[0].replyHandler(): onString, onReplyEnd; listener.onReply(queued[0])
 *     -WRONGTYPE  -> listener.onServerError(queued[1], ...)
 *     *2 :1 :2    -> queued[2].replyHandler(): onAggregateStart ... onAggregateEnd, onReplyEnd; onReply
 *   (end)         -> execHandler.onAggregateEnd(ARRAY); the queue is empty again
 * </pre>
 */
final class Transaction implements RespHandler {
    private static final RespHandler DISCARD = new RespHandler.Adapter();

    private final RequestRing queued = new RequestRing(16);
    private final ConnectionListener listener;
    // EXEC's array being split: where its start/end go, the current element's target and position
    private RespHandler execHandler = DISCARD;
    private RespHandler element = DISCARD;
    private int level;
    private boolean inElement;
    private boolean elementError;
    private final ErrorText errorText = new ErrorText();

    Transaction(ConnectionListener listener) {
        this.listener = listener;
    }

    int size() {
        return queued.size();
    }

    boolean isEmpty() {
        return queued.isEmpty();
    }

    /** {@code r} was answered +QUEUED. */
    void queue(Request r, CommandKind kind, boolean abandoned) {
        queued.add(r, kind, 1, abandoned);
    }

    boolean abandon(Request r) {
        return queued.abandon(r);
    }

    RespHandler execHandler() {
        return execHandler;
    }

    /** Nothing of the transaction ran: every queued command fails with {@link RedisTransactionAbortedException}. */
    void abort(String why) {
        while (!queued.isEmpty()) {
            boolean abandoned = queued.abandoned(0);
            Request q = queued.poll();
            if (!abandoned) {
                listener.onFailed(q, new RedisTransactionAbortedException(why));
            }
        }
    }

    /** The connection died: every queued command fails with {@code e}. */
    void failAll(RedisException e) {
        while (!queued.isEmpty()) {
            boolean abandoned = queued.abandoned(0);
            Request q = queued.poll();
            if (!abandoned) {
                listener.onFailed(q, e);
            }
        }
    }

    /** EXEC's array begins: its elements go to the queued commands, its start and end to {@code execHandler}. */
    void startExec(RespHandler execHandler) {
        this.execHandler = execHandler;
        level = 0;
        inElement = false;
    }

    private void startElement(RespType type) {
        inElement = true;
        elementError = type.isError();
        if (elementError) {
            errorText.clear();
            element = errorText;
        } else {
            element = !queued.isEmpty() && !queued.abandoned(0) ? queued.get(0).replyHandler() : DISCARD;
        }
    }

    private void endElement() {
        inElement = false;
        if (!queued.isEmpty()) {
            // off the queue before the event: a listener that fails the connection must not see it again
            boolean abandoned = queued.abandoned(0);
            Request q = queued.poll();
            if (elementError) {
                if (!abandoned) {
                    listener.onServerError(q, Connection.serverError(errorText.text()));
                }
            } else {
                element.onReplyEnd();
                if (!abandoned) {
                    listener.onReply(q);
                }
            }
        }
        element = DISCARD;
    }

    private void before(RespType type) {
        if (level == 1 && !inElement) {
            startElement(type);
        }
    }

    @Override public void onString(RespType type, MemorySegment data, long offset, long length) {
        before(type);
        element.onString(type, data, offset, length);
        if (level == 1) {
            endElement();
        }
    }

    @Override public void onStringStart(RespType type, long totalLength) {
        before(type);
        element.onStringStart(type, totalLength);
    }

    @Override public void onStringChunk(MemorySegment data, long offset, long length) {
        element.onStringChunk(data, offset, length);
    }

    @Override public void onStringEnd() {
        element.onStringEnd();
        if (level == 1) {
            endElement();
        }
    }

    private void scalarEnd() {
        if (level == 1) {
            endElement();
        }
    }

    @Override public void onInteger(long value) {
        before(RespType.INTEGER);
        element.onInteger(value);
        scalarEnd();
    }

    @Override public void onDouble(double value) {
        before(RespType.DOUBLE);
        element.onDouble(value);
        scalarEnd();
    }

    @Override public void onBoolean(boolean value) {
        before(RespType.BOOLEAN);
        element.onBoolean(value);
        scalarEnd();
    }

    @Override public void onNull() {
        before(RespType.NULL);
        element.onNull();
        scalarEnd();
    }

    @Override public void onAggregateStart(RespType type, long count) {
        if (level == 0) {
            execHandler.onAggregateStart(type, count);
            level = 1;
            return;
        }
        before(type);
        element.onAggregateStart(type, count);
        level++;
    }

    @Override public void onAggregateEnd(RespType type) {
        level--;
        if (level == 0) {
            execHandler.onAggregateEnd(type);
            finishArray();
            return;
        }
        element.onAggregateEnd(type);
        if (level == 1 && type != RespType.ATTRIBUTE) {
            endElement();
        }
    }

    /** EXEC's array ended; a command still queued got no element (cannot happen with a sane server). */
    private void finishArray() {
        abort("EXEC's reply had no element for this command; its outcome is unknown");
    }

    @Override public void onReplyEnd() {
        // the Router calls finish() itself
    }
}
