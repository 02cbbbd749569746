package io.respin.io.loop;

import io.respin.engine.resp.Reply;

/**
 * What a client-side cache hears of an endpoint's shared link, on the duty holder, in parse order: handshakes,
 * losses, pushes and replies. The public {@code io.respin.io.CacheHook} is adapted to it; see there for the contract.
 */
public interface LinkCache {

    void connected(int protocol);

    void disconnected();

    /** True when the push was taken (it then does not reach the push listener). */
    boolean push(Reply push);

    /** {@code command}'s reply arrived; before its caller can see it. */
    void replied(Submission command);
}
