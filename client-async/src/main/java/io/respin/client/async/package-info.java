/**
 * The asynchronous client: {@link io.respin.client.async.RedisClient} (the entry point and its builder),
 * {@link io.respin.client.async.RedisAsyncCommands} (every typed command as a {@code CompletableFuture}),
 * {@link io.respin.client.async.RedisPipeline} (explicit batches), {@link io.respin.client.async.PubSub} (pub/sub,
 * Flow publishers and MONITOR).
 */
package io.respin.client.async;
