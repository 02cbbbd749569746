package io.respin.io;

import io.respin.RedisConnectionException;
import io.respin.RedisException;
import io.respin.io.loop.IoAgent;
import io.respin.io.loop.Loop;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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
    /** The threads, the submit path and the bound on held commands (internal). */
    private final Loop loop;

    private IoRuntime(IoSettings settings) {
        this.settings = settings;
        this.loop = new Loop(settings.tuning());
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
        if (loop.closeCalled()) {
            throw new RedisConnectionException("cannot connect to " + uri + ": the IoRuntime is closed", false);
        }
        RedisEndpoint endpoint = new RedisEndpoint(this, uri, options, resolve(uri));
        IoAgent agent = loop.agent();
        loop.control(() -> endpoint.core().start(agent, agent.now()));
        long waitMs = TimeUnit.NANOSECONDS.toMillis(settings.connectTimeoutNanos()) + 1_000;
        try {
            endpoint.core().firstReady().get(waitMs, TimeUnit.MILLISECONDS);
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

    static SocketAddress resolve(RedisUri uri) {
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
    public void close(Duration drain) {
        if (loop.closeCalled()) {
            return;
        }
        loop.drain(drain.toNanos());
        close();
    }

    /** Stops the IO thread after failing every pending command with {@link RedisConnectionException}. */
    @Override
    public void close() {
        boolean open = !loop.closeCalled();
        loop.close();
        IoListener listener = settings.listener();
        if (open && listener != null) {
            ListenerProbe.tell(listener, () -> listener.runtimeClosed(this), "the close of the runtime");
        }
    }

    /** True once {@link #close()} was called, or the IO thread stopped after an unexpected error. */
    public boolean isClosed() {
        return loop.isClosed();
    }

    /** Bytes of command values ({@link IoCommand#weight()}) this runtime holds now: at most maxPendingBytes. */
    public long pendingBytes() {
        return loop.admission().pendingBytes();
    }

    /**
     * Commands sent a second time because a connection loss caught them on the wire ({@link IoCommand#idempotent()}
     * reads, with {@link IoSettings#retryIdempotent()} on), since the runtime started.
     */
    public long resentCommands() {
        return loop.admission().resentCommands();
    }

    /**
     * Commands this runtime holds now: queued for the IO thread, waiting for a connection, and in flight — at most
     * {@link IoSettings#maxPendingCommands()}.
     */
    public long pendingCommands() {
        return loop.admission().pendingCommands();
    }

    // ------------------------------------------------------------------ package

    Loop loop() {
        return loop;
    }

    /** The IO thread (for tests that measure it). */
    Thread ioThread() {
        return loop.ioThread();
    }

    IoAgent agent() {
        return loop.agent();
    }

    void control(Runnable task) {
        loop.control(task);
    }
}
