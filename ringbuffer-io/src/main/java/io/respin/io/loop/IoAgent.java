package io.respin.io.loop;

import io.respin.RedisCancelledException;
import io.respin.RedisConnectionException;
import io.respin.RedisException;
import io.respin.RedisTimeoutException;
import io.respin.io.handoff.Completions;
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
 * <p>The agent's state belongs to whoever holds the <em>duty</em> ({@link Duty}): the IO thread, except while it
 * sleeps in the selector. A submitter that finds it asleep takes the duty and runs the sending half of a pass
 * itself ({@link #submitterPass}); a synchronous submitter then also reads its own reply for a few tens of µs. At
 * low and moderate rates a command thus goes out and comes back without a thread hand-off; under load the IO
 * thread is awake and batches.
 * <pre>
 *   submit ─▶ queue ─▶ IO thread awake?  yes ─▶ it drains, encodes, writes (one write per batch)
 *                                        no  ─▶ submitter takes the duty: drain, encode, write
 *                                                 └─ sync: read the reply here (≤ 50 µs), else the IO thread does
 * </pre>
 */
public final class IoAgent implements Agent {

    private final Tuning settings;
    private final Selector selector;
    private final MpscAtomicArrayQueue<Submission> submits;
    /** Any thread offers (connect, close, cancel, drain checks); only the duty holder's IO thread runs them. */
    private final Queue<Runnable> control = new ConcurrentLinkedQueue<>();
    private final Deadlines deadlines;
    private final Completions completions;
    // duty-confined: the links, those with bytes to flush, those whose transport holds decrypted input
    private final ArrayList<Link> links = new ArrayList<>();
    private final ArrayList<LinkWriter> dirty = new ArrayList<>();
    private final ArrayList<Link> readAgain = new ArrayList<>();
    private final Consumer<SelectionKey> onKey = this::onKey;
    private final Deadlines.Expiry onExpiry = this::expired;
    /** Any thread: set by requestClose(); the IO thread ends its loop when it sees it. */
    private volatile boolean closing;
    private final Duty duty;
    /** Set during a submitter's pass when what it did needs the IO thread soon (see {@link #submitterPass()}). */
    private boolean needsThread;
    /**
     * How long an idle pass may skip {@code selectNow} (BACKOFF only): with nothing in flight no reply can come, so
     * the idle spin watches only the queues, without a system call per turn; pushes and closes wait at most this
     * long, or until the thread sleeps in the selector, which watches everything.
     */
    private static final long POLL_GAP_NANOS = 50_000;
    /** Duty-confined: the pass's clock (the holder refreshes it when it takes the duty). */
    long now;
    /** Socket writes so far (duty holder; tests read it to see auto-pipelining at work). */
    public long socketWrites;
    /** Submitter passes so far, and sync commands whose reply their submitter read (duty holder; for tests). */
    public long submitterPasses;
    /** Socket reads that returned no bytes (duty holder; a test shows a reply costs one read, not two). */
    public long emptyReads;
    /** Returns from the sleeping select (a socket, a submitter, a deadline). */
    public long selectWakes;
    /** Reads of a leading submitter's spin before it blocks on its socket ({@link Duty}); for tests. */
    public long leadSpinReads;
    /** Passes that polled the sockets with {@code selectNow} (duty holder; a test shows the idle spin skips them). */
    public long selectNows;
    /** Submitter passes that ended by waking the sleeping IO thread (they left it work). */
    public long submitterWakeups;
    /** Commands a submitter left to a caller waiting on its socket (Duty.lead) instead of waking the IO thread. */
    public final java.util.concurrent.atomic.AtomicLong commandsLeftToLeader = new java.util.concurrent.atomic.AtomicLong();
    public long repliesReadBySubmitter;
    /** Of those, replies a submitter waited for blocked on the socket's own selector (Duty#lead), not spinning. */
    public long repliesAwaitedBySubmitter;
    // IO thread only (its own passes, never a submitter's): when links need maintenance, when it last polled
    long nextMaintenance;
    private long lastPoll;
    private final long pollGapNanos;

    IoAgent(Tuning settings, Completions completions) {
        this.settings = settings;
        this.completions = completions;
        this.submits = new MpscAtomicArrayQueue<>(settings.submitQueueCapacity());
        this.now = System.nanoTime();
        this.deadlines = new Deadlines(now, onExpiry);
        this.duty = new Duty(this, settings.submitterWrites() && !settings.busySpin());
        this.pollGapNanos = settings.busySpin() ? 0 : POLL_GAP_NANOS;
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

    Tuning settings() { return settings; }

    Selector selector() { return selector; }

    Deadlines deadlines() { return deadlines; }

    Completions completions() { return completions; }

    Duty duty() { return duty; }

    /** The pass's clock (duty holder). */
    public long now() { return now; }

    // ------------------------------------------------------------------ from other threads

    boolean offer(Submission c) {
        return submits.offer(c);
    }

    void control(Runnable task) {
        control.add(task);
        wakeUp();
    }

    /** Work only the IO thread does, which a submitter's pass must not leave sleeping. */
    boolean leftForThread() {
        return !submits.isEmpty() || !control.isEmpty() || !readAgain.isEmpty() || completions.hasOverflow();
    }

    /**
     * The sending half of a pass, run by a submitter holding the duty while the IO thread sleeps: drain the submit
     * queue, encode, write. Returns true when the IO thread must wake: something did not go straight out on a ready
     * connection (a partial write, a connection to set up, a command waiting for one), more work arrived, or a new
     * deadline falls before the sleeper's wake-up time.
     */
    boolean submitterPass() {
        if (closing || !control.isEmpty() || deadlines.pending() > 0) {
            // commands in flight: their replies wake the IO thread soon anyway, and it sends what queued up in one
            // write; sending here would cost a write per command and take the pipelining away. Control tasks
            // (a dedicated connection handed back, a close) come first, as on the IO thread's own pass.
            return true;
        }
        now = System.nanoTime();
        needsThread = false;
        submitterPasses++;
        // the sleeping IO thread does not watch these: a close (or a stray push) that came since their last reply
        // is read now, before a command is written to a socket the server has already closed
        for (int i = 0; i < unwatched.size(); i++) {
            Link l = unwatched.get(i);
            if (l.socket != null && !l.socket.readsWatched()) {
                l.readBuffered(now);
            }
        }
        drainSubmits();
        flushNotingUnsent();
        return needsThread || leftForThread();
    }

    /**
     * Run by a caller that waits for its reply on {@code mine}'s socket ({@link Duty#lead}) when other submitters
     * queued commands meanwhile and left them to it: drain, encode and write them from here, so the IO thread sleeps
     * on and their replies are read by the same waiting thread. Returns true when the IO thread must take over:
     * control tasks or a close, a command for another link or one waiting for a connection, a deadline before
     * {@code leadUntil} (the wait's end: the lead does not watch deadlines), a write that did not go out whole.
     */
    boolean leaderPass(Link mine, long leadUntil) {
        if (closing || !control.isEmpty()) {
            return true;
        }
        now = System.nanoTime();
        needsThread = false;
        submitterPasses++;
        int limit = settings.batchLimit();
        Submission c;
        for (int n = 0; n < limit && (c = submits.poll()) != null; n++) {
            routeSafely(c);
            if (c.where != Submission.Where.DONE && (c.link != mine || c.deadlineNanos() - leadUntil < 0)) {
                needsThread = true;
            }
        }
        flushNotingUnsent();
        return needsThread;
    }

    /** A submitter's flush of every link it wrote to: a write that did not go out whole needs the IO thread. */
    private void flushNotingUnsent() {
        for (int i = 0; i < dirty.size(); i++) {
            LinkWriter w = dirty.get(i);
            w.flushSafely(now);
            needsThread |= !w.sentEverything();
        }
        dirty.clear();
    }

    /** Wakes the IO thread if it sleeps in the selector; free when it does not. */
    void wakeUp() {
        if (duty.isSleeping()) {
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

    /** An Error on the duty holder's watch: the IO thread stops on its next pass (see {@link #doWork}). */
    void fatal(Error e) {
        fatal = e;
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
            selectNows++;
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

    int drainSubmits() {
        int limit = settings.batchLimit();
        int n = 0;
        Submission c;
        while (n < limit && (c = submits.poll()) != null) {
            n++;
            routeSafely(c);
        }
        return n;
    }

    private void routeSafely(Submission c) {
        try {
            route(c);
        } catch (RuntimeException e) {
            stranded(c, e);
        }
    }

    /** A bug on the way to the socket: end the command now rather than at its deadline, and make it visible. */
    private void stranded(Submission c, RuntimeException e) {
        needsThread = true; // on a submitter's pass: its deadline must be watched, no reply will come
        if (c.where == Submission.Where.SUBMIT_QUEUE) { // elsewhere it has a place and its deadline ends it
            finish(c, new RedisException("respin failed to send " + c.name() + " (an internal error: " + e
                    + "); the command was not sent", e));
        }
        Thread t = Thread.currentThread();
        t.getUncaughtExceptionHandler().uncaughtException(t, e);
    }

    private void route(Submission c) {
        if (c.cancelRequested) {
            c.cancelRequested = false;
            finish(c, new RedisCancelledException(c.name() + " was cancelled before it was sent"));
            return;
        }
        Endpoint e = c.endpoint;
        if (e.isClosed()) {
            finish(c, new RedisConnectionException(c.name() + " was not sent: the endpoint for " + e.target().name()
                    + " is closed", false));
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
            l.writer.enqueue(c);
            needsThread |= c.where == Submission.Where.WAITING;
        }
        needsThread |= c.deadlineNanos() - duty.sleepUntil < 0;
    }

    int flushDirty() {
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

    void onKey(SelectionKey k) {
        // woken from select, onWake refreshed the clock before this
        ((Link) k.attachment()).onSelected(k, now);
    }

    private int maintain() {
        int work = 0;
        long next = now + TimeUnit.MILLISECONDS.toNanos(100);
        for (int i = 0; i < links.size(); i++) {
            Link l = links.get(i);
            if (l.state == Link.State.READY) {
                work += l.liveness.checkIdle(now);
                work += l.liveness.checkRunawayReply(now);
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

    // ------------------------------------------------------------------ reads a caller waits for itself

    /**
     * How long after its last reply an idle shared link stays unwatched by the sleeping IO thread: a caller that
     * sends a command within this time waits for the reply on the socket's own selector (one wake-up, its own),
     * and the reply does not wake the IO thread as well. A server's close of an idle link is seen at most this late.
     */
    static final long UNWATCHED_FOR_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    /** {@link #UNWATCHED_FOR_NANOS}, which a test may raise to see that nothing else relies on the re-watch. */
    public volatile long unwatchedForNanos = UNWATCHED_FOR_NANOS;
    /** Duty-confined: the links whose reads the current sleep does not watch. */
    private final ArrayList<Link> unwatched = new ArrayList<>();

    /**
     * Before a sleep with nothing in flight: stops watching the reads of the shared links that answered within
     * {@link #UNWATCHED_FOR_NANOS}. Returns the nanoseconds until the first of them should be watched again, or
     * {@code Long.MAX_VALUE}.
     */
    long unwatchIdleLinks(long now) {
        long next = Long.MAX_VALUE;
        long unwatchedFor = unwatchedForNanos;
        for (int i = 0; i < links.size(); i++) {
            Link l = links.get(i);
            long idle = now - l.lastRead;
            if (l.mayUnwatch() && idle < unwatchedFor) {
                l.socket.watchReads(false);
                unwatched.add(l);
                next = Math.min(next, unwatchedFor - idle);
            }
        }
        return next;
    }

    /**
     * After a submitter's pass: true when an unwatched link has commands in flight that no caller waits for on
     * the socket (async commands, a caller that did not wait there): the IO thread must wake and watch it.
     */
    boolean unwatchedBusy() {
        boolean busy = false;
        for (int i = 0; i < unwatched.size(); i++) {
            Link l = unwatched.get(i);
            if (l.socket != null && !l.socket.readsWatched() && l.inFlight > 0) {
                l.socket.watchReads(true); // applied by the select the wake-up starts
                busy = true;
            }
        }
        return busy;
    }

    /** After a sleep: every link's reads are watched again (takes effect at the next select, no system call). */
    void rewatch() {
        for (int i = 0; i < unwatched.size(); i++) {
            Link l = unwatched.get(i);
            if (l.socket != null) {
                l.socket.watchReads(true);
            }
        }
        unwatched.clear();
    }

    // ------------------------------------------------------------------ used by links and endpoints

    void dirty(LinkWriter w) {
        dirty.add(w);
    }

    void readAgain(Link l) {
        readAgain.add(l);
    }

    /** A link needs {@link #maintain} by {@code due} (a reconnect): brings the next maintenance forward to it. */
    void maintainBy(long due) {
        if (due - nextMaintenance < 0) {
            nextMaintenance = due;
        }
    }

    void addLink(Link l) {
        links.add(l);
        nextMaintenance = now; // a new link needs its connect deadline watched
    }

    void removeLink(Link l) {
        links.remove(l);
    }

    /** Ends {@code c} with {@code error}, wherever it is. */
    void finish(Submission c, RedisException error) {
        deadlines.cancel(c);
        c.fail(error);
    }

    private void expired(Submission c) {
        long ms = TimeUnit.NANOSECONDS.toMillis(c.effectiveTimeoutNanos());
        boolean sent = c.where == Submission.Where.IN_FLIGHT;
        RedisException down = !sent && c.link != null ? c.link.downBecause() : null;
        String where = sent && c.link != null && c.link.writer.isStreaming(c) ? " (it was half-written when its deadline "
                + "came: the connection is closed so that the server never runs half a command; it did not run)"
                : sent ? " (it was sent and may have run; a late reply will be discarded)"
                : down != null ? " (it was never sent: the connection to " + c.endpoint.target().address() + " was down: "
                + down.getMessage() + ")"
                : c.link == null && c.where == Submission.Where.WAITING ? " (it was never sent: it waited for one of the "
                + c.endpoint.target().maxDedicatedConnections() + " dedicated connections, all in use; raise "
                + "RedisClientBuilder.maxDedicatedConnections(n))"
                : " (it was never sent: the connection was not available)";
        RedisTimeoutException timeout = new RedisTimeoutException(c.name() + " got no reply within its timeout of "
                + ms + " ms" + where + "; raise RedisClientBuilder.commandTimeout(..) or the URI's ?timeout= "
                + "(IoCommand.timeout(..) for one command, IoSettings.Builder.commandTimeout when embedding the IO layer)",
                down);
        end(c, timeout, true);
    }

    private void end(Submission c, RedisException why, boolean timedOut) {
        Link l = c.link;
        if (l != null) {
            l.end(c, why, timedOut);
        } else {
            if (c.where == Submission.Where.WAITING && c.endpoint != null) {
                c.endpoint.pool().removeWaiting(c);
            }
            finish(c, why);
        }
    }

    /**
     * Control task: end {@code c} now if it is still the submission {@code generation} (it may have completed, or
     * even been submitted again, since its caller asked). Still in the submit queue, it is marked and failed unsent
     * when the queue reaches it.
     */
    void cancel(Submission c, int generation) {
        if (!c.isPending() || c.generation() != generation) {
            return;
        }
        if (c.where == Submission.Where.SUBMIT_QUEUE) {
            c.cancelRequested = true;
            return;
        }
        boolean sent = c.where == Submission.Where.IN_FLIGHT;
        end(c, new RedisCancelledException(c.name() + " was cancelled" + (sent
                ? " after it was sent: it may have run; its reply will be discarded"
                : " before it was sent")), false);
    }

    // ------------------------------------------------------------------ idling and closing

    /** True while the IO thread sleeps in the selector (tests wait for it). */
    public boolean isSleeping() {
        return duty.isSleeping();
    }

    /** A transport holds decrypted bytes no socket event will announce (TLS): the thread must not sleep. */
    boolean hasBufferedInput() {
        return !readAgain.isEmpty();
    }

    /** Nothing waits in the queues and no close was asked for: the thread may sleep in the selector. */
    boolean nothingQueued() {
        return submits.isEmpty() && control.isEmpty() && !closing;
    }

    boolean submitsEmpty() {
        return submits.isEmpty();
    }

    /** True when no command is queued or pending anywhere (every pending command has a deadline timer). */
    boolean isIdle() {
        return submits.isEmpty() && deadlines.pending() == 0;
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
        Submission c;
        while ((c = submits.poll()) != null) {
            c.fail(new RedisConnectionException(c.name() + " was not sent: " + why.getMessage(), false, why.getCause()));
        }
    }
}
