package io.respin.io.loop;

import io.respin.RedisConnectionException;
import io.respin.RedisServerException;

/**
 * Who is told, on the duty holder, that an endpoint's shared link was lost or that a server answered with an error:
 * what a layer that follows a moving server (Sentinel) needs to re-check where the server is. Both calls must only
 * publish (set a flag, unpark a thread) and return. The public {@code io.respin.io.ConnectionEvents} is adapted to it.
 */
public interface LinkWatch {

    /**
     * The endpoint's shared link to {@code address}, which was READY, is gone, or a reconnect attempt of it failed;
     * it reconnects by itself.
     */
    void lost(String address, RedisConnectionException why);

    /** A command on any link of the endpoint got an error reply. */
    void serverError(RedisServerException error);
}
