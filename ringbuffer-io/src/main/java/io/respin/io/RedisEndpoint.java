package io.respin.io;

import io.respin.RedisConnectionException;
import io.respin.RedisException;
import io.respin.engine.connection.CommandKind;
import java.net.SocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

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
    private final RedisUri uri;
    private final ConnectionOptions options;
    private final SocketAddress address;
    private final long defaultTimeoutNanos;
    /** Completed by the duty holder when the shared link's first handshake ends; awaited by connect(). */
    final CompletableFuture<Void> firstReady = new CompletableFuture<>();
    /** The way to the push listener: filled by the duty holder, emptied by the push thread ({@link Pushes}). */
    final Pushes.Sink pushes;
    /** Any thread: set by close() (or by the IO thread closing the links); read by submit. */
    private volatile boolean closed;

    // duty-confined (the IO thread, or a submitter holding the duty): routing and the dedicated pool
    private Link shared;
    private Link subscriber;
    private Link monitor;
    private final List<Link> dedicated = new ArrayList<>();
    private final ArrayDeque<Link> free = new ArrayDeque<>();
    /** Commands waiting for a pooled link (blocking commands, dedicated connections' first commands). */
    private final ArrayDeque<IoCommand> waitingForLink = new ArrayDeque<>();

    RedisEndpoint(IoRuntime runtime, RedisUri uri, ConnectionOptions options, SocketAddress address) {
        this.runtime = runtime;
        this.uri = uri;
        this.options = options;
        this.address = address;
        this.defaultTimeoutNanos = uri.timeout() != null ? uri.timeout().toNanos() : runtime.settings().commandTimeoutNanos();
        this.pushes = new Pushes.Sink(runtime.pushes(), options.pushListener());
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
        String refusal = refusal(command.kind());
        if (refusal != null) {
            throw new IllegalArgumentException(command.name() + " " + refusal);
        }
        if (closed) {
            runtime.refuseIfDead(command); // closed because the IO thread died: say so
            throw new RedisConnectionException(command.name() + " was not sent: the endpoint for " + uri + " is closed", false);
        }
        runtime.submit(command, this, null);
    }

    /** Why a command may not go on the shared connection, or null when it may. */
    private static String refusal(CommandKind k) {
        return switch (k) {
            case MULTI, EXEC, DISCARD, WATCH, UNWATCH -> "changes connection state for the commands after it; send "
                    + "transactions through endpoint.dedicated(), not the shared connection";
            case SELECT -> "would switch the database of every user of the shared connection; choose the database "
                    + "in the URI (redis://host/2), or use endpoint.dedicated()";
            case HELLO, AUTH -> "would change the protocol or user of every user of the shared connection; put them "
                    + "in the URI (user, password, protocol), or use endpoint.dedicated()";
            case RESET, QUIT, CLIENT_REPLY_ON, CLIENT_REPLY_OFF, CLIENT_REPLY_SKIP -> "would reset or silence the "
                    + "shared connection for everyone; use endpoint.dedicated() (or close the endpoint)";
            default -> null;
        };
    }

    /** Takes a connection of its own from the pool (opened if needed, at most the configured maximum). */
    public DedicatedConnection dedicated() {
        if (closed) {
            throw new RedisConnectionException("the endpoint for " + uri + " is closed", false);
        }
        return new DedicatedConnection(this);
    }

    /**
     * Pushes received for this endpoint's {@link ConnectionOptions#pushListener()} that it has not been handed yet
     * (waiting in the runtime's push queue). A moment's view: it changes as the IO and push threads work.
     */
    public long pushBacklog() {
        return pushes.backlog();
    }

    /**
     * Pushes (pub/sub messages, tracking invalidations, MONITOR lines) the push listener never got: the runtime's
     * push queue was full ({@link IoSettings.Builder#pushQueueCapacity}), or the endpoint or runtime was closed
     * before their turn. The listener hears of the first kind through {@link PushListener#onDropped(long)}.
     */
    public long droppedPushes() {
        return pushes.dropped();
    }

    /**
     * Closes every connection of this endpoint; pending commands fail with {@link RedisConnectionException}; pushes
     * still queued for its listener are discarded (counted in {@link #droppedPushes()}).
     */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            pushes.close();
            runtime.control(() -> closeLinks(new RedisConnectionException("the endpoint for " + uri + " was closed", false)));
        }
    }

    public boolean isClosed() {
        return closed;
    }

    @Override
    public String toString() {
        return "RedisEndpoint[" + uri + "]";
    }

    // ------------------------------------------------------------------ IO thread

    long defaultTimeoutNanos() {
        return defaultTimeoutNanos;
    }

    SocketAddress address() {
        return address;
    }

    /** Duty holder: the endpoint's first link; its first handshake completes {@link #firstReady}. */
    void start(IoAgent agent, long now) {
        shared = newLink(Link.Role.SHARED, agent);
        shared.open(now);
    }

    private Link newLink(Link.Role role, IoAgent agent) {
        Link l = new Link(this, role, agent);
        agent.addLink(l);
        return l;
    }

    /** Duty holder: where {@code c} goes, or null when it has to wait for a pooled link. */
    Link route(IoCommand c, IoAgent agent) {
        Lease lease = c.lease;
        if (lease != null) {
            if (lease.link == null) {
                Link l = acquire(agent);
                if (l == null) {
                    return null;
                }
                l.holder = lease;
                lease.link = l;
            }
            return lease.link;
        }
        switch (c.kind()) {
            case SUBSCRIBE, PSUBSCRIBE, SSUBSCRIBE, UNSUBSCRIBE, PUNSUBSCRIBE, SUNSUBSCRIBE -> {
                if (subscriber == null) {
                    subscriber = newLink(Link.Role.SUBSCRIBER, agent);
                    subscriber.open(agent.now());
                }
                return subscriber;
            }
            case MONITOR -> {
                if (monitor == null) {
                    monitor = newLink(Link.Role.MONITOR, agent);
                    monitor.open(agent.now());
                }
                return monitor;
            }
            default -> {
            }
        }
        if (c.blocking()) {
            Link l = acquire(agent);
            if (l != null) {
                l.holder = c;
            }
            return l;
        }
        return shared;
    }

    /** Duty holder: queue {@code c} until a pooled link frees up. */
    void waitForLink(IoCommand c) {
        c.where = IoCommand.Where.WAITING;
        waitingForLink.add(c);
    }

    private Link acquire(IoAgent agent) {
        Link l;
        while ((l = free.poll()) != null) {
            if (l.state != Link.State.CLOSED) {
                return l;
            }
        }
        if (dedicated.size() < options.maxDedicatedConnections()) {
            l = newLink(Link.Role.DEDICATED, agent);
            dedicated.add(l);
            l.open(agent.now());
            return l;
        }
        return null;
    }

    /** Duty holder: a dedicated link is free again; serve who waits for one, else pool it. */
    void release(Link l) {
        l.holder = null;
        if (l.inTransaction || l.watching || l.stateChanged || l.state == Link.State.CLOSED) {
            // never hand a socket with MULTI, WATCH or a changed database/user/protocol to someone else
            dedicated.remove(l);
            l.close(new RedisConnectionException("a dedicated connection was given back inside MULTI or WATCH, or "
                    + "with its database, user or protocol changed", false));
            l.runtimeAgent().removeLink(l);
            serveWaiting(l.runtimeAgent());
            return;
        }
        IoCommand next = waitingForLink.poll();
        if (next == null) {
            free.add(l);
            return;
        }
        assign(next, l);
    }

    private void assign(IoCommand next, Link l) {
        if (next.lease != null) {
            Lease lease = next.lease;
            l.holder = lease;
            lease.link = l;
            l.enqueue(next);
            // keep the lease's order: its later commands that waited go to the same link now
            waitingForLink.removeIf(c -> {
                if (c.lease == lease) {
                    l.enqueue(c);
                    return true;
                }
                return false;
            });
        } else {
            l.holder = next;
            l.enqueue(next);
        }
    }

    private void serveWaiting(IoAgent agent) {
        IoCommand next = waitingForLink.peek();
        if (next != null) {
            Link l = acquire(agent);
            if (l != null) {
                waitingForLink.poll();
                assign(next, l);
            }
        }
    }

    /** Duty holder: a timeout took {@code c} out of the wait for a pooled link. */
    boolean removeWaiting(IoCommand c) {
        return waitingForLink.remove(c);
    }

    /** Duty holder: a {@link DedicatedConnection} was closed. */
    void closeLease(Lease lease) {
        lease.closed = true;
        Link l = lease.link;
        if (l != null && l.holder == lease && l.isIdle()) {
            release(l); // else the last of its commands to end gives it back
        }
    }

    void linkReady(Link l, boolean first) {
        if (l == shared && first) {
            firstReady.complete(null);
        }
    }

    /** Duty holder: a link failed before it ever became ready. True when it should give up instead of retrying. */
    boolean linkFailedFirst(Link l, RedisException e) {
        if (l == shared && !firstReady.isDone()) {
            firstReady.completeExceptionally(e);
            return true;
        }
        return false;
    }

    /** Duty holder: close everything; what is pending fails with {@code why}. */
    void closeLinks(RedisException why) {
        closed = true;
        IoCommand c;
        while ((c = waitingForLink.poll()) != null) {
            runtime.agent().finish(c, why);
        }
        for (Link l : allLinks()) {
            l.close(why);
            runtime.agent().removeLink(l);
        }
        dedicated.clear();
        free.clear();
        firstReady.completeExceptionally(why);
    }

    private List<Link> allLinks() {
        List<Link> all = new ArrayList<>(dedicated);
        if (shared != null) {
            all.add(shared);
        }
        if (subscriber != null) {
            all.add(subscriber);
        }
        if (monitor != null) {
            all.add(monitor);
        }
        return all;
    }
}
