package io.respin.io.loop;

import io.respin.RedisConnectionException;
import io.respin.io.handoff.Completions;
import io.respin.io.handoff.Pushes;
import io.respin.io.log.Log;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.AgentTerminationException;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

/**
 * A runtime's machinery behind {@code io.respin.io.IoRuntime}: the IO thread (an Agrona {@code AgentRunner} over
 * the {@link IoAgent}, idling by {@link SelectorIdle} or busy-spinning), the completion and push threads, the
 * {@link Admission} bound, and the way a command enters (submit) and everything leaves (close).
 * <pre>
 *   submit ─▶ refuse if dead/closed ─▶ arm ─▶ Admission.tryHold ─▶ agent.offer ─▶ Duty.afterOffer
 *   close  ─▶ agent.requestClose ─▶ runner.close (the IO thread fails what is pending) ─▶ drain what raced the stop
 *          ─▶ push thread (bounded wait) ─▶ completion thread (bounded wait)
 * </pre>
 * Thread-safe: {@link #closed} and {@link #draining} are volatile; {@link #stopped} is guarded by {@link #afterStop}.
 */
public final class Loop {

    private final Tuning settings;
    private final Completions completions;
    private final Pushes pushes;
    private final IoAgent agent;
    private final AgentRunner runner;
    private final Admission admission;
    /** Any thread: set once by close(); submit reads it before and after its offer. */
    private volatile boolean closed;
    /** Any thread: close(Duration) refuses new commands while the pending ones drain. */
    private volatile boolean draining;
    /**
     * True once the IO thread has ended: from then on the submit queue has no consumer but whoever holds
     * {@link #afterStop} (the closer, or a submitter that raced with the close), one at a time.
     */
    private boolean stopped;
    private final Object afterStop = new Object();
    /** The listener's adapter ({@link Tuning#probe()}), or null: read by every command as it ends. */
    final Probe probe;
    /** Tests only: runs between a submit's closed check and its offer, to widen that window on purpose. */
    public Runnable beforeOfferForTest;

    /** Starts the threads: the IO thread and the completion thread are running when this returns. */
    public Loop(Tuning settings) {
        this.settings = settings;
        this.probe = settings.probe();
        this.admission = new Admission(settings);
        this.completions = new Completions(settings.completionQueueCapacity(), settings.completionExecutor(),
                settings.threadName());
        this.pushes = new Pushes(settings.pushQueueCapacity(), settings.threadName());
        this.agent = new IoAgent(settings, completions);
        IdleStrategy idle = settings.busySpin() ? new BusySpinIdleStrategy() : new SelectorIdle(agent);
        this.runner = new AgentRunner(idle, this::onAgentError, null, agent);
        AgentRunner.startOnThread(runner, r -> {
            Thread t = new Thread(r, settings.threadName());
            t.setDaemon(true);
            return t;
        });
    }

    public Tuning settings() {
        return settings;
    }

    public IoAgent agent() {
        return agent;
    }

    public Admission admission() {
        return admission;
    }

    public Completions completions() {
        return completions;
    }

    Pushes pushes() {
        return pushes;
    }

    /** The IO thread (for tests that measure it). */
    public Thread ioThread() {
        return runner.thread();
    }

    /** Runs {@code task} on the IO thread, before its next pass's commands (cold path). */
    public void control(Runnable task) {
        agent.control(task);
    }

    /** An endpoint for {@code target}; its links open once {@link Endpoint#start} runs on the IO thread. */
    public Endpoint endpoint(Target target) {
        return endpoint(target, null);
    }

    /** {@link #endpoint(Target)}, with the object a {@link Probe} is told about for it ({@link Endpoint#face()}). */
    public Endpoint endpoint(Target target, Object face) {
        return new Endpoint(this, target, face);
    }

    /** True once {@link #close()} was called (whether or not the IO thread is alive). */
    public boolean closeCalled() {
        return closed;
    }

    /** True once {@link #close()} was called, or the IO thread stopped after an unexpected error. */
    public boolean isClosed() {
        return closed || agent.fatal() != null;
    }

    /** See {@code IoCommand.cancel()}: a cold path (allocates a control task). */
    void cancel(Submission c, int generation) {
        if (!closed) {
            control(() -> agent.cancel(c, generation));
        }
    }

    /** Throws the IO thread's death when it died (after finishing the stop); returns when it is alive. */
    public void refuseIfDead(Submission c) {
        if (agent.fatal() != null) {
            close(); // the IO thread died: finish stopping it (it has failed what was pending), then refuse
            RedisConnectionException death = agent.death();
            throw new RedisConnectionException(c.name() + " was not sent: " + death.getMessage(), false, death.getCause());
        }
    }

    /** Hands {@code c} to the IO thread for {@code endpoint} (and {@code lease}, for a dedicated connection). */
    public void submit(Submission c, Endpoint endpoint, Lease lease) {
        submit(c, endpoint, lease, true, System.nanoTime());
    }

    /**
     * Hands a batch to the IO thread with one wake-up: each is queued as {@link #submit} does, and only after the
     * last does the IO thread (or this thread, holding the duty) look at the queue, so that the whole batch is
     * encoded into one write. A command that cannot be queued (backpressure, closed) goes to {@code refused} with
     * the reason and the others go on; returns how many were queued.
     */
    public <S extends Submission> int submitAll(List<S> batch, Endpoint endpoint, Lease lease,
                                                java.util.function.BiConsumer<S, RuntimeException> refused) {
        Submission last = null;
        int queued = 0;
        long now = System.nanoTime(); // one submit time for the batch: a clock read per command was ~3% of its CPU
        for (S c : batch) {
            try {
                if (submit(c, endpoint, lease, false, now)) {
                    now = System.nanoTime(); // it waited for room: the rest are submitted later
                }
                last = c;
                queued++;
            } catch (RuntimeException e) {
                refused.accept(c, e);
            }
        }
        if (last != null) {
            afterOffers(last);
        }
        return queued;
    }

    /** Returns true when the command had to wait for room (backpressure) before it was queued. */
    private boolean submit(Submission c, Endpoint endpoint, Lease lease, boolean wake, long now) {
        refuseIfDead(c);
        if (closed || draining) {
            throw new RedisConnectionException(c.name() + " was not sent: the IoRuntime is "
                    + (closed ? "closed" : "shutting down"), false);
        }
        c.arm(endpoint, lease, now, endpoint.target().defaultTimeoutNanos());
        long weight = Math.max(0, c.weight());
        int refusal = admission.tryHold(weight);
        boolean waited = refusal != Admission.ROOM;
        if (waited) {
            admission.awaitRoom(c, weight, refusal, this); // returns holding a place, or throws having disarmed c
        }
        c.heldBytes = weight;
        c.counted = true; // published with the offer: the IO thread gives the place back when c ends
        if (probe != null && probe.wantsStart()) {
            started(c, endpoint);
        }
        if (beforeOfferForTest != null) {
            beforeOfferForTest.run();
        }
        long park = 1_000;
        while (!agent.offer(c)) {
            // held <= maxPending <= the queue's capacity: only a burst of submits racing the count lands here
            agent.wakeUp();
            LockSupport.parkNanos(park);
            park = Math.min(park * 2, 100_000);
        }
        if (wake) {
            afterOffers(c);
        } else if (closed) {
            failQueuedAfterStop();
        }
        return waited;
    }

    /** Tells the probe that {@code c} was accepted, on this thread (its context: a span's parent). Never throws. */
    private void started(Submission c, Endpoint endpoint) {
        try {
            c.started = probe.commandStarted(endpoint, c);
        } catch (RuntimeException | Error e) {
            c.started = null; // c holds its place: it must still be offered, so that it ends
            Thread t = Thread.currentThread();
            t.getUncaughtExceptionHandler().uncaughtException(t, new IllegalStateException("the IoListener threw "
                    + "while told that " + c.name() + " started; listeners must not throw", e));
        }
    }

    /** The IO thread (or this thread, taking the duty) handles what was offered, {@code last} among it. */
    private void afterOffers(Submission last) {
        agent.duty().afterOffer(last);
        if (agent.fatal() != null) {
            close();
        }
        if (closed) {
            // close() may have run between the check above and the offer, after the IO thread's last drain and the
            // closer's: then nobody else will end this command. The offer happened before this read of closed, and
            // close() sets closed before it drains, so either the closer's drain or this one sees the command.
            failQueuedAfterStop();
        }
    }

    /**
     * Stops taking commands and waits, for up to {@code drainNanos}, until none is pending (the caller then closes).
     */
    public void drain(long drainNanos) {
        draining = true;
        long until = System.nanoTime() + drainNanos;
        while (System.nanoTime() - until < 0) {
            CompletableFuture<Boolean> idle = new CompletableFuture<>();
            control(() -> idle.complete(agent.isIdle()));
            try {
                if (idle.get(1, TimeUnit.SECONDS)) {
                    break;
                }
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (ExecutionException | TimeoutException e) {
                break;
            }
        }
    }

    /** Stops the IO thread after failing every pending command with {@link RedisConnectionException}. */
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        agent.requestClose();
        runner.close();
        // a submit that raced with the close may have landed after the IO thread's last drain; a submit that offers
        // later still sees closed and drains itself (failQueuedAfterStop)
        synchronized (afterStop) {
            stopped = true;
            agent.failQueued(closedReason());
        }
        pushes.close(1_000); // a listener that never returns holds up nothing: the rest of the backlog is discarded
        completions.awaitTermination(5_000);
    }

    private void failQueuedAfterStop() {
        synchronized (afterStop) {
            if (stopped) { // else the IO thread or the closer still drains the queue, and will see it
                agent.failQueued(closedReason());
            }
        }
    }

    /** What a command left in the queue after the stop fails with: the IO thread's death, or the close. */
    private RedisConnectionException closedReason() {
        return agent.fatal() != null ? agent.death() : new RedisConnectionException("the IoRuntime was closed", false);
    }

    private void onAgentError(Throwable t) {
        if (t instanceof AgentTerminationException) {
            if (t.getCause() != null) {
                // an Error ended the loop (IoAgent.doWork): onClose fails what is pending; say it where users look
Log.IO_THREAD.log(System.Logger.Level.ERROR, "respin: the IO thread " + settings.threadName()
                        + " stopped after an unexpected " + t.getCause() + "; every command of this IoRuntime fails "
                        + "from now on", t.getCause());
            }
            return; // else: how close() ends the loop, not an error
        }
        // a bug on the IO thread: it keeps running (AgentRunner retries the loop), and the error must be visible
        Log.IO_THREAD.log(System.Logger.Level.ERROR, "respin: unexpected error on the IO thread "
                + settings.threadName() + ": " + t, t);
    }
}
