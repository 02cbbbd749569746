/**
 * respin's transport, the API: an {@link io.respin.io.IoRuntime} (one IO thread) serves {@link io.respin.io.RedisEndpoint}s,
 * to which callers submit {@link io.respin.io.IoCommand}s that end by reply, error, timeout or close, never twice.
 *
 * <p>Callers {@link io.respin.io.RedisEndpoint#submit submit} commands to a bounded MPSC queue; the IO thread
 * encodes whatever has queued up into each connection's off-heap write buffer and writes it at once
 * (auto-pipelining), reads replies into an off-heap buffer where the engine parses them in place, keeps every
 * deadline in one timer wheel, reconnects with backoff, and hands outcomes back without running user code. Who owns
 * which state when (the <em>duty</em>, <em>duty-confined</em>) is told in {@code io.respin.io.loop}, which, like
 * {@code .net}, {@code .buffer} and {@code .handoff}, the module does not export. A command's per-call fields are
 * <em>submitter-owned until published</em>: written by the submitting thread in {@code submit}, published by the
 * queue's offer, the duty holder's from then until the command ends.
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
