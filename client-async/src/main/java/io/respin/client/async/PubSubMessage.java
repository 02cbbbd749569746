package io.respin.client.async;

/**
 * One message published to a channel you subscribed to: the channel, the pattern that matched (for
 * PSUBSCRIBE; null otherwise), and the payload decoded by the subscription's codec ({@code String}, UTF-8, unless
 * you subscribed through {@code client.pubSub(codec)}).
 *
 * <pre>{@code
 * client.subscribe(m -> log.info("{} said {}", m.channel(), m.message()), "news");
 * client.pubSub(Codec.bytes()).subscribe(m -> handle(m.message()), "frames"); // byte[] payloads
 * }</pre>
 *
 * @param <V> the payload type, as the codec decodes it
 */
public record PubSubMessage<V>(String channel, String pattern, V message) {
}
