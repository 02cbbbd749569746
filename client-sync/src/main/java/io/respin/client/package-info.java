/**
 * The entry point for blocking code: {@link io.respin.client.RedisClient}, client-async's client plus
 * {@code sync()} and {@code transaction()}.
 */
package io.respin.client;
