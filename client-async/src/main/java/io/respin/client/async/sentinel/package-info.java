/**
 * Redis Sentinel for the clients (internal: reached through {@code redis-sentinel://} URIs and the
 * {@code RedisClientBuilder}'s sentinel settings): the URI, discovery over short blocking probes driving the
 * engine's {@link io.respin.engine.sentinel.SentinelDiscovery}, and the follower that moves the client's endpoint
 * to each new primary. See docs/sentinel.md.
 */
package io.respin.client.async.sentinel;
