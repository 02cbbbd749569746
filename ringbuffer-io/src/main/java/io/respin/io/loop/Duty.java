package io.respin.io.loop;

import io.respin.io.handoff.SpinPolicy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.SelectionKey;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The duty: whoever holds it may touch the agent's state (links, engine connections, buffers, timer wheel). The IO
 * thread holds it always, except while it sleeps in the selector ({@link #sleep}); then a submitter may take it to
 * run the sending half of a pass itself ({@link #afterOffer}), and a synchronous submitter also reads its own reply
 * for a few tens of µs. Taking it (CAS) and giving it back (volatile write) are a happens-before pair that orders
 * everything the holders did, so duty-confined state needs no other synchronisation.
 * <pre>
 *   IO thread:   ... pass ─▶ idle ─▶ sleep: duty.set(false) ─▶ select ─▶ takeDuty (spin, yield) ─▶ pass ...
 *   submitter:   offer ─▶ sleeping? ─▶ CAS(false, true) ─▶ drain, encode, write [, read own reply] ─▶ set(false)
 *                                           └─ lost the race, or the pass needs the IO thread ─▶ selector.wakeup()
 * </pre>
 */
final class Duty {

    /** How long a synchronous submitter reads for its own reply before it hands the wait to the IO thread. */
    static final long REPLY_POLL_NANOS = 50_000;

    private final IoAgent agent;
    private final AtomicBoolean duty = new AtomicBoolean(true);
    /** IO thread only: whether it holds the duty now (false only inside {@link #sleep()}). */
    private boolean haveDuty = true;
    /** Any thread reads: the IO thread sets it around select; submitters look at it to decide whether to take the duty. */
    private volatile boolean sleeping;
    /** When the sleeping IO thread wakes at the latest (its select timeout); read by a submitter holding the duty. */
    long sleepUntil;
    private final boolean submitterWrites;
    private final Consumer<SelectionKey> onWake = this::onWake;
    /** Whether a sync submitter's poll for its own reply has paid lately (duty-confined: only the holder polls). */
    private final SpinPolicy replyPolicy = new SpinPolicy();
    /** The socket a submitter holding the duty waits on for its reply ({@link #lead}), or null. */
    private volatile io.respin.io.net.LinkSocket leading;
    /** Set by a thread that needs the duty while a submitter waits on {@link #leading}: it hands the duty over. */
    private volatile boolean wanted;
    /** A command sent within this long after its link's last reply comes from a closed loop ({@link #backToBack}). */
    static final long BACK_TO_BACK_NANOS = 20_000;
    /** The longest a caller waits for its reply on the socket's own selector before the IO thread takes over. */
    static final long LEAD_MAX_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    Duty(IoAgent agent, boolean submitterWrites) {
        this.agent = agent;
        this.submitterWrites = submitterWrites;
    }

    /** True while the IO thread sleeps in the selector. */
    boolean isSleeping() {
        return sleeping;
    }

    /**
     * After a command was offered: when the IO thread sleeps in the selector with nothing in flight, send the
     * queue's commands from this thread instead of waking it (saves the wake-up, which on a small or virtualised
     * machine costs tens of µs before the command even reaches the socket); the IO thread still gets the replies,
     * woken by the socket.
     * When another thread holds the duty, or what was done needs the IO thread, wake it as before.
     */
    void afterOffer(Submission c) {
        if (!sleeping) {
            return; // awake: it drains the queue on its next pass
        }
        if (!submitterWrites || !duty.compareAndSet(false, true)) {
            io.respin.io.net.LinkSocket l = leading;
            if (l != null && submitterWrites) {
                // a caller holds the duty, waiting for its reply on its socket: it sends this command too, and reads
                // its reply (the IO thread sleeps on). Should it stop leading before it sees the command, it
                // finds it queued after clearing `leading` and wakes the IO thread (see lead)
                agent.commandsLeftToLeader.incrementAndGet();
                l.wakeLead();
                return;
            }
            askLeaderForDuty();
            agent.selector().wakeup();
            return;
        }
        boolean wake = true;
        Throwable bug = null;
        try {
            wake = agent.submitterPass();
            if (c.link != null) {
                c.link.callerWaitedLast = c.submitterWaits; // an async caller's link stays watched (see mayUnwatch)
            }
            if (!wake && c.submitterWaits && c.where == Submission.Where.IN_FLIGHT) {
                wake = awaitReply(c);
            }
            // replies the sleeping IO thread would not see (their link is unwatched) and nobody here waits for
            wake |= agent.unwatchedBusy();
        } catch (RuntimeException e) {
            bug = e;
        } catch (Error e) {
            agent.fatal(e); // the IO thread stops on its next pass and fails everything (see doWork)
            wake = true;
            bug = e;
        } finally {
            if (wake) {
                agent.submitterWakeups++;
            }
            duty.set(false);
            if (wake) {
                agent.selector().wakeup(); // before reporting: a throwing handler must not leave the IO thread asleep
            }
        }
        if (bug != null) {
            Thread t = Thread.currentThread();
            t.getUncaughtExceptionHandler().uncaughtException(t, bug);
        }
    }

    /**
     * A synchronous submitter that sent its own command keeps the duty a little longer and reads the reply itself:
     * a local server answers within tens of µs, and reading it here saves the IO thread's wake-up and the
     * hand-back to this thread — the round trip then costs what a blocking client's does. Polling stops when the
     * command is done, when another command is submitted (the IO thread takes over and batches), or after
     * {@link #REPLY_POLL_NANOS}; then the caller waits as usual. It polls only in a closed loop ({@link #backToBack})
     * and while polling pays ({@link SpinPolicy}): a caller at its own pace, or replies that lately came later than
     * the poll lasts (a remote server, a loaded machine), hand the wait to the IO thread at once. Returns true when
     * the IO thread must wake.
     */
    private boolean awaitReply(Submission s) {
        Link l = s.link;
        if (l.socket != null && !l.socket.readsWatched() && !Thread.currentThread().isVirtual()) {
            return lead(s, l);
        }
        if (!backToBack(l) || !replyPolicy.spin()) {
            // a caller at its own pace, or replies that lately took longer than the poll (a remote server, a loaded
            // machine): polling would only burn this core; hand the wait to the IO thread's select at once
            return !l.writer.sentEverything() || agent.leftForThread();
        }
        long start = agent.now;
        wanted = false;
        // done: its outcome was published on this thread, inside readBuffered (the duty is ours: nobody else ends it);
        // wanted: the IO thread woke (another socket, a deadline) and waits for the duty: give it up at once
        while (s.where != Submission.Where.DONE && agent.submitsEmpty() && !wanted
                && agent.now - start < REPLY_POLL_NANOS) {
            Thread.onSpinWait();
            agent.now = System.nanoTime();
            l.readBuffered(agent.now);
        }
        if (s.where == Submission.Where.DONE) {
            agent.repliesReadBySubmitter++;
            replyPolicy.caught();
        } else if (agent.submitsEmpty() && !wanted) {
            replyPolicy.missed(); // the poll ran out (not cut short by other commands or the IO thread)
        }
        agent.flushDirty(); // a read can produce writes (none in normal operation)
        // not done yet: the IO thread's select watches the socket and wakes for the rest of the reply
        return !l.writer.sentEverything() || agent.leftForThread();
    }

    /**
     * The IO thread sleeps without watching this link's reads ({@link IoAgent#unwatchIdleLinks}): the submitter,
     * holding the duty, waits for its reply on the socket's own selector — blocked, not spinning, and the one thread
     * the reply wakes (as a blocking client's read). It reads the reply itself. It hands the duty and the socket over
     * to the IO thread when another thread needs the duty ({@link #wanted}: a submitter, the IO thread's own wake-up),
     * when more commands are queued, after {@link #LEAD_MAX_NANOS}, or at the command's deadline. Returns true when
     * the IO thread must wake.
     */
    private boolean lead(Submission s, Link l) {
        io.respin.io.net.LinkSocket socket = l.socket;
        long until = Math.min(s.deadlineNanos(), agent.now + LEAD_MAX_NANOS);
        Thread me = Thread.currentThread();
        try {
            socket.prepareLead();
        } catch (IOException e) {
            // no selector to wait on (out of file descriptors): the connection is fine, the IO thread waits instead
            socket.watchReads(true);
            return true;
        }
        try {
            wanted = false;
            leading = socket;
            if (backToBack(l) && replyPolicy.spin()) {
                // a closed loop whose replies have lately come within the poll (a local server): read for them
                // before blocking, as the poll path does, rather than pay a wake-up of this thread for each
                long start = System.nanoTime();
                agent.now = start;
                while (s.where != Submission.Where.DONE && agent.submitsEmpty() && !wanted && l.socket == socket
                        && agent.now - start < REPLY_POLL_NANOS && !me.isInterrupted()) {
                    Thread.onSpinWait();
                    agent.now = System.nanoTime();
                    l.readBuffered(agent.now);
                    agent.leadSpinReads++;
                }
                if (s.where == Submission.Where.DONE) {
                    replyPolicy.caught();
                } else if (agent.submitsEmpty() && !wanted) {
                    replyPolicy.missed();
                }
            }
            // an interrupted thread's select returns at once: leave the wait to the IO thread rather than spin
            while (s.where != Submission.Where.DONE && !wanted && l.socket == socket
                    && until - agent.now > 0 && !me.isInterrupted()) {
                boolean handOver = false;
                while (!handOver && !agent.submitsEmpty()) { // other submitters left their commands to this thread
                    handOver = agent.leaderPass(l, until);
                }
                if (handOver) {
                    break; // what they queued needs the IO thread: hand everything over
                }
                socket.awaitReadable(Math.max(1, TimeUnit.NANOSECONDS.toMillis(until - agent.now + 999_999)));
                agent.now = System.nanoTime();
                l.readBuffered(agent.now);
            }
        } catch (IOException e) {
            l.lost("connection to " + l.address() + " failed: " + e, e, agent.now);
        } finally {
            leading = null;
        }
        agent.flushDirty();
        if (l.socket != socket) {
            return true; // lost while waiting: the IO thread reconnects
        }
        if (s.where == Submission.Where.DONE) {
            agent.repliesReadBySubmitter++;
            agent.repliesAwaitedBySubmitter++;
            return !l.writer.sentEverything() || agent.leftForThread();
        }
        socket.watchReads(true); // the IO thread's next select watches the socket and reads the rest
        return true;
    }

    /**
     * Whether this command follows its link's last reply closely: a caller in a closed loop (a batch job, a
     * benchmark's round trip) comes back within a few µs, and for it the reply's wait is the time of its next command:
     * spinning through it buys throughput. A service sending at the rate of its own traffic comes back after a
     * pause; spinning through each round trip would cost it a round trip of CPU per command for a few tens of µs of
     * latency, where a blocking client's CPU is one wake-up: it blocks at once (issue 16: CPU per command at a fixed
     * rate no higher than Jedis's).
     */
    private boolean backToBack(Link l) {
        return agent.now - l.lastRead < BACK_TO_BACK_NANOS;
    }

    /** Another thread needs the duty: a submitter waiting on its socket gives it up at once. */
    private void askLeaderForDuty() {
        wanted = true; // a submitter polling for its reply (awaitReply) stops too
        io.respin.io.net.LinkSocket l = leading;
        if (l != null) {
            l.wakeLead();
        }
    }

    /** A socket is ready while the thread slept: take the duty back (a submitter may hold it briefly), then serve it. */
    private void onWake(SelectionKey k) {
        if (!haveDuty) {
            sleeping = false; // awake now: new submitters leave their commands to this thread, not compete for the duty
            takeDuty();
            agent.now = System.nanoTime();
        }
        agent.onKey(k);
    }

    private void takeDuty() {
        if (haveDuty) {
            return;
        }
        // a submitter holds it for one encode + write (or waits for its reply: ask it to hand over); spin, then
        // yield in case it was preempted on our core
        for (int i = 0; !duty.compareAndSet(false, true); i++) {
            if ((i & 15) == 0) {
                askLeaderForDuty(); // again and again: the holder may start waiting only after the first ask
            }
            if (i < 100) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
        haveDuty = true;
    }

    /** Sleeps in the selector until a socket is ready, a submitter wakes us, or the next deadline is due. */
    void sleep() {
        if (agent.hasBufferedInput()) {
            return; // TLS holds decrypted bytes no socket event will announce: no sleeping
        }
        long timeoutMs;
        if (agent.deadlines().pending() > 0) {
            timeoutMs = 1;
        } else {
            long now = System.nanoTime();
            long untilMaintenance = TimeUnit.NANOSECONDS.toMillis(agent.nextMaintenance - now);
            // idle: links that answered lately are left to the next caller's own wait (see lead); watched again
            // when the sleep ends, or once they have been idle for UNWATCHED_FOR
            long untilWatch = submitterWrites ? agent.unwatchIdleLinks(now) : Long.MAX_VALUE;
            if (untilWatch != Long.MAX_VALUE) {
                untilMaintenance = Math.min(untilMaintenance, TimeUnit.NANOSECONDS.toMillis(untilWatch + 999_999));
            }
            timeoutMs = Math.max(1, Math.min(1000, untilMaintenance));
        }
        sleepUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        sleeping = true;
        haveDuty = false;
        duty.set(false); // from here until takeDuty() a submitter may send its own commands
        try {
            // re-check after announcing sleep: a submitter that raced with us either saw sleeping or we see its item
            if (agent.nothingQueued()) {
                agent.selector().select(onWake, timeoutMs);
                agent.selectWakes++;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the IO thread's selector failed", e);
        } catch (Error e) {
            agent.fatal(e); // links are served from the select action: the next doWork stops the loop
        } finally {
            sleeping = false;
            takeDuty();
            agent.rewatch();
        }
    }
}
