package io.respin.io;

import io.respin.RedisConnectionException;
import io.respin.RedisServerException;

/**
 * Hears, as they happen, that an endpoint's shared connection was lost and that a server answered a command with an
 * error: what a layer that follows a server which can move (Sentinel, which must re-check where the primary is after
 * every reconnect and on a {@code READONLY} or {@code LOADING} error) needs, with {@link RedisEndpoint#moveTo}.
 *
 * <p>Thread: both methods run on the thread that holds the IO duty (the IO thread, or a submitter doing its work),
 * like {@link IoCommand#completed()}: they must only publish what happened (set a flag, unpark a thread) and
 * return, never block or call back into the endpoint. Unset (the default) they cost nothing.
 *
 * <pre>{@code
 * ConnectionEvents watch = new ConnectionEvents() {
 *     @Override public void onConnectionLost(String address, RedisConnectionException why) { recheck.set(true); }
 * };
 * ConnectionOptions opts = ConnectionOptions.builder().connectionEvents(watch).build();
 * }</pre>
 */
public interface ConnectionEvents {

    /**
     * The shared connection to {@code address}, which had been ready, is gone — or, while it is down, an attempt to
     * reconnect failed; the endpoint goes on reconnecting by itself. Not called when {@link RedisEndpoint#moveTo}
     * dropped the connection.
     */
    default void onConnectionLost(String address, RedisConnectionException why) {
    }

    /** A command on any connection of the endpoint got this error reply (its caller gets it too). */
    default void onServerError(RedisServerException error) {
    }
}
