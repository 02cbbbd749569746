package io.respin.client;

/**
 * One message published to a channel you subscribed to: the channel, the pattern that matched (for
 * PSUBSCRIBE; null otherwise), and the payload as UTF-8 text.
 *
 * <pre>{@code
 * client.subscribe(m -> log.info("{} said {}", m.channel(), m.message()), "news");
 * }</pre>
 */
public record PubSubMessage(String channel, String pattern, String message) {
}
