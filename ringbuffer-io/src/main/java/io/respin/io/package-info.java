/**
 * respin's transport: one IO thread per {@link io.respin.io.IoRuntime} drives many engine connections over NIO.
 *
 * <p><b>Who owns what.</b> Every piece of mutable state has one owner at every moment, and each class says which:
 * <ul>
 *   <li><em>duty-confined</em>: links, engine connections, buffers, sockets, the timer wheel, endpoint routing
 *       state, the completion overflow and the push queues' producer side. The <em>duty</em> (one
 *       {@code AtomicBoolean} in {@code IoAgent}) is held by the IO thread, except while it sleeps in the selector;
 *       then a submitter may take it for one pass (drain, encode, write, and for a sync command read its own reply).
 *       Taking it (CAS) and giving it back (volatile write) order everything the holders did, so duty-confined state
 *       needs no other synchronisation. "Duty holder" in a comment means whichever thread holds it.</li>
 *   <li><em>submitter-owned until published</em>: an {@link io.respin.io.IoCommand}'s per-call fields, written by
 *       the submitting thread in {@code submit} and published by the MPSC queue's offer; from then on the duty
 *       holder owns them until the command ends.</li>
 *   <li><em>completion thread</em> / <em>push thread</em>: they own only the consumer side of their SPSC queues.</li>
 *   <li><em>any thread</em>: volatile or atomic fields (a command's phase, the runtime's closed flag and its count of
 *       held commands, the endpoint's closed flag), each documented where it is declared.</li>
 * </ul>
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
