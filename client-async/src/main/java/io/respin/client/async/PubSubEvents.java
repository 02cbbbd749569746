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
}
