package io.respin.io;

import io.respin.RedisCancelledException;
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
import java.util.concurrent.atomic.AtomicBoolean;
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
 *   <li>{@code selectNow} (skipped on idle turns with nothing in flight): connect completions, writable sockets, and
 *       reads, parsed in place;</li>
 *   <li>flush again (reads can produce writes: handshakes, pooled links handed on);</li>
 *   <li>expire deadlines; reconnect links whose backoff is over; move held-back completions on.</li>
 * </ol>
 * The return value is the amount of work done, so the idle strategy can back off when there is none.
 *
 * <p>The agent's state belongs to whoever holds the <em>duty</em>: the IO thread, except while it sleeps in the
 * selector. A submitter that finds it asleep takes the duty and runs the sending half of a pass itself; a
 * synchronous submitter then also reads its own reply for a few tens of µs. At low and moderate rates a command
 * thus goes out and comes back without a thread hand-off; under load the IO thread is awake and batches.
 * <pre>
 *   submit ─▶ queue ─▶ IO thread awake?  yes ─▶ it drains, encodes, writes (one write per batch)
 *                                        no  ─▶ submitter takes the duty: drain, encode, write
 *                                                 └─ sync: read the reply here (≤ 50 µs), else the IO thread does
 * </pre>
 */
final class IoAgent implements Agent {

    private final IoSettings settings;
    private final Selector selector;
    private final MpscAtomicArrayQueue<IoCommand> submits;
    /** Any thread offers (connect, close, cancel, drain checks); only the duty holder's IO thread runs them. */
    private final Queue<Runnable> control = new ConcurrentLinkedQueue<>();
    private final Deadlines deadlines;
    private final Completions completions;
    // duty-confined: the links, those with bytes to flush, those whose transport holds decrypted input
    private final ArrayList<Link> links = new ArrayList<>();
    private final ArrayList<Link> dirty = new ArrayList<>();
    private final ArrayList<Link> readAgain = new ArrayList<>();
    private final Consumer<SelectionKey> onKey = this::onKey;
    private final Deadlines.Expiry onExpiry = this::expired;
    /** Any thread reads: the IO thread sets it around select; submitters look at it to decide whether to take the duty. */
    private volatile boolean sleeping;
    /** Any thread: set by requestClose(); the IO thread ends its loop when it sees it. */
    private volatile boolean closing;
    /**
     * The duty: whoever holds it may touch the agent's state (links, engine connections, buffers, timer wheel).
     * The IO thread holds it always, except while it sleeps in the selector; then a submitter may take it to run
     * the sending half of a pass itself ({@link #afterOffer(IoCommand)}). Taking and releasing it orders everything the
     * holders did (the CAS and the volatile release are a happens-before pair).
     */
    private final AtomicBoolean duty = new AtomicBoolean(true);
    /** IO thread only: whether it holds the duty now (false only inside {@link #sleep()}). */
    private boolean haveDuty = true;
    /** When the sleeping IO thread wakes at the latest (its select timeout); read by a submitter holding the duty. */
    private long sleepUntil;
    /** Set during a submitter's pass when what it did needs the IO thread soon (see {@link #submitterPass()}). */
    private boolean needsThread;
    private final boolean submitterWrites;
    private final Consumer<SelectionKey> onWake = this::onWake;
    /** How long a synchronous submitter reads for its own reply before it hands the wait to the IO thread. */
    static final long REPLY_POLL_NANOS = 50_000;
    /**
     * How long an idle pass may skip {@code selectNow} (BACKOFF only): with nothing in flight no reply can come, so
     * the idle spin watches only the queues, without a system call per turn; pushes and closes wait at most this
     * long, or until the thread sleeps in the selector, which watches everything.
     */
    private static final long POLL_GAP_NANOS = 50_000;
    /** Duty-confined: the pass's clock (the holder refreshes it when it takes the duty). */
    private long now;
    /** Socket writes so far (duty holder; tests read it to see auto-pipelining at work). */
    long socketWrites;
    /** Submitter passes so far, and sync commands whose reply their submitter read (duty holder; for tests). */
    long submitterPasses;
    long repliesReadBySubmitter;
    // IO thread only (its own passes, never a submitter's): when links need maintenance, when it last polled
    private long nextMaintenance;
    private long lastPoll;
    private final long pollGapNanos;

    IoAgent(IoSettings settings, Completions completions) {
        this.settings = settings;
        this.completions = completions;
        this.submits = new MpscAtomicArrayQueue<>(settings.submitQueueCapacity());
        this.now = System.nanoTime();
        this.deadlines = new Deadlines(now, onExpiry);
        this.submitterWrites = settings.submitterWrites() && settings.idleStrategy() == IoSettings.Idle.BACKOFF;
        this.pollGapNanos = settings.idleStrategy() == IoSettings.Idle.BUSY_SPIN ? 0 : POLL_GAP_NANOS;
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

    /**
     * After a command was offered: when the IO thread sleeps in the selector with nothing in flight, send the
     * queue's commands from this thread instead of waking it (saves the wake-up, which on a small or virtualised
     * machine costs tens of µs before the command even reaches the socket); the IO thread still gets the replies,
     * woken by the socket.
     * When another thread holds the duty, or what was done needs the IO thread, wake it as before.
     */
    void afterOffer(IoCommand c) {
        if (!sleeping) {
            return; // awake: it drains the queue on its next pass
        }
        if (!submitterWrites || !duty.compareAndSet(false, true)) {
            selector.wakeup();
            return;
        }
        boolean wake = true;
        Throwable bug = null;
        try {
            wake = submitterPass();
            if (!wake && c instanceof SyncCommand s && s.where == IoCommand.Where.IN_FLIGHT) {
                wake = awaitReply(s);
            }
        } catch (RuntimeException e) {
            bug = e;
        } catch (Error e) {
            fatal = e; // the IO thread stops on its next pass and fails everything (see doWork)
            wake = true;
            bug = e;
        } finally {
            duty.set(false);
            if (wake) {
                selector.wakeup(); // before reporting: a throwing handler must not leave the IO thread asleep
            }
        }
        if (bug != null) {
            Thread t = Thread.currentThread();
            t.getUncaughtExceptionHandler().uncaughtException(t, bug);
        }
    }

    /** Work only the IO thread does, which a submitter's pass must not leave sleeping. */
    private boolean leftForThread() {
        return !submits.isEmpty() || !control.isEmpty() || !readAgain.isEmpty() || completions.hasOverflow();
    }

    /**
     * The sending half of a pass, run by a submitter holding the duty while the IO thread sleeps: drain the submit
     * queue, encode, write. Returns true when the IO thread must wake: something did not go straight out on a ready
     * connection (a partial write, a connection to set up, a command waiting for one), more work arrived, or a new
     * deadline falls before the sleeper's wake-up time.
     */
    private boolean submitterPass() {
        if (closing || !control.isEmpty() || deadlines.pending() > 0) {
            // commands in flight: their replies wake the IO thread soon anyway, and it sends what queued up in one
            // write; sending here would cost a write per command and take the pipelining away. Control tasks
            // (a dedicated connection handed back, a close) come first, as on the IO thread's own pass.
            return true;
        }
        now = System.nanoTime();
        needsThread = false;
        submitterPasses++;
        drainSubmits();
        for (int i = 0; i < dirty.size(); i++) {
            Link l = dirty.get(i);
            l.flushSafely(now);
            needsThread |= !l.sentEverything();
        }
        dirty.clear();
        return needsThread || leftForThread();
    }

    /**
     * A synchronous submitter that sent its own command keeps the duty a little longer and reads the reply itself:
     * a local server answers within tens of µs, and reading it here saves the IO thread's wake-up and the
     * hand-back to this thread — the round trip then costs what a blocking client's does. Polling stops when the
     * command is done, when another command is submitted (the IO thread takes over and batches), or after
     * {@link #REPLY_POLL_NANOS}; then the caller waits as usual. Returns true when the IO thread must wake.
     */
    private boolean awaitReply(SyncCommand s) {
        Link l = s.link;
        long start = now;
        while (!s.isDone() && submits.isEmpty() && now - start < REPLY_POLL_NANOS) {
            Thread.onSpinWait();
            now = System.nanoTime();
            l.readBuffered(now);
        }
        if (s.isDone()) {
            repliesReadBySubmitter++;
        }
        flushDirty(); // a read can produce writes (none in normal operation)
        // not done yet: the IO thread's select watches the socket and wakes for the rest of the reply
        return !l.sentEverything() || leftForThread();
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

    /**
     * An {@link Error} on the IO thread (a bug, a StackOverflowError, an OutOfMemoryError outside the buffers, which
     * fail only their connection) leaves the agent's state in doubt: the loop stops, {@link #onClose()} fails every
     * pending command with {@link #death()}, and the runtime refuses later ones at once. Set by the duty holder.
     */
    private volatile Throwable fatal;

    @Override
    public int doWork() throws IOException {
        Throwable f = fatal;
        if (f != null) {
            throw new AgentTerminationException(f); // a submitter's pass hit it and woke us
        }
        try {
            return pass();
        } catch (Error e) {
            fatal = e;
            throw new AgentTerminationException(e);
        }
    }

    /** The Error that stopped the IO thread, or null. */
    Throwable fatal() {
        return fatal;
    }

    /** What every command pending when the IO thread died, and every later one, fails with. */
    RedisConnectionException death() {
        Throwable f = fatal;
        return new RedisConnectionException("the IoRuntime's IO thread " + settings.threadName() + " stopped after an "
                + "unexpected " + f + "; every pending command failed with this, and later ones fail at once: close "
                + "this client and create a new one (and report the error)", true, f);
    }

    private int pass() throws IOException {
        now = System.nanoTime();
        int work = runControl();
        if (closing) {
            throw new AgentTerminationException("IoRuntime closed");
        }
        work += drainSubmits();
        work += flushDirty();
        if (work > 0 || deadlines.pending() > 0 || now - lastPoll >= pollGapNanos) {
            lastPoll = now;
            work += selector.selectNow(onKey);
        }
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
        needsThread = true; // on a submitter's pass: its deadline must be watched, no reply will come
        if (c.where == IoCommand.Where.SUBMIT_QUEUE) { // elsewhere it has a place and its deadline ends it
            finish(c, new io.respin.RedisException("respin failed to send " + c.name() + " (an internal error: " + e
                    + "); the command was not sent", e));
        }
        Thread t = Thread.currentThread();
        t.getUncaughtExceptionHandler().uncaughtException(t, e);
    }

    private void route(IoCommand c) {
        if (c.cancelRequested) {
            c.cancelRequested = false;
            finish(c, new RedisCancelledException(c.name() + " was cancelled before it was sent"));
            return;
        }
        RedisEndpoint e = c.endpoint;
        if (e.isClosed()) {
            finish(c, new RedisConnectionException(c.name() + " was not sent: the endpoint for " + e.uri() + " is closed", false));
            return;
        }
        if (c.deadlineNanos() - now <= 0) {
            expired(c);
            return;
        }
        if (!c.unbounded) {
            deadlines.schedule(c);
        }
        Link l = e.route(c, this);
        if (l == null) {
            e.waitForLink(c);
            needsThread = true;
        } else {
            l.enqueue(c);
            needsThread |= c.where == IoCommand.Where.WAITING;
        }
        needsThread |= c.deadlineNanos() - sleepUntil < 0;
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

    /** A socket is ready while the thread slept: take the duty back (a submitter may hold it briefly), then serve it. */
    private void onWake(SelectionKey k) {
        if (!haveDuty) {
            sleeping = false; // awake now: new submitters leave their commands to this thread, not compete for the duty
            takeDuty();
            now = System.nanoTime();
        }
        onKey(k);
    }

    private void takeDuty() {
        if (haveDuty) {
            return;
        }
        // a submitter holds it for one encode + write; spin, then yield in case it was preempted on our core
        for (int i = 0; !duty.compareAndSet(false, true); i++) {
            if (i < 100) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
        haveDuty = true;
    }

    private void onKey(SelectionKey k) {
        // woken from select, onWake refreshed the clock before this
        ((Link) k.attachment()).onSelected(k, now);
    }

    private int maintain() {
        int work = 0;
        long next = now + TimeUnit.MILLISECONDS.toNanos(100);
        for (int i = 0; i < links.size(); i++) {
            Link l = links.get(i);
            if (l.state == Link.State.READY) {
                work += l.checkIdle(now);
                work += l.checkRunawayReply(now);
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
        RedisException down = !sent && c.link != null ? c.link.downBecause() : null;
        String where = sent && c.link != null && c.link.isStreaming(c) ? " (it was half-written when its deadline "
                + "came: the connection is closed so that the server never runs half a command; it did not run)"
                : sent ? " (it was sent and may have run; a late reply will be discarded)"
                : down != null ? " (it was never sent: the connection to " + c.endpoint.uri().address() + " was down: "
                + down.getMessage() + ")"
                : c.link == null && c.where == IoCommand.Where.WAITING ? " (it was never sent: it waited for one of the "
                + c.endpoint.options().maxDedicatedConnections() + " dedicated connections, all in use; raise "
                + "RedisClientBuilder.maxDedicatedConnections(n))"
                : " (it was never sent: the connection was not available)";
        RedisTimeoutException timeout = new RedisTimeoutException(c.name() + " got no reply within its timeout of "
                + ms + " ms" + where + "; raise RedisClientBuilder.commandTimeout(..) or the URI's ?timeout= "
                + "(IoCommand.timeout(..) for one command, IoSettings.Builder.commandTimeout when embedding the IO layer)",
                down);
        end(c, timeout, true);
    }

    private void end(IoCommand c, RedisException why, boolean timedOut) {
        Link l = c.link;
        if (l != null) {
            l.end(c, why, timedOut);
        } else {
            if (c.where == IoCommand.Where.WAITING && c.endpoint != null) {
                c.endpoint.removeWaiting(c);
            }
            finish(c, why);
        }
    }

    /**
     * Control task: end {@code c} now if it is still the submission {@code generation} (it may have completed, or
     * even been submitted again, since its caller asked). Still in the submit queue, it is marked and failed unsent
     * when the queue reaches it.
     */
    void cancel(IoCommand c, int generation) {
        if (!c.isPending() || c.generation() != generation) {
            return;
        }
        if (c.where == IoCommand.Where.SUBMIT_QUEUE) {
            c.cancelRequested = true;
            return;
        }
        boolean sent = c.where == IoCommand.Where.IN_FLIGHT;
        end(c, new RedisCancelledException(c.name() + " was cancelled" + (sent
                ? " after it was sent: it may have run; its reply will be discarded"
                : " before it was sent")), false);
    }

    // ------------------------------------------------------------------ idling and closing

    /** True while the IO thread sleeps in the selector (tests wait for it). */
    boolean isSleeping() {
        return sleeping;
    }

    /** True when no command is queued or pending anywhere (every pending command has a deadline timer). */
    boolean isIdle() {
        return submits.isEmpty() && deadlines.pending() == 0;
    }

    /** Sleeps in the selector until a socket is ready, a submitter wakes us, or the next deadline is due. */
    void sleep() {
        if (!readAgain.isEmpty()) {
            return; // TLS holds decrypted bytes no socket event will announce: no sleeping
        }
        long timeoutMs;
        if (deadlines.pending() > 0) {
            timeoutMs = 1;
        } else {
            long untilMaintenance = TimeUnit.NANOSECONDS.toMillis(nextMaintenance - System.nanoTime());
            timeoutMs = Math.max(1, Math.min(1000, untilMaintenance));
        }
        sleepUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        sleeping = true;
        haveDuty = false;
        duty.set(false); // from here until takeDuty() a submitter may send its own commands
        try {
            // re-check after announcing sleep: a submitter that raced with us either saw sleeping or we see its item
            if (submits.isEmpty() && control.isEmpty() && !closing) {
                selector.select(onWake, timeoutMs);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the IO thread's selector failed", e);
        } catch (Error e) {
            fatal = e; // links are served from the select action: the next doWork stops the loop
        } finally {
            sleeping = false;
            takeDuty();
        }
    }

    @Override
    public void onClose() {
        RedisConnectionException closed;
        if (fatal != null) {
            closed = death(); // control tasks are skipped: a connect waiting on one fails by its own timeout
        } else {
            runControl();
            closed = new RedisConnectionException("the IoRuntime was closed", false);
        }
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
            c.fail(new RedisConnectionException(c.name() + " was not sent: " + why.getMessage(), false, why.getCause()));
        }
    }

    /**
     * The default idle strategy: spin briefly; then, while commands are in flight or their callbacks are still
     * running on the completion thread (a callback often submits the next command), yield for up to
     * {@link #YIELD_NANOS} after the last work (a reply on a local network usually arrives within that, and catching
     * it here saves a selector wake-up); then sleep in the selector until a socket, a submitter or the next deadline
     * wakes the thread. With nothing in flight it sleeps right after the spin: no reply can come, and a submitter
     * that finds it asleep sends its command itself ({@link IoAgent#afterOffer}), so sleeping costs no latency.
     * (Yielding for 50 µs after every command had kept 1.2 cores busy at 10,000 commands/s on 2 cores.)
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
            if ((agent.deadlines.pending() > 0 || agent.completions.busy()) && now - yieldingSince < YIELD_NANOS) {
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
