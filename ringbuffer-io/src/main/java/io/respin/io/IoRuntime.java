package io.respin.io;

import io.respin.RedisBackpressureException;
import io.respin.RedisConnectionException;
import io.respin.RedisException;
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
    private volatile boolean closed;
    private volatile boolean draining;

    private IoRuntime(IoSettings settings) {
        this.settings = settings;
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
        // a submit that raced with the close may have landed after the IO thread's last drain
        agent.failQueued(new RedisConnectionException("the IoRuntime was closed", false));
        pushes.close(1_000); // a listener that never returns holds up nothing: the rest of the backlog is discarded
        completions.awaitTermination(5_000);
    }

    public boolean isClosed() {
        return closed;
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

    void submit(IoCommand c, RedisEndpoint endpoint, Lease lease) {
        if (closed || draining) {
            throw new RedisConnectionException(c.name() + " was not sent: the IoRuntime is "
                    + (closed ? "closed" : "shutting down"), false);
        }
        c.arm(endpoint, lease, System.nanoTime(), endpoint.defaultTimeoutNanos());
        if (!agent.offer(c)) {
            waitForRoom(c);
        }
        agent.afterOffer(c);
    }

    private void waitForRoom(IoCommand c) {
        if (settings.backpressure() == IoSettings.Backpressure.FAIL_FAST) {
            c.disarm();
            throw new RedisBackpressureException(c.name() + " was not sent: the submit queue is full ("
                    + settings.submitQueueCapacity() + " commands wait for the IO thread); slow down, or raise "
                    + "IoSettings.submitQueueCapacity, or use Backpressure.WAIT_UNTIL_DEADLINE");
        }
        long park = 1_000;
        while (!agent.offer(c)) {
            if (System.nanoTime() - c.deadlineNanos() >= 0 || closed) {
                c.disarm();
                throw new RedisBackpressureException(c.name() + " was not sent: the submit queue stayed full ("
                        + settings.submitQueueCapacity() + " commands) until the command's deadline");
            }
            agent.wakeUp();
            LockSupport.parkNanos(park);
            park = Math.min(park * 2, 1_000_000);
        }
    }

    private void onAgentError(Throwable t) {
        if (t instanceof AgentTerminationException) {
            return; // how close() ends the loop: not an error
        }
        // a bug on the IO thread: it keeps running (AgentRunner retries the loop), and the error must be visible
        System.err.println("respin: unexpected error on the IO thread " + settings.threadName() + ": " + t);
        t.printStackTrace();
    }
}
