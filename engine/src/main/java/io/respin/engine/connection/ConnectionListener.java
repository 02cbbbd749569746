package io.respin.engine.connection;

import io.respin.RedisException;
import io.respin.RedisServerException;
import io.respin.engine.resp.Reply;

/**
 * What a {@link Connection} tells its transport. Every {@link Request} given to the connection ends in exactly
 * one of {@link #onReply}, {@link #onServerError} or {@link #onFailed}, unless the caller abandoned it. Called on
 * the thread that called into the connection (the IO thread): implementations hand results on and return. They
 * must not throw: an exception escaping an event leaves the bytes of that {@code receive} call half-consumed, and
 * the only safe thing left is {@link Connection#fail(Throwable)} and a new socket.
 *
 * <pre>{@code
 * ConnectionListener l = new ConnectionListener() {
 *     public void onReply(Request r) { ((MyCommand) r).complete(); }
 *     ...
 * };
 * }</pre>
 */
public interface ConnectionListener {

    /**
     * The reply to {@code r} has been delivered, token by token, to {@code r.replyHandler()} (ending with
     * {@code onReplyEnd()}). Exceptions: a (P|S)(UN)SUBSCRIBE request ends here after its last confirmation and
     * its handler sees no tokens (confirmations update {@link Connection#subscriptionCount()}); a request the
     * server will not answer (CLIENT REPLY OFF/SKIP, and what they silence) ends here as soon as it is written;
     * EXEC's handler sees only its array's start (with the element count) and end, because each element went to
     * the command queued for it.
     */
    void onReply(Request r);

    /** The server answered {@code r} with an error reply. */
    void onServerError(Request r, RedisServerException error);

    /**
     * {@code r} will get no reply: the connection failed (protocol error, closed), the handshake failed, the
     * transaction it was queued in was aborted, or the connection's mode does not allow it.
     */
    void onFailed(Request r, RedisException error);

    /** A push: a RESP3 {@code >} frame, or in RESP2 subscribed mode a message/pmessage/smessage array. */
    void onPush(Reply push);

    /** In MONITOR mode: one line the server sent (without the leading '+'). */
    default void onMonitor(String line) {
    }

    /** The handshake finished; the connection is ready for commands. */
    default void onReady(HandshakeResult result) {
    }

    /**
     * The handshake failed (wrong password, NOAUTH, unknown database, ...): {@code error} is a
     * {@link io.respin.RedisConnectionException} whose cause is the server's error. The connection is dead until
     * {@link Connection#restart()}; every request in flight has been failed with {@link #onFailed}.
     */
    default void onHandshakeFailed(RedisException error) {
    }
}
