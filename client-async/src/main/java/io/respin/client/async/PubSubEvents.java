package io.respin.client.async;

import io.respin.RedisConnectionException;

/**
 * Hears about a client's pub/sub and MONITOR delivery rather than its messages: a lost subscriber connection, and
 * messages lost because the listeners fell behind. Register one with {@link PubSub#addEventListener}. Both methods
 * run on the IO runtime's push thread, like the message listeners, in order with the messages: a notice comes after
 * the messages received before its event and before those received after it. Never dropped itself.
 *
 * <pre>{@code
 * client.pubSub().addEventListener(new PubSubEvents() {
 *     @Override public void onDisconnected(RedisConnectionException why) { cache.invalidateAll(); }
 *     @Override public void onDropped(long count) { metrics.counter("pubsub.dropped").increment(count); }
 * });
 * }</pre>
 */
public interface PubSubEvents {

    /**
     * The subscriber (or MONITOR) connection was lost — the server closed it (e.g. at its
     * {@code client-output-buffer-limit}), killed it, or the network failed. The client reconnects and restores
     * every subscription; messages published in between are lost. MONITOR is not restored.
     */
    default void onDisconnected(RedisConnectionException why) {
    }

    /**
     * {@code count} messages (or MONITOR lines) were dropped since the last call because the listeners were
     * {@code pushQueueCapacity} messages behind; {@link PubSub#dropped()} is the total.
     */
    default void onDropped(long count) {
    }

    /**
     * Redis Cluster only: a subscription was moved to another node — its shard channel's slot moved (the old owner
     * sent an unasked {@code sunsubscribe}), or the node it was on failed or left — and is now confirmed on
     * {@link Resubscribed#to()}. Messages published between the move and this call may have been lost (pub/sub
     * keeps nothing); those published after it arrive. Called once per name and move, on the client's completion
     * thread (not the push thread: a message from the new node may come just before it); never after the client
     * closed.
     */
    default void onResubscribed(Resubscribed moved) {
    }

    /**
     * One moved subscription: {@code kind} is {@code SUBSCRIBE}, {@code PSUBSCRIBE} or {@code SSUBSCRIBE},
     * {@code name} the channel, pattern or shard channel, {@code from} and {@code to} the nodes ({@code host:port})
     * it was on and is on now, {@code why} what moved it ({@code "slot moved"}, {@code "node left"}).
     */
    record Resubscribed(String kind, String name, String from, String to, String why) {
    }
}
