/**
 * The asynchronous client: {@link io.respin.client.async.RedisAsyncCommands} (every typed command as a
 * {@code CompletableFuture}) and {@link io.respin.client.async.RedisPipeline} (explicit batches).
 */
package io.respin.client.async;
