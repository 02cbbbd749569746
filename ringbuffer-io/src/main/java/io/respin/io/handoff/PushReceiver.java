package io.respin.io.handoff;

import io.respin.RedisConnectionException;
import io.respin.engine.resp.Reply;

/**
 * The push thread's side of an endpoint's push listener: what {@link Pushes} calls, one call at a time, on its own
 * thread. The public {@code PushListener} is adapted to it; its javadoc has the contract (order, notices).
 */
public interface PushReceiver {

    void onPush(Reply push);

    void onMonitor(String line);

    void onDropped(long count);

    void onDisconnected(RedisConnectionException why);
}
