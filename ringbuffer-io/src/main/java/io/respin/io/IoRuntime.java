package io.respin.io;

import io.respin.RedisBackpressureException;
import io.respin.RedisConnectionException;
import io.respin.RedisException;
import io.respin.RedisInterruptedException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.net.UnknownHostException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.AgentTerminationException;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

/**
 * The heavy object: one IO thread (an Agrona {@code AgentRunner}, daemon, named after
 * {@link IoSettings#threadName()}) with its selector, submit queue, timer wheel, completion thread and push thread
 * (see {@link IoSettings}), serving any number of {@link RedisEndpoint}s. Create one per application and share it;
 * opening an endpoint or a client on it is cheap. {@link #close()} fails what is still pending and stops the
 * threads; it does not wait for a push listener that does not return.
 *
 * <pre>{@code
 * try (IoRuntime io = IoRuntime.start(IoSettings.defaults())) {
 *     RedisEndpoint redis = io.connect(RedisUri.parse("redis://localhost:6379"));
 *     ...
 * }
 * }</pre>
 */
public final class IoRuntime implements AutoCloseable {

    private final IoSettings settings;
    private final Completions completions;
    private final Pushes pushes;
    private final IoAgent agent;
    private final AgentRunner runner;
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
    /** Commands held now (queued + waiting + in flight), against {@link #maxPending}. */
    private final java.util.concurrent.atomic.AtomicLong held = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong resent = new java.util.concurrent.atomic.AtomicLong();
    /** Bytes held now by the same commands ({@link IoCommand#weight()}), against {@link #maxBytes}. */
    private final java.util.concurrent.atomic.AtomicLong heldBytes = new java.util.concurrent.atomic.AtomicLong();
    private final long maxBytes;
    private final long maxPending;
    /** The rejections for a full client: made once, thrown for every refused command (no stack trace). */
    private final RedisBackpressureException full;
    private final RedisBackpressureException fullUntilDeadline;
    private final RedisBackpressureException fullBytes;
    private final RedisBackpressureException fullBytesUntilDeadline;
    /** Tests only: runs between a submit's closed check and its offer, to widen that window on purpose. */
    Runnable beforeOfferForTest;

    private IoRuntime(IoSettings settings) {
        this.settings = settings;
        this.maxPending = settings.maxPendingCommands();
        this.maxBytes = settings.maxPendingBytes();
        long mib = maxBytes >> 20;
        this.fullBytes = RedisBackpressureException.shared("a command was not sent: the client already holds "
                + mib + " MiB of command values (queued, waiting for a connection, in flight) and its backpressure "
                + "policy is FAIL_FAST; slow down, raise RedisClientBuilder.maxPendingBytes(bytes), or use "
                + "backpressure(WAIT_UNTIL_DEADLINE) (IoSettings.Builder has the same settings)");
        this.fullBytesUntilDeadline = RedisBackpressureException.shared("a command was not sent: the client held "
                + mib + " MiB of command values (queued, waiting for a connection, in flight) until the command's "
                + "deadline: the server takes them more slowly than callers submit, or cannot be reached; slow down, "
                + "or raise RedisClientBuilder.maxPendingBytes(bytes) or commandTimeout (IoSettings.Builder has the "
                + "same settings)");
        this.full = RedisBackpressureException.shared("a command was not sent: the client already holds "
                + maxPending + " commands (queued, waiting for a connection, in flight) and its backpressure policy is "
                + "FAIL_FAST; slow down, raise RedisClientBuilder.maxPendingCommands(n), or use "
                + "backpressure(WAIT_UNTIL_DEADLINE) (IoSettings.Builder has the same settings)");
        this.fullUntilDeadline = RedisBackpressureException.shared("a command was not sent: the client held "
                + maxPending + " commands (queued, waiting for a connection, in flight) until the command's deadline: "
                + "the server answers more slowly than callers submit, or cannot be reached; slow down, or raise "
                + "RedisClientBuilder.maxPendingCommands(n) or commandTimeout (IoSettings.Builder has the same settings)");
        this.completions = new Completions(settings);
        this.pushes = new Pushes(settings);
        this.agent = new IoAgent(settings, completions);
        IdleStrategy idle = settings.idleStrategy() == IoSettings.Idle.BUSY_SPIN
                ? new BusySpinIdleStrategy() : new IoAgent.SelectorIdle(agent);
        this.runner = new AgentRunner(idle, this::onAgentError, null, agent);
        AgentRunner.startOnThread(runner, r -> {
            Thread t = new Thread(r, settings.threadName());
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts a runtime: its IO thread and completion thread are running when this returns. */
    public static IoRuntime start(IoSettings settings) {
        return new IoRuntime(settings);
    }

    /** Starts a runtime with {@link IoSettings#defaults()}. */
    public static IoRuntime start() {
        return start(IoSettings.defaults());
    }

    public IoSettings settings() {
        return settings;
    }

    /** {@link #connect(RedisUri, ConnectionOptions)} with default options. */
    public RedisEndpoint connect(RedisUri uri) {
        return connect(uri, ConnectionOptions.defaults());
    }

    /** {@link #connect(RedisUri, ConnectionOptions)} of a parsed URI string. */
    public RedisEndpoint connect(String uri) {
        return connect(RedisUri.parse(uri));
    }

    /**
     * Opens an endpoint and waits (up to the connect timeout) until its shared connection has completed the
     * handshake, so that a wrong address, password or certificate surfaces here, as an exception, not later.
     * It blocks the calling thread: do not call it from a completion callback of the same runtime.
     *
     * @throws RedisConnectionException unknown host, refused, TLS failure, connect timeout
     * @throws io.respin.RedisServerException the server refused the handshake (wrong password, unknown database)
     */
    public RedisEndpoint connect(RedisUri uri, ConnectionOptions options) {
        if (closed) {
            throw new RedisConnectionException("cannot connect to " + uri + ": the IoRuntime is closed", false);
        }
        RedisEndpoint endpoint = new RedisEndpoint(this, uri, options, resolve(uri));
        control(() -> endpoint.start(agent, agent.now()));
        long waitMs = TimeUnit.NANOSECONDS.toMillis(settings.connectTimeoutNanos()) + 1_000;
        try {
            endpoint.firstReady.get(waitMs, TimeUnit.MILLISECONDS);
            return endpoint;
        } catch (ExecutionException e) {
            endpoint.close();
            if (e.getCause() instanceof RedisException re) {
                throw re;
            }
            throw new RedisConnectionException("cannot connect to " + uri + ": " + e.getCause(), false, e.getCause());
        } catch (TimeoutException e) {
            endpoint.close();
            throw new RedisConnectionException("cannot connect to " + uri + ": no handshake within " + waitMs + " ms", false, e);
        } catch (InterruptedException e) {
            endpoint.close();
            Thread.currentThread().interrupt();
            throw new RedisConnectionException("interrupted while connecting to " + uri, false, e);
        }
    }

    private static SocketAddress resolve(RedisUri uri) {
        if (uri.isUnixSocket()) {
            return UnixDomainSocketAddress.of(uri.socketPath());
        }
        try {
            // resolved once, on the caller's thread, so a slow DNS never stalls the IO thread
            return new InetSocketAddress(InetAddress.getByName(uri.host()), uri.port());
        } catch (UnknownHostException e) {
            throw new RedisConnectionException("cannot connect to " + uri + ": unknown host '" + uri.host()
                    + "' (DNS has no address for it; check the host name in the URI)", false, e);
        }
    }

    /**
     * Stops taking commands, lets those already submitted finish for up to {@code drain}, then {@link #close()}s:
     * what is still pending after that fails with {@link RedisConnectionException}.
     *
     * <pre>{@code
     * io.close(Duration.ofSeconds(5));   // graceful shutdown
     * }</pre>
     */
    public void close(java.time.Duration drain) {
        if (closed) {
            return;
        }
        draining = true;
        long until = System.nanoTime() + drain.toNanos();
        while (System.nanoTime() - until < 0) {
            java.util.concurrent.CompletableFuture<Boolean> idle = new java.util.concurrent.CompletableFuture<>();
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
        close();
    }

    /** Stops the IO thread after failing every pending command with {@link RedisConnectionException}. */
    @Override
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

    /** True once {@link #close()} was called, or the IO thread stopped after an unexpected error. */
    public boolean isClosed() {
        return closed || agent.fatal() != null;
    }

    // ------------------------------------------------------------------ package

    /** The IO thread (for tests that measure it). */
    Thread ioThread() {
        return runner.thread();
    }

    IoAgent agent() {
        return agent;
    }

    Completions completions() {
        return completions;
    }

    Pushes pushes() {
        return pushes;
    }

    void control(Runnable task) {
        agent.control(task);
    }

    /** See {@link IoCommand#cancel()}: a cold path (allocates a control task). */
    void cancel(IoCommand c, int generation) {
        if (!closed) {
            control(() -> agent.cancel(c, generation));
        }
    }

    /** Throws the IO thread's death when it died (after finishing the stop); returns when it is alive. */
    void refuseIfDead(IoCommand c) {
        if (agent.fatal() != null) {
            close(); // the IO thread died: finish stopping it (it has failed what was pending), then refuse
            RedisConnectionException death = agent.death();
            throw new RedisConnectionException(c.name() + " was not sent: " + death.getMessage(), false, death.getCause());
        }
    }

    void submit(IoCommand c, RedisEndpoint endpoint, Lease lease) {
        refuseIfDead(c);
        if (closed || draining) {
            throw new RedisConnectionException(c.name() + " was not sent: the IoRuntime is "
                    + (closed ? "closed" : "shutting down"), false);
        }
        c.arm(endpoint, lease, System.nanoTime(), endpoint.defaultTimeoutNanos());
        long weight = Math.max(0, c.weight());
        int refusal = tryHold(weight);
        if (refusal != ROOM) {
            awaitRoom(c, weight, refusal); // returns holding a place, or throws having disarmed c
        }
        c.heldBytes = weight;
        c.counted = true; // published with the offer: the IO thread gives the place back when c ends
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
        agent.afterOffer(c);
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

    private static final int ROOM = 0;
    private static final int NO_PLACE = 1;
    private static final int NO_BYTES = 2;

    /**
     * Takes a place and {@code weight} bytes, or neither: ROOM, or which bound refused. A command heavier than the
     * whole byte bound is let in when no other bytes are held (alone, it can still be sent).
     */
    private int tryHold(long weight) {
        if (held.incrementAndGet() > maxPending) {
            held.decrementAndGet();
            return NO_PLACE;
        }
        if (weight > 0) {
            long b = heldBytes.addAndGet(weight);
            if (b > maxBytes && b != weight) {
                heldBytes.addAndGet(-weight);
                held.decrementAndGet();
                return NO_BYTES;
            }
        }
        return ROOM;
    }

    /**
     * The client already holds {@code maxPendingCommands} or {@code maxPendingBytes}: fail at once (FAIL_FAST) or
     * wait until commands end and room frees, up to this command's deadline. Throws with the command disarmed; the
     * exceptions for "full" are shared instances (a rejection under overload allocates nothing).
     */
    private void awaitRoom(IoCommand c, long weight, int refusal) {
        if (settings.backpressure() == IoSettings.Backpressure.FAIL_FAST) {
            c.disarm();
            throw refusal == NO_BYTES ? fullBytes : full;
        }
        long park = 1_000;
        while (true) {
            int r = tryHold(weight);
            if (r == ROOM) {
                return;
            }
            refusal = r;
            RuntimeException stop = closed ? new RedisConnectionException(c.name() + " was not sent: the IoRuntime "
                    + "was closed while it waited for room", false)
                    : System.nanoTime() - c.deadlineNanos() >= 0 ? (refusal == NO_BYTES ? fullBytesUntilDeadline
                    : fullUntilDeadline)
                    : Thread.currentThread().isInterrupted() ? new RedisInterruptedException(c.name() + " was "
                    + "interrupted while it waited for room among the client's pending commands; it was not sent. "
                    + "The thread's interrupt status is kept")
                    : null;
            if (stop != null) {
                c.disarm();
                throw stop;
            }
            agent.wakeUp();
            LockSupport.parkNanos(park);
            park = Math.min(park * 2, 1_000_000);
        }
    }

    /** A command that held a place ended (any thread: the IO thread, or a closer failing what is left). */
    void released(long bytes) {
        if (bytes > 0) {
            heldBytes.addAndGet(-bytes);
        }
        held.decrementAndGet();
    }

    /** Bytes of command values ({@link IoCommand#weight()}) this runtime holds now: at most maxPendingBytes. */
    public long pendingBytes() {
        return heldBytes.get();
    }

    /** A read caught by a connection loss goes out again (duty holder). */
    void resent() {
        resent.incrementAndGet();
    }

    /**
     * Commands sent a second time because a connection loss caught them on the wire ({@link IoCommand#idempotent()}
     * reads, with {@link IoSettings#retryIdempotent()} on), since the runtime started.
     */
    public long resentCommands() {
        return resent.get();
    }

    /**
     * Commands this runtime holds now: queued for the IO thread, waiting for a connection, and in flight — at most
     * {@link IoSettings#maxPendingCommands()}.
     */
    public long pendingCommands() {
        return held.get();
    }

    private void onAgentError(Throwable t) {
        if (t instanceof AgentTerminationException) {
            if (t.getCause() != null) {
                // an Error ended the loop (IoAgent.doWork): onClose fails what is pending; say it where users look
                System.err.println("respin: the IO thread " + settings.threadName() + " stopped after an unexpected "
                        + t.getCause() + "; every command of this IoRuntime fails from now on");
                t.getCause().printStackTrace();
            }
            return; // else: how close() ends the loop, not an error
        }
        // a bug on the IO thread: it keeps running (AgentRunner retries the loop), and the error must be visible
        System.err.println("respin: unexpected error on the IO thread " + settings.threadName() + ": " + t);
        t.printStackTrace();
    }
}
