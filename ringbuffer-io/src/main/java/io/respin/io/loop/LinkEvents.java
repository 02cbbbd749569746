package io.respin.io.loop;

import io.respin.io.log.Log;
import io.respin.RedisException;
import io.respin.RedisServerException;
import io.respin.engine.connection.ConnectionListener;
import io.respin.engine.connection.HandshakeResult;
import io.respin.engine.connection.Request;
import io.respin.engine.resp.Reply;
import java.util.ArrayDeque;

/**
 * What a link's engine connection reports, acted on: a command's reply, server error or failure ends it (and may
 * free a dedicated link); pushes and MONITOR lines go to the endpoint's push thread; the handshake's end makes the
 * link READY. While a lost socket's in-flight commands fail ({@link #failInFlight}), idempotent ones are kept to be
 * sent once more after the reconnect.
 * <pre>
 *   engine ─onReply / onServerError / onFailed─▶ deadline cancelled, inFlight-- ─▶ command ─▶ pool (dedicated)
 *          ─onPush / onMonitor─▶ endpoint's push sink          ─onReady─▶ READY, waiting commands encoded
 * </pre>
 * Duty-confined, like its link (the engine calls it from inside the link's own receive/encode/fail calls).
 */
final class LinkEvents implements ConnectionListener {

    private final Link link;
    /** While the engine fails what was in flight: idempotent commands are kept here to be sent again. */
    private boolean collectingRetries;
    /** While lost() has the engine fail what was in flight: a dedicated link is not handed on until BACKOFF. */
    private boolean failingInFlight;
    private final ArrayDeque<Submission> retries = new ArrayDeque<>();
    /** While lost() collects retries: the command whose reply was half read (never resent), or null. */
    private Request replyInProgress;

    LinkEvents(Link link) {
        this.link = link;
    }

    @Override
    public void onReply(Request r) {
        if (r instanceof Submission c) {
            ended(c);
            c.bytesIn = link.connection.replyBytes();
            LinkCache cache = cacheHook();
            if (cache != null) {
                cache.replied(c); // before the caller can see the reply: its own write invalidates first
            }
            Object h = link.holder;
            c.complete(link.agent.now);
            afterEnd(h);
        }
    }

    @Override
    public void onServerError(Request r, RedisServerException error) {
        LinkWatch watch = link.endpoint.target().watch();
        if (watch != null) {
            watch.serverError(error); // before the caller can see the error: it knows the watcher heard of it
        }
        if (r instanceof Submission c) {
            ended(c);
            c.bytesIn = link.connection.replyBytes();
            Object h = link.holder;
            c.fail(error);
            afterEnd(h);
        }
    }

    @Override
    public void onFailed(Request r, RedisException error) {
        if (r instanceof Submission c) {
            if (collectingRetries && c.resends == 0 && c.resendable && c != replyInProgress && c.idempotent()) {
                link.inFlight--; // keeps its deadline; goes out once more after the reconnect
                c.resends++;
                retries.add(c);
                return;
            }
            ended(c);
            Object h = link.holder;
            c.fail(error);
            afterEnd(h);
        }
    }

    private void ended(Submission c) {
        link.agent.deadlines().cancel(c);
        link.inFlight--;
    }

    /** A command of the link ended; {@code heldBy} held the link before it did. */
    void afterEnd(Object heldBy) {
        if (failingInFlight) {
            // inside lost(): the engine is failing what was in flight on a dying socket. Handing the link on now would
            // encode a never-sent waiter into that dead engine and fail it; lost() hands it on once in BACKOFF
            return;
        }
        link.endpoint.pool().ended(link, heldBy);
    }

    /**
     * The socket is gone: the engine fails every command in flight (outcome unknown) — except, with
     * {@code retryIdempotent}, idempotent ones whose reply had not begun, which wait to go out again, ahead of
     * what never went out, in their original order.
     */
    void failInFlight(String why, boolean retryIdempotent) {
        collectingRetries = retryIdempotent;
        replyInProgress = collectingRetries ? link.connection.replyInProgress() : null;
        failingInFlight = true;
        try {
            link.connection.fail(why);
        } finally {
            failingInFlight = false;
            collectingRetries = false;
            replyInProgress = null;
        }
        Submission r;
        while ((r = retries.pollLast()) != null) {
            r.where = Submission.Where.WAITING;
            r.onResend();
            link.endpoint.loop().admission().resent();
            link.writer.requeueFirst(r);
        }
    }

    /** The endpoint's cache hook when this is its shared link, else null. */
    LinkCache cacheHook() {
        return link.role == Link.Role.SHARED ? link.endpoint.target().cache() : null;
    }

    @Override
    public void onPush(Reply push) {
        LinkCache cache = cacheHook();
        if (cache != null && cache.push(push)) {
            return; // an invalidation, applied in parse order
        }
        link.endpoint.pushes.push(push); // to the push thread, never the completion queue; dropped and counted when full
    }

    @Override
    public void onMonitor(String line) {
        link.endpoint.pushes.monitor(line);
    }

    @Override
    public void onReady(HandshakeResult result) {
        link.state = Link.State.READY;
        link.refusedBy = null;
        link.downBecause = null;
        link.backoff.reset();
        boolean first = !link.everReady;
        link.everReady = true;
        if (!first) {
            link.reconnects++;
        }
        if (link.failedAttempts > 0 && !first) {
            Log.CONNECTION.log(System.Logger.Level.INFO, "respin: reconnected to " + link.address() + " after "
                    + link.failedAttempts + (link.failedAttempts == 1 ? " attempt" : " attempts"));
        } else if (Log.CONNECTION.isLoggable(System.Logger.Level.DEBUG)) {
            Log.CONNECTION.log(System.Logger.Level.DEBUG, "respin: connected to " + link.address() + " ("
                    + link.role.name().toLowerCase(java.util.Locale.ROOT) + ", RESP" + result.protocol() + ")");
        }
        Probe probe = link.endpoint.loop().probe;
        if (probe != null) {
            probe.linkUp(link.endpoint, link.role.ordinal(), !first, first ? link.failedAttempts + 1 : link.failedAttempts);
        }
        link.failedAttempts = 0;
        LinkCache cache = cacheHook();
        if (cache != null) {
            cache.connected(result.protocol());
        }
        link.endpoint.linkReady(link, first);
        link.writer.drainWaiting();
    }

    @Override
    public void onHandshakeFailed(RedisException error) {
        // acted on when receive() returns FAILED (or by lost(), which caused it)
        link.handshakeError = error;
    }
}
