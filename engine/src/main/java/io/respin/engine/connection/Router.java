package io.respin.engine.connection;

import io.respin.RedisProtocolException;
import io.respin.engine.resp.Reply;
import io.respin.engine.resp.ReplyAssembler;
import io.respin.engine.resp.RespHandler;
import io.respin.engine.resp.RespLimits;
import io.respin.engine.resp.RespType;
import java.lang.foreign.MemorySegment;

/**
 * Receives every token from the parser and forwards it to where the current top-level value belongs. The
 * decision is taken at the value's first token, from the connection's {@link Modes modes} and the FIFO head,
 * and holds until the value ends:
 * <pre>
 *   first token                                  route      tokens go to
 *   |attribute                                   ATTRIBUTE  held, then replayed in front of the value
 *   &gt;push, or *array while RESP2-subscribed      ASSEMBLE   assembled: a push, a confirmation or a reply
 *   -error, !bloberror                           ERROR      the head's RedisServerException
 *   +line in MONITOR (not RESET's or QUIT's)     MONITOR    listener.onMonitor
 *   +QUEUED in MULTI                             QUEUED     the head moves to the transaction
 *   *array in MULTI, EXEC at the head            EXEC       split among the queued commands
 *   anything else                                HEAD       the head's reply handler
 * </pre>
 * Each value ends on the {@link Connection} ({@code completeHead}, {@code deliverError}), which owns the FIFO's
 * bookkeeping; a value that arrives while the connection is dead, or stale after a reset, is dropped.
 */
final class Router implements RespHandler {
    private static final RespHandler DISCARD = new RespHandler.Adapter();

    private enum Route {
        /** Between top-level values: the next token decides. */
        BETWEEN,
        /** Tokens go to the FIFO head's handler (or nowhere when it was abandoned). */
        HEAD,
        /** A top-level error: its text becomes the head's RedisServerException. */
        ERROR,
        /** A push or RESP2 subscribed-mode array: assembled, then routed as a whole. */
        ASSEMBLE,
        /** A MONITOR line. */
        MONITOR,
        /** +QUEUED inside MULTI: the head moves to the queued list. */
        QUEUED,
        /** EXEC's array: element i goes to queued command i. */
        EXEC,
        /** A top-level attribute, held until the value it annotates shows where it goes. */
        ATTRIBUTE,
        /** The connection is dead: tokens are dropped. */
        DROP
    }

    private final Connection connection;
    private final ConnectionListener listener;
    private final RequestRing inFlight;
    private final Transaction transaction;
    private final Subscriptions subscriptions;
    private final Modes modes;
    private Route route = Route.BETWEEN;
    private RespHandler sink = DISCARD;
    private int depth;
    private boolean topNull;
    private String text;
    private final ErrorText errorText = new ErrorText();
    private final ReplyAssembler pushes = new ReplyAssembler();
    private final ReplyAssembler attributes = new ReplyAssembler();
    private Reply.Aggregate heldAttributes;

    Router(Connection connection, ConnectionListener listener, RequestRing inFlight, Transaction transaction,
           Subscriptions subscriptions, Modes modes) {
        this.connection = connection;
        this.listener = listener;
        this.inFlight = inFlight;
        this.transaction = transaction;
        this.subscriptions = subscriptions;
        this.modes = modes;
    }

    /** The rest of the current top-level value, if any, is dropped. */
    void drop() {
        route(Route.DROP, DISCARD);
    }

    void clear() {
        route = Route.BETWEEN;
        sink = DISCARD;
        depth = 0;
        heldAttributes = null;
    }

    /** Chooses the route of a top-level value from its first token; {@code s} is set for complete strings. */
    private void begin(RespType type, MemorySegment data, long offset, long length) {
        topNull = false;
        if (connection.dropping()) {
            route(Route.DROP, DISCARD);
        } else if (type == RespType.ATTRIBUTE) {
            route(Route.ATTRIBUTE, attributes);
            return; // keep what was held before (an attribute cannot follow another at the same level)
        } else if (type == RespType.PUSH) {
            route(Route.ASSEMBLE, pushes);
        } else if (type.isError()) {
            route(Route.ERROR, errorText);
            errorText.clear();
        } else if (modes.replied() == Connection.Mode.MONITOR && type == RespType.SIMPLE_STRING && !answersHead(data, offset, length)) {
            route(Route.MONITOR, DISCARD);
            text = Connection.utf8(data, offset, length);
        } else if (connection.protocol() == 2 && type == RespType.ARRAY && subscriptionContext()) {
            route(Route.ASSEMBLE, pushes);
        } else if (inFlight.isEmpty()) {
            connection.die(new RedisProtocolException("the server sent a " + type + " reply while no command was waiting for "
                    + "one; replies can no longer be matched to commands", -1));
            route(Route.DROP, DISCARD);
        } else if (modes.replied() == Connection.Mode.MULTI && type == RespType.SIMPLE_STRING && isQueued(data, offset, length)) {
            route(Route.QUEUED, DISCARD);
        } else if (modes.replied() == Connection.Mode.MULTI && type == RespType.ARRAY && inFlight.kind(0) == CommandKind.EXEC) {
            transaction.startExec(inFlight.abandoned(0) ? DISCARD : inFlight.get(0).replyHandler());
            route(Route.EXEC, transaction);
        } else {
            route(Route.HEAD, inFlight.abandoned(0) ? DISCARD : inFlight.get(0).replyHandler());
        }
        if (heldAttributes != null) {
            if (route == Route.HEAD || route == Route.ASSEMBLE || route == Route.EXEC) {
                ReplyReplay.replay(heldAttributes, route == Route.EXEC ? transaction.execHandler() : sink);
            }
            heldAttributes = null;
        }
    }

    private void route(Route r, RespHandler s) {
        route = r;
        sink = s;
    }

    private boolean subscriptionContext() {
        if (subscriptions.count() > 0) {
            return true;
        }
        return !inFlight.isEmpty() && !Subscriptions.confirmationOf(inFlight.kind(0)).isEmpty();
    }

    /** In MONITOR mode, is this simple string the answer to the RESET / QUIT at the head? */
    private boolean answersHead(MemorySegment data, long offset, long length) {
        if (inFlight.isEmpty()) {
            return false;
        }
        CommandKind k = inFlight.kind(0);
        return (k == CommandKind.RESET && Connection.equalsAscii(data, offset, length, "RESET"))
                || (k == CommandKind.QUIT && Connection.equalsAscii(data, offset, length, "OK"));
    }

    private boolean isQueued(MemorySegment data, long offset, long length) {
        return Connection.equalsAscii(data, offset, length, "QUEUED");
    }

    /** The top-level value is complete. */
    private void finish() {
        Route r = route;
        route = Route.BETWEEN;
        switch (r) {
            case HEAD -> {
                sink.onReplyEnd();
                connection.completeHead(topNull);
            }
            case ERROR -> connection.deliverError(errorText.text());
            case ASSEMBLE -> {
                pushes.onReplyEnd();
                routeAssembled(pushes.poll());
            }
            case MONITOR -> listener.onMonitor(text);
            case QUEUED -> {
                boolean abandoned = inFlight.abandoned(0);
                CommandKind queuedKind = inFlight.kind(0);
                transaction.queue(inFlight.poll(), queuedKind, abandoned);
            }
            case EXEC -> {
                transaction.execHandler().onReplyEnd();
            connection.completeHead(false);
            }
            default -> { }
        }
        sink = DISCARD;
    }

    @Override public void onString(RespType type, MemorySegment data, long offset, long length) {
        if (route == Route.BETWEEN) {
            begin(type, data, offset, length);
            if (route == Route.ERROR) {
                errorText.onString(type, data, offset, length);
                return;
            }
        }
        sink.onString(type, data, offset, length);
    }

    /**
     * The parser's own bulk limit is far above the settings' {@code maxBulk}: a value over {@code maxBulk} is then not
     * a protocol error that kills the connection but fails only its command ({@link io.respin.RedisLimitException});
     * its bytes stream past in chunks (see {@link #chunks}) and are dropped. A value over the parser's limit
     * (4 GiB at least) still breaks the connection. Depth and element limits are the settings' own.
     */
    static RespLimits parserLimits(RespLimits limits) {
        return limits.withMaxBulk(Math.max(limits.maxBulk(), Math.max(4L << 30, limits.maxBulk() * 2)));
    }

    /** Values over maxBulk always arrive in chunks, so that skipping one needs no buffer of its size. */
    static long chunks(long chunkThreshold, long maxBulk) {
        long limit = Math.max(1, maxBulk);
        return chunkThreshold <= 0 ? limit : Math.min(chunkThreshold, limit);
    }

    @Override public void onStringStart(RespType type, long totalLength) {
        if (route == Route.BETWEEN) {
            begin(type, null, 0, 0);
        }
        if (totalLength > connection.maxBulk()) {
            overLimit(totalLength);
        }
        sink.onStringStart(type, totalLength);
    }

    /**
     * A value of the head's reply is longer than maxBulk: the head fails with {@link io.respin.RedisLimitException}
     * now and is abandoned, so that the rest of its reply is parsed and dropped and the FIFO stays in step.
     */
    private void overLimit(long length) {
        if (route != Route.HEAD || inFlight.isEmpty() || inFlight.abandoned(0)) {
            return; // a push, an error text, an EXEC element, or a reply nobody waits for: nothing to fail here
        }
        Request r = inFlight.get(0);
        inFlight.abandon(r);
        sink = DISCARD;
        listener.onFailed(r, new io.respin.RedisLimitException(r.name() + ": the reply holds a value of " + length
                + " bytes, more than maxBulk (" + connection.maxBulk() + " bytes); raise "
                + "RedisClientBuilder.maxBulk(bytes) (ConnectionOptions.limits when embedding the IO layer). The "
                + "rest of the reply is dropped and the connection carries on"));
    }

    @Override public void onStringChunk(MemorySegment data, long offset, long length) {
        sink.onStringChunk(data, offset, length);
    }

    @Override public void onStringEnd() {
        sink.onStringEnd();
    }

    @Override public void onInteger(long value) {
        if (route == Route.BETWEEN) {
            begin(RespType.INTEGER, null, 0, 0);
        }
        sink.onInteger(value);
    }

    @Override public void onDouble(double value) {
        if (route == Route.BETWEEN) {
            begin(RespType.DOUBLE, null, 0, 0);
        }
        sink.onDouble(value);
    }

    @Override public void onBoolean(boolean value) {
        if (route == Route.BETWEEN) {
            begin(RespType.BOOLEAN, null, 0, 0);
        }
        sink.onBoolean(value);
    }

    @Override public void onNull() {
        if (route == Route.BETWEEN) {
            begin(RespType.NULL, null, 0, 0);
            topNull = true;
        }
        sink.onNull();
    }

    @Override public void onAggregateStart(RespType type, long count) {
        if (route == Route.BETWEEN) {
            begin(type, null, 0, 0);
        }
        depth++;
        sink.onAggregateStart(type, count);
    }

    @Override public void onAggregateEnd(RespType type) {
        depth--;
        sink.onAggregateEnd(type);
        if (depth == 0 && route == Route.ATTRIBUTE) {
            // a Null carrying the attribute: the assembler hands the attribute back as that Null's attributes()
            attributes.onNull();
            attributes.onReplyEnd();
            Reply held = attributes.poll();
            heldAttributes = held == null ? null : held.attributes();
            route(Route.BETWEEN, DISCARD);
        }
    }

    @Override public void onReplyEnd() {
        finish();
    }

    /** A RESP3 push, or an array read while RESP2-subscribed, assembled. */
    private void routeAssembled(Reply reply) {
        if (reply instanceof Reply.Aggregate a && a.size() >= 1 && a.get(0) instanceof Reply.Text t) {
            String kind = t.asString();
            switch (kind) {
                case "message", "pmessage", "smessage" -> {
                    listener.onPush(reply);
                    return;
                }
                case Subscriptions.SUBSCRIBE, Subscriptions.PSUBSCRIBE, Subscriptions.SSUBSCRIBE, Subscriptions.UNSUBSCRIBE,
                     Subscriptions.PUNSUBSCRIBE, Subscriptions.SUNSUBSCRIBE -> {
                    confirm(kind, a);
                    return;
                }
                default -> { }
            }
        }
        if (reply.type() == RespType.PUSH) {
            listener.onPush(reply); // invalidate, tracking-redir-broken, ...
            return;
        }
        // RESP2 subscribed mode answers PING with an array ["pong", arg]: an ordinary reply
        if (inFlight.isEmpty()) {
            connection.die(new RedisProtocolException("the server sent a reply while no command was waiting: " + reply, -1));
            return;
        }
        RespHandler h = inFlight.abandoned(0) ? DISCARD : inFlight.get(0).replyHandler();
        ReplyReplay.replay(reply, h);
        h.onReplyEnd();
        connection.completeHead(reply.type() == RespType.NULL);
    }

    /** A (un)subscribe confirmation: update the subscriptions and count it against the head's expected ones. */
    private void confirm(String kind, Reply.Aggregate a) {
        byte[] name = a.size() >= 2 && a.get(1) instanceof Reply.Text t ? t.bytes() : null;
        int before = subscriptions.apply(kind, name);
        if (inFlight.isEmpty() || !kind.equals(Subscriptions.confirmationOf(inFlight.kind(0)))) {
            listener.onPush(a); // not asked for: e.g. the server dropped shard channels after a slot moved
            return;
        }
        int expected = inFlight.expected(0);
        if (expected < 0) {
            expected = Math.max(1, before); // unsubscribe-all: one confirmation per subscription, at least one
        }
        if (--expected > 0) {
            inFlight.setExpected(0, expected);
            return;
        }
        connection.completeHead(false);
    }
}
