/**
 * respin's transport: one IO thread per {@link io.respin.io.IoRuntime} drives many engine connections over NIO.
 * Callers {@link io.respin.io.RedisEndpoint#submit submit} {@link io.respin.io.IoCommand}s to a bounded MPSC queue;
 * the IO thread encodes whatever has queued up into each connection's off-heap write buffer and writes it at once
 * (auto-pipelining), reads replies into an off-heap buffer where the engine parses them in place, keeps every
 * deadline in one timer wheel, reconnects with backoff, and hands outcomes back without running user code.
 *
 * <pre>{@code
 * try (IoRuntime io = IoRuntime.start(IoSettings.defaults());
 *      RedisEndpoint redis = io.connect("redis://localhost:6379")) {
 *     Incr incr = new Incr("visits");   // a SyncCommand subclass
 *     redis.submit(incr);
 *     incr.await();
 * }
 * }</pre>
 */
package io.respin.io;
