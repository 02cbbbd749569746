package io.respin.io;

import io.respin.RedisConnectionException;
import io.respin.RedisException;
import io.respin.RedisTimeoutException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentTerminationException;
import org.agrona.concurrent.IdleStrategy;
import org.jctools.queues.atomic.MpscAtomicArrayQueue;

/**
 * The IO thread's work, one pass per {@link #doWork()}:
 * <ol>
 *   <li>run control tasks (connect, close: cold path);</li>
 *   <li>drain up to {@code batchLimit} commands from the MPSC submit queue, start their deadlines and route each to
 *       its link, which encodes it into its write buffer (auto-pipelining: whatever queued up goes out together);</li>
 *   <li>flush every link that has bytes: one write per link per pass, the rest waits for OP_WRITE;</li>
 *   <li>{@code selectNow}: connect completions, writable sockets, and reads, parsed in place;</li>
 *   <li>flush again (reads can produce writes: handshakes, pooled links handed on);</li>
 *   <li>expire deadlines; reconnect links whose backoff is over; move held-back completions on.</li>
 * </ol>
 * The return value is the amount of work done, so the idle strategy can back off when there is none.
 */
final class IoAgent implements Agent {

    private final IoSettings settings;
    private final Selector selector;
    private final MpscAtomicArrayQueue<IoCommand> submits;
    private final Queue<Runnable> control = new ConcurrentLinkedQueue<>();
    private final Deadlines deadlines;
    private final Completions completions;
    private final ArrayList<Link> links = new ArrayList<>();
    private final ArrayList<Link> dirty = new ArrayList<>();
    private final ArrayList<Link> readAgain = new ArrayList<>();
    private final Consumer<SelectionKey> onKey = this::onKey;
    private final Deadlines.Expiry onExpiry = this::expired;
    private volatile boolean sleeping;
    private volatile boolean closing;
    private long now;
    /** Socket writes so far (IO thread; tests read it to see auto-pipelining at work). */
    long socketWrites;
    private long nextMaintenance;

    IoAgent(IoSettings settings, Completions completions) {
        this.settings = settings;
        this.completions = completions;
        this.submits = new MpscAtomicArrayQueue<>(settings.submitQueueCapacity());
        this.now = System.nanoTime();
        this.deadlines = new Deadlines(now, onExpiry);
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a selector for the IO thread", e);
        }
    }

    @Override
    public String roleName() {
        return settings.threadName();
    }

    IoSettings settings() { return settings; }

    Selector selector() { return selector; }

    Deadlines deadlines() { return deadlines; }

    Completions completions() { return completions; }

    long now() { return now; }

    // ------------------------------------------------------------------ from other threads

    boolean offer(IoCommand c) {
        return submits.offer(c);
    }

    void control(Runnable task) {
        control.add(task);
        wakeUp();
    }

    /** Wakes the IO thread if it sleeps in the selector; free when it does not. */
    void wakeUp() {
        if (sleeping) {
            selector.wakeup();
        }
    }

    void requestClose() {
        closing = true;
        selector.wakeup();
    }

    // ------------------------------------------------------------------ the loop

    @Override
    public int doWork() throws IOException {
        now = System.nanoTime();
        int work = runControl();
        if (closing) {
            throw new AgentTerminationException("IoRuntime closed");
        }
        work += drainSubmits();
        work += flushDirty();
        work += selector.selectNow(onKey);
        work += readAgain();
        work += flushDirty();
        work += deadlines.expire(now);
        if (now - nextMaintenance >= 0) {
            work += maintain();
        }
        work += completions.flushOverflow();
        return work;
    }

    private int runControl() {
        int n = 0;
        Runnable task;
        while ((task = control.poll()) != null) {
            task.run();
            n++;
        }
        return n;
    }

    private int drainSubmits() {
        int limit = settings.batchLimit();
        int n = 0;
        IoCommand c;
        while (n < limit && (c = submits.poll()) != null) {
            n++;
            try {
                route(c);
            } catch (RuntimeException e) {
                stranded(c, e);
            }
        }
        return n;
    }

    /** A bug on the way to the socket: end the command now rather than at its deadline, and make it visible. */
    private void stranded(IoCommand c, RuntimeException e) {
        if (c.where == IoCommand.Where.SUBMIT_QUEUE) { // elsewhere it has a place and its deadline ends it
            finish(c, new io.respin.RedisException("respin failed to send " + c.name() + " (an internal error: " + e
                    + "); the command was not sent", e));
        }
        Thread t = Thread.currentThread();
        t.getUncaughtExceptionHandler().uncaughtException(t, e);
    }

    private void route(IoCommand c) {
        RedisEndpoint e = c.endpoint;
        if (e.isClosed()) {
            finish(c, new RedisConnectionException(c.name() + " was not sent: the endpoint for " + e.uri() + " is closed", false));
            return;
        }
        if (c.deadlineNanos() - now <= 0) {
            expired(c);
            return;
        }
        deadlines.schedule(c);
        Link l = e.route(c, this);
        if (l == null) {
            e.waitForLink(c);
        } else {
            l.enqueue(c);
        }
    }

    private int flushDirty() {
        int n = dirty.size();
        if (n == 0) {
            return 0;
        }
        for (int i = 0; i < dirty.size(); i++) { // flushing may add (a link handed on): index, not iterator
            dirty.get(i).flushSafely(now);
        }
        dirty.clear();
        return n;
    }

    /** Links whose transport still holds decrypted bytes that no socket event will announce (TLS). */
    private int readAgain() {
        int n = readAgain.size();
        if (n == 0) {
            return 0;
        }
        for (int i = 0; i < n; i++) {
            readAgain.get(i).readBuffered(now);
        }
        readAgain.subList(0, n).clear();
        return n;
    }

    private void onKey(SelectionKey k) {
        // while sleeping in select, the pass's clock is stale
        ((Link) k.attachment()).onSelected(k, sleeping ? System.nanoTime() : now);
    }

    private int maintain() {
        int work = 0;
        long next = now + TimeUnit.MILLISECONDS.toNanos(100);
        for (int i = 0; i < links.size(); i++) {
            Link l = links.get(i);
            if (l.state == Link.State.READY) {
                work += l.checkIdle(now);
            } else {
                work += l.maintain(now);
                long due = l.nextMaintenance(now);
                if (due != Long.MAX_VALUE) {
                    next = Math.min(next, now + Math.max(due, 0));
                }
            }
        }
        nextMaintenance = next;
        return work;
    }

    // ------------------------------------------------------------------ used by links and endpoints

    void dirty(Link l) {
        dirty.add(l);
    }

    void readAgain(Link l) {
        readAgain.add(l);
    }

    void addLink(Link l) {
        links.add(l);
        nextMaintenance = now; // a new link needs its connect deadline watched
    }

    void removeLink(Link l) {
        links.remove(l);
    }

    /** Ends {@code c} with {@code error}, wherever it is. */
    void finish(IoCommand c, RedisException error) {
        deadlines.cancel(c);
        c.fail(error);
    }

    private void expired(IoCommand c) {
        long ms = TimeUnit.NANOSECONDS.toMillis(c.effectiveTimeoutNanos());
        boolean sent = c.where == IoCommand.Where.IN_FLIGHT;
        RedisTimeoutException timeout = new RedisTimeoutException(c.name() + " got no reply within its timeout of "
                + ms + " ms" + (sent ? " (it was sent and may have run; a late reply will be discarded)"
                : " (it was never sent: the connection was not available)")
                + "; raise the timeout with IoCommand.timeout(..) or IoSettings.commandTimeout(..)");
        Link l = c.link;
        if (l != null) {
            l.expire(c, timeout);
        } else {
            if (c.where == IoCommand.Where.WAITING && c.endpoint != null) {
                c.endpoint.removeWaiting(c);
            }
            finish(c, timeout);
        }
    }

    // ------------------------------------------------------------------ idling and closing

    /** True when no command is queued or pending anywhere (every pending command has a deadline timer). */
    boolean isIdle() {
        return submits.isEmpty() && deadlines.pending() == 0;
    }

    /** Sleeps in the selector until a socket is ready, a submitter wakes us, or the next deadline is due. */
    void sleep() {
        long timeoutMs;
        if (deadlines.pending() > 0) {
            timeoutMs = 1;
        } else {
            long untilMaintenance = TimeUnit.NANOSECONDS.toMillis(nextMaintenance - System.nanoTime());
            timeoutMs = Math.max(1, Math.min(1000, untilMaintenance));
        }
        sleeping = true;
        try {
            // re-check after announcing sleep: a submitter that raced with us either saw sleeping or we see its item
            if (submits.isEmpty() && control.isEmpty() && readAgain.isEmpty() && !closing) {
                selector.select(onKey, timeoutMs);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the IO thread's selector failed", e);
        } finally {
            sleeping = false;
        }
    }

    @Override
    public void onClose() {
        runControl();
        RedisConnectionException closed = new RedisConnectionException("the IoRuntime was closed", false);
        for (Link l : new ArrayList<>(links)) {
            l.endpoint.closeLinks(closed);
        }
        failQueued(closed);
        try {
            selector.close();
        } catch (IOException ignored) {
            // nothing left to do with it
        }
        completions.close();
    }

    /** Fails every command still in the submit queue (after the loop stopped). */
    void failQueued(RedisException why) {
        IoCommand c;
        while ((c = submits.poll()) != null) {
            c.fail(new RedisConnectionException(c.name() + " was not sent: " + why.getMessage(), false));
        }
    }

    /**
     * The default idle strategy: spin briefly, then yield for up to {@link #YIELD_NANOS} after the last work (a
     * reply on a local network usually arrives within that, and catching it here saves a selector wake-up), then
     * sleep in the selector until a socket, a submitter or the next deadline wakes the thread.
     */
    static final class SelectorIdle implements IdleStrategy {
        private static final int SPINS = 20;
        static final long YIELD_NANOS = 50_000;
        private final IoAgent agent;
        private int spins;
        private long yieldingSince;

        SelectorIdle(IoAgent agent) {
            this.agent = agent;
        }

        @Override
        public void idle(int workCount) {
            if (workCount > 0) {
                reset();
            } else {
                idle();
            }
        }

        @Override
        public void idle() {
            if (spins < SPINS) {
                spins++;
                Thread.onSpinWait();
                return;
            }
            long now = System.nanoTime();
            if (yieldingSince == 0) {
                yieldingSince = now;
            }
            if (now - yieldingSince < YIELD_NANOS) {
                Thread.yield();
            } else {
                agent.sleep();
            }
        }

        @Override
        public void reset() {
            spins = 0;
            yieldingSince = 0;
        }

        @Override
        public String alias() {
            return "selector-backoff";
        }
    }
}
