/**
 * The IO thread's duty-confined core: the duty cycle ({@link io.respin.io.loop.IoAgent}), the links it drives, the
 * endpoints' routing and dedicated pools, deadlines, admission, and each command's transport state. Not exported.
 *
 * <p><b>Who owns what.</b> Every piece of mutable state has one owner at every moment, and each class says which:
 * <ul>
 *   <li><em>duty-confined</em>: links, engine connections, buffers, sockets, the timer wheel, endpoint routing
 *       state, the completion overflow and the push queues' producer side. The <em>duty</em> ({@link
 *       io.respin.io.loop.Duty}, one {@code AtomicBoolean}) is held by the IO thread, except while it sleeps in the
 *       selector; then a submitter may take it for one pass (drain, encode, write, and for a sync command read its
 *       own reply). Taking it (CAS) and giving it back (volatile write) order everything the holders did, so
 *       duty-confined state needs no other synchronisation. "Duty holder" in a comment means whichever thread
 *       holds it.</li>
 *   <li><em>submitter-owned until published</em>: a {@link io.respin.io.loop.Submission}'s per-call fields, written
 *       by the submitting thread in {@code arm} and published by the MPSC queue's offer; from then on the duty
 *       holder owns them until the command ends.</li>
 *   <li><em>completion thread</em> / <em>push thread</em>: they own only the consumer side of their SPSC queues
 *       ({@code io.respin.io.handoff}).</li>
 *   <li><em>any thread</em>: volatile or atomic fields (a command's phase, the runtime's closed flag and its count of
 *       held commands, the endpoint's closed flag), each documented where it is declared.</li>
 * </ul>
 * Dependencies point one way: {@code io.respin.io} (API) → {@code loop} → {@code net}, {@code buffer},
 * {@code handoff}; nothing here imports the API package.
 */
package io.respin.io.loop;
