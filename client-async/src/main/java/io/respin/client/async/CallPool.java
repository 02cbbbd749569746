package io.respin.client.async;

import io.respin.engine.command.Command;
import io.respin.engine.command.CommandScratch;
import io.respin.engine.command.Commands;
import java.util.function.Supplier;
import org.jctools.queues.atomic.MpmcAtomicArrayQueue;

/**
 * Reusable async calls, so that an async command allocates its future and its argument lambda and nothing else
 * (issue 16): each call carries its own {@code CommandScratch}, so the command (which is also its reply reader) and
 * its scalar decoders are re-armed in place, and the IO command around them is the call itself. A call goes back to
 * the pool once its future is complete — the IO runtime holds no reference to it by then, and its future lets go of
 * it — and every handle on it (its future's cancel, join and get) names the submit it belongs to, so a stale handle
 * can never touch a later submit. The pool is bounded: beyond {@link #CAPACITY} free calls, released ones are left to
 * the GC, so memory stays what the in-flight commands need.
 *
 * <p>How a facade uses it, on a platform thread: {@link #catalogue} takes a free call and stages it on the thread, and
 * returns the catalogue view bound to its scratch; the typed method builds the command there and submits it;
 * {@link #take} finds the staged call that built it. A command built elsewhere gets a fresh call. Virtual threads
 * (many, short-lived) use the plain catalogue.
 */
final class CallPool {
    static final int CAPACITY = 4096;
    static final CallPool SHARED = new CallPool();
    private static final ThreadLocal<Staged> STAGED = ThreadLocal.withInitial(Staged::new);

    private final MpmcAtomicArrayQueue<AsyncCall<?>> free = new MpmcAtomicArrayQueue<>(CAPACITY);

    /**
     * A platform thread's staged call and its catalogue view: one view per thread (and base catalogue), whose
     * commands are built in whichever call is staged — the view asks this object for the scratch each time.
     */
    private static final class Staged implements Supplier<CommandScratch> {
        AsyncCall<?> call;
        Commands<?, ?> viewOf;
        Commands<?, ?> view;

        @Override
        public CommandScratch get() {
            return call.scratch;
        }
    }

    /** {@code base} as this thread's catalogue, building in its staged call (one taken from the pool, or new). */
    @SuppressWarnings("unchecked")
    <K, V> Commands<K, V> catalogue(Commands<K, V> base) {
        if (Thread.currentThread().isVirtual()) {
            return base;
        }
        Staged staged = STAGED.get();
        if (staged.call == null) {
            AsyncCall<?> call = free.poll();
            staged.call = call != null ? call : new AsyncCall<>(this);
        }
        if (staged.viewOf != base) {
            staged.view = base.recycling(staged);
            staged.viewOf = base;
        }
        return (Commands<K, V>) staged.view;
    }

    /** The call to submit {@code command} with: this thread's staged call when it built it, else a fresh one. */
    @SuppressWarnings("unchecked")
    <T> AsyncCall<T> take(Command<T> command) {
        if (!Thread.currentThread().isVirtual()) {
            Staged staged = STAGED.get();
            AsyncCall<?> call = staged.call;
            if (call != null && call.scratch.built(command)) {
                staged.call = null;
                AsyncCall<T> c = (AsyncCall<T>) call;
                c.arm(command);
                return c;
            }
        }
        return new AsyncCall<>(command);
    }

    /** Any thread: {@code call}'s future is complete; it may be staged again (or left to the GC when full). */
    void release(AsyncCall<?> call) {
        free.offer(call);
    }
}
