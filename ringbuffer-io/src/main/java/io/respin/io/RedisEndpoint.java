package io.respin.io;

import io.respin.RedisConnectionException;
import io.respin.engine.connection.CommandKind;
import io.respin.engine.connection.ConnectionSettings;
import io.respin.engine.resp.Reply;
import io.respin.io.handoff.PushReceiver;
import io.respin.RedisServerException;
import io.respin.RedisTimeoutException;
import io.respin.io.loop.Endpoint;
import io.respin.io.loop.LinkStatus;
import io.respin.io.loop.LinkWatch;
import io.respin.io.loop.Target;
import io.respin.io.net.TlsPeer;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One Redis server as seen through an {@link IoRuntime}: a shared, auto-pipelined connection for ordinary
 * commands, plus connections it opens by itself where sharing would be wrong —
 * <ul>
 *   <li>commands whose {@link IoCommand#blocking()} is true (BLPOP, XREAD BLOCK, WAIT...) each take a connection
 *       from a bounded pool ({@link ConnectionOptions#maxDedicatedConnections()}) for as long as they block;</li>
 *   <li>SUBSCRIBE-family commands go to the endpoint's subscriber connection (pushes to
 *       {@link ConnectionOptions#pushListener()}; subscriptions are restored after a reconnect), MONITOR to a
 *       monitor connection;</li>
 *   <li>transactions (WATCH / MULTI / EXEC) and commands that change connection state (SELECT, HELLO, AUTH,
 *       RESET, QUIT, CLIENT REPLY) need a {@link #dedicated()} connection, and are refused on the shared one.</li>
 * </ul>
 * Thread-safe; any number of threads submit concurrently. Lost connections are re-established in the background.
 *
 * <pre>{@code
 * try (IoRuntime io = IoRuntime.start(IoSettings.defaults());
 *      RedisEndpoint redis = io.connect(RedisUri.parse("redis://localhost:6379"))) {
 *     Get get = new Get("greeting");   // an IoCommand subclass
 *     redis.submit(get);
 *     get.await();
 * }
 * }</pre>
 */
public final class RedisEndpoint implements AutoCloseable {

    private final IoRuntime runtime;
    /** Changed by {@link #moveTo}; read by any thread for messages. */
    private volatile RedisUri uri;
    private final ConnectionOptions options;
    /** The loop's side: routing, links, the dedicated pool (internal). */
    private final Endpoint core;

    RedisEndpoint(IoRuntime runtime, RedisUri uri, ConnectionOptions options, SocketAddress address) {
        this.runtime = runtime;
        this.uri = uri;
        this.options = options;
        this.core = runtime.loop().endpoint(target(uri, address), this); // the face: who IoListener events are about
    }

    private Target target(RedisUri uri, SocketAddress address) {
        long timeout = uri.timeout() != null ? uri.timeout().toNanos() : runtime.settings().commandTimeoutNanos();
        TlsPeer tls = uri.tls() ? new TlsPeer(uri.host(), uri.port(), options.sslContext(),
                options.verifyHostname() && uri.verifyPeer()) : null;
        return new Target(uri.toString(), uri.address(), address, uri.isUnixSocket(), tls,
                engineSettings(uri, options), timeout, options.maxDedicatedConnections(),
                receiver(options.pushListener()), watch(options.connectionEvents()), cache(options.cacheHook()));
    }

    /** The engine connection's settings for this URI and these options: handshake, limits, tracking. */
    static ConnectionSettings engineSettings(RedisUri uri, ConnectionOptions options) {
        ConnectionSettings.Builder b = ConnectionSettings.builder()
                .protocol(uri.protocol())
                .database(uri.database())
                .clientName(uri.clientName())
                .limits(options.limits());
        if (options.tracking() != null) {
            b.tracking(options.tracking().toArray(new String[0]));
        }
        if (uri.password() != null) {
            if (uri.user() != null) {
                b.auth(uri.user(), uri.password());
            } else {
                b.password(uri.password());
            }
        }
        return b.build();
    }

    /** The push thread's view of the user's listener (null: none). */
    private static PushReceiver receiver(PushListener l) {
        if (l == null) {
            return null;
        }
        return new PushReceiver() {
            @Override public void onPush(Reply push) { l.onPush(push); }

            @Override public void onMonitor(String line) { l.onMonitor(line); }

            @Override public void onDropped(long count) { l.onDropped(count); }

            @Override public void onDisconnected(RedisConnectionException why) { l.onDisconnected(why); }
        };
    }

    /** The loop's view of a client-side cache's hook (null: none). */
    private static io.respin.io.loop.LinkCache cache(CacheHook h) {
        if (h == null) {
            return null;
        }
        return new io.respin.io.loop.LinkCache() {
            @Override public void connected(int protocol) { h.onConnected(protocol); }

            @Override public void disconnected() { h.onDisconnected(); }

            @Override public boolean push(Reply push) { return h.onPush(push); }

            @Override public void replied(io.respin.io.loop.Submission command) {
                if (command instanceof IoCommand c) {
                    h.onReply(c);
                }
            }
        };
    }

    /** The loop's view of the user's connection events (null: none). */
    private static LinkWatch watch(ConnectionEvents e) {
        if (e == null) {
            return null;
        }
        return new LinkWatch() {
            @Override public void lost(String address, RedisConnectionException why) { e.onConnectionLost(address, why); }

            @Override public void serverError(RedisServerException error) { e.onServerError(error); }
        };
    }

    /**
     * The server this endpoint talks to moved to {@code host:port} (the same settings otherwise): what a Sentinel
     * client does when another node became the primary. Every connection of the endpoint — shared, dedicated,
     * subscriber, MONITOR — drops its socket as on a connection loss and reconnects there at once: commands in
     * flight on the old server fail with an unknown outcome ({@link RedisConnectionException#outcomeUnknown()}; reads
     * are sent once more by {@link IoSettings#retryIdempotent()}), never resent as writes; commands not yet written
     * go to the new server; subscriptions are restored there; MONITOR is not re-issued. Returns at once; the move
     * happens on the IO thread. The host is resolved here, on the caller's thread.
     *
     * @throws RedisConnectionException the host is unknown (nothing changed)
     * @throws IllegalStateException    a Unix-socket endpoint
     */
    public void moveTo(String host, int port) {
        if (uri.isUnixSocket()) {
            throw new IllegalStateException("a Unix-socket endpoint cannot move to a TCP address");
        }
        RedisUri to = uri.withAddress(host, port);
        Target t = target(to, IoRuntime.resolve(to));
        uri = to;
        runtime.control(() -> core.moveTo(t, runtime.agent().now()));
    }

    public RedisUri uri() {
        return uri;
    }

    public ConnectionOptions options() {
        return options;
    }

    /** The runtime whose IO thread serves this endpoint. */
    public IoRuntime runtime() {
        return runtime;
    }

    /**
     * Hands {@code command} to the IO thread. It will end — reply, server error, timeout, connection failure or
     * close — with exactly one call of its {@code completed}/{@code failed}; a command refused here gets no such
     * call, the exception says why.
     *
     * @throws io.respin.RedisBackpressureException the submit queue is full (fail-fast) or stayed full until the
     *                                              command's deadline; nothing was sent
     * @throws RedisConnectionException             the endpoint or runtime is closed; nothing was sent
     * @throws IllegalArgumentException             a transaction command outside a {@link #dedicated()} connection
     * @throws IllegalStateException                the command is still pending from an earlier submit
     */
    public void submit(IoCommand command) {
        RuntimeException refused = refusal(command);
        if (refused != null) {
            throw refused;
        }
        runtime.loop().submit(command, core, null);
    }

    /**
     * Hands a batch to the IO thread with one wake-up, so that it goes out in one write: what a pipeline that holds
     * its commands until it is flushed needs. Each command has {@link #submit}'s contract, except that one that cannot
     * be submitted (backpressure, closed, a transaction command) is handed to {@code refused} with the exception
     * {@code submit} would have thrown, and the others go on. Returns how many were submitted.
     */
    public <C extends IoCommand> int submitAll(java.util.List<C> commands,
                                               java.util.function.BiConsumer<C, RuntimeException> refused) {
        java.util.List<C> ok = new java.util.ArrayList<>(commands.size());
        for (C c : commands) {
            RuntimeException e = refusal(c);
            if (e != null) {
                refused.accept(c, e);
            } else {
                ok.add(c);
            }
        }
        return runtime.loop().submitAll(ok, core, null, refused);
    }

    /** Why {@code command} cannot be submitted here before it reaches the runtime, or null when it can. */
    private RuntimeException refusal(IoCommand command) {
        String sharing = command.kind().sharingRefusal(); // the engine knows what a command does to a session
        if (sharing != null) {
            return new IllegalArgumentException(command.name() + " " + sharing);
        }
        if (command.kind() == CommandKind.CLIENT_TRACKING && options.tracking() != null) {
            return new IllegalArgumentException(command.name() + " would change or end the tracking that this "
                    + "endpoint's client-side cache relies on (its shared connection is tracked; without the server's "
                    + "invalidations the cache would serve stale values); the cache's tracking is set by "
                    + "RedisClientBuilder.clientCache(CacheSettings) (mode, prefixes, noLoop), or use "
                    + "endpoint.dedicated() for a connection of your own");
        }
        if (core.isClosed()) {
            try {
                runtime.loop().refuseIfDead(command); // closed because the IO thread died: say so
            } catch (RedisConnectionException death) {
                return death;
            }
            return new RedisConnectionException(command.name() + " was not sent: the endpoint for " + uri
                    + " is closed", false);
        }
        return null;
    }

    /** Takes a connection of its own from the pool (opened if needed, at most the configured maximum). */
    public DedicatedConnection dedicated() {
        if (core.isClosed()) {
            throw new RedisConnectionException("the endpoint for " + uri + " is closed", false);
        }
        return new DedicatedConnection(this);
    }

    /**
     * Pushes received for this endpoint's {@link ConnectionOptions#pushListener()} that it has not been handed yet
     * (waiting in the runtime's push queue). A moment's view: it changes as the IO and push threads work.
     */
    public long pushBacklog() {
        return core.pushBacklog();
    }

    /**
     * Pushes (pub/sub messages, tracking invalidations, MONITOR lines) the push listener never got: the runtime's
     * push queue was full ({@link IoSettings.Builder#pushQueueCapacity}), or the endpoint or runtime was closed
     * before their turn. The listener hears of the first kind through {@link PushListener#onDropped(long)}.
     */
    public long droppedPushes() {
        return core.droppedPushes();
    }

    /**
     * A health view of this endpoint now: each connection's state, in-flight commands, reconnects and last error,
     * and the runtime's pending commands and bytes. The connections are copied by the IO thread (a control task:
     * one consistent moment of the state it owns); this waits for that, at most a second or so on a busy runtime.
     * An endpoint closed on a live runtime shows its connections CLOSED; once the runtime is closed, none.
     *
     * <pre>{@code
     * EndpointStatus s = endpoint.status();
     * s.connections().forEach(c -> System.out.println(c.connection() + " " + c.state() + " " + c.inFlight()));
     * }</pre>
     *
     * @throws RedisTimeoutException the IO thread did not answer within 5 s (it is stuck, e.g. in a listener)
     */
    public EndpointStatus status() {
        List<LinkStatus> links;
        if (runtime.isClosed()) {
            links = List.of(); // its IO thread has closed every connection (or is doing so): nothing left to show
        } else if (Thread.currentThread() == runtime.ioThread()) {
            links = core.linkStatus(); // called from a listener on the IO thread: the state is ours to read
        } else {
            CompletableFuture<List<LinkStatus>> f = new CompletableFuture<>();
            runtime.control(() -> f.complete(core.linkStatus()));
            try {
                links = f.get(5, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                if (runtime.isClosed()) {
                    return status(); // closed meanwhile: the control task will never run
                }
                throw new RedisTimeoutException("status() of " + uri + " got no answer from the IO thread within 5 s: "
                        + "it is stuck (an IoListener or a command's completed() that blocks?)", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new io.respin.RedisInterruptedException("interrupted while status() of " + uri
                        + " waited for the IO thread; the thread's interrupt status is kept");
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            }
        }
        List<ConnectionStatus> connections = new ArrayList<>(links.size());
        for (LinkStatus l : links) {
            connections.add(new ConnectionStatus(IoListener.Connection.values()[l.role()],
                    ConnectionStatus.State.valueOf(l.phase()), l.inFlight(), l.reconnects(), l.failedAttempts(),
                    l.lastFailure(), l.refused()));
        }
        return new EndpointStatus(uri.toString(), isClosed(), connections, runtime.pendingCommands(),
                runtime.pendingBytes(), pushBacklog(), droppedPushes());
    }

    /**
     * Closes every connection of this endpoint; pending commands fail with {@link RedisConnectionException}; pushes
     * still queued for its listener are discarded (counted in {@link #droppedPushes()}).
     */
    @Override
    public void close() {
        boolean open = !core.isClosed();
        core.close();
        IoListener listener = runtime.settings().listener();
        if (open && listener != null) {
            ListenerProbe.tell(listener, () -> listener.endpointClosed(this), "the close of " + this);
        }
    }

    public boolean isClosed() {
        return core.isClosed();
    }

    @Override
    public String toString() {
        return "RedisEndpoint[" + uri + "]";
    }

    /** The loop's side of this endpoint. */
    Endpoint core() {
        return core;
    }
}
