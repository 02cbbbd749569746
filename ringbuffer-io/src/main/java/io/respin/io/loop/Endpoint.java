package io.respin.io.loop;

import io.respin.RedisConnectionException;
import io.respin.RedisException;
import io.respin.io.handoff.Pushes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The loop's side of one endpoint: which link each command goes to. Ordinary commands share one auto-pipelined
 * link; SUBSCRIBE-family commands go to the subscriber link, MONITOR to the monitor link (each opened with its
 * first command); blocking commands and a dedicated connection's commands take a link from the
 * {@link DedicatedPool}. The public {@code io.respin.io.RedisEndpoint} is its face.
 * <pre>
 *   route(c) ─ lease? ─▶ the lease's link (acquired with its first command, else null: wait in the pool)
 *            ─ (P|S)(UN)SUBSCRIBE ─▶ subscriber     ─ MONITOR ─▶ monitor
 *            ─ blocking ─▶ a pooled link, held by c (else null: wait in the pool)
 *            ─ else ─▶ shared
 * </pre>
 * Duty-confined (the IO thread, or a submitter holding the duty), except {@link #closed} (volatile, any thread),
 * {@link #firstReady} (completed by the duty holder, awaited by the connecting thread) and {@link #pushes}.
 */
public final class Endpoint {

    private final Loop loop;
    /** Duty holder writes (moveTo); any thread reads (submit stamps deadlines from it). */
    private volatile Target target;
    /** Completed by the duty holder when the shared link's first handshake ends; awaited by connect(). */
    private final CompletableFuture<Void> firstReady = new CompletableFuture<>();
    /** The way to the push listener: filled by the duty holder, emptied by the push thread ({@link Pushes}). */
    final Pushes.Sink pushes;
    /** Any thread: set by close() (or by the IO thread closing the links); read by submit. */
    private volatile boolean closed;
    /** What a {@link Probe} is told about for this endpoint (the API's {@code RedisEndpoint}), or null. */
    private final Object face;

    // duty-confined (the IO thread, or a submitter holding the duty): routing and the dedicated pool
    private Link shared;
    private Link subscriber;
    private Link monitor;
    private final DedicatedPool pool = new DedicatedPool(this);

    Endpoint(Loop loop, Target target, Object face) {
        this.loop = loop;
        this.target = target;
        this.face = face;
        this.pushes = new Pushes.Sink(loop.pushes(), target.listener());
    }

    public Target target() {
        return target;
    }

    Loop loop() {
        return loop;
    }

    /** The object given to {@link Loop#endpoint(Target, Object)}: who a {@link Probe} event is about. */
    public Object face() {
        return face;
    }

    DedicatedPool pool() {
        return pool;
    }

    /** Completes when the shared link's first handshake succeeds, or exceptionally with why it failed. */
    public CompletableFuture<Void> firstReady() {
        return firstReady;
    }

    public boolean isClosed() {
        return closed;
    }

    /** Pushes waiting in the runtime's push queue for this endpoint's listener. */
    public long pushBacklog() {
        return pushes.backlog();
    }

    /** Pushes the listener never got (queue full, or closed first). */
    public long droppedPushes() {
        return pushes.dropped();
    }

    /** Any thread: closes every link (on the IO thread); pending commands fail, queued pushes are discarded. */
    public void close() {
        if (!closed) {
            closed = true;
            pushes.close();
            loop.control(() -> closeLinks(new RedisConnectionException("the endpoint for " + target.name()
                    + " was closed", false)));
        }
    }

    /**
     * Control task: the server moved (a Sentinel failover named another primary). Every link drops its socket as on
     * a connection loss (what was in flight fails, outcome unknown, or is resent by the idempotent rule) and reconnects
     * to {@code to}'s address: what waits goes there, subscriptions are restored there.
     */
    public void moveTo(Target to, long now) {
        if (closed) {
            return;
        }
        String from = target.address();
        for (Link l : allLinks()) {
            l.moved(from, to.address(), now); // dropped while they still name the old server; they reconnect later
        }
        target = to;
    }

    /** Control task: a dedicated connection was closed. */
    public void closeLease(Lease lease) {
        pool.closeLease(lease);
    }

    // ------------------------------------------------------------------ duty holder

    /** The endpoint's first link; its first handshake completes {@link #firstReady}. */
    public void start(IoAgent agent, long now) {
        shared = newLink(Link.Role.SHARED, agent);
        shared.open(now);
    }

    Link newLink(Link.Role role, IoAgent agent) {
        Link l = new Link(this, role, agent);
        agent.addLink(l);
        return l;
    }

    /** Where {@code c} goes, or null when it has to wait for a pooled link. */
    Link route(Submission c, IoAgent agent) {
        Lease lease = c.lease;
        if (lease != null) {
            if (lease.link == null) {
                Link l = pool.acquire(agent);
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
            Link l = pool.acquire(agent);
            if (l != null) {
                l.holder = c;
            }
            return l;
        }
        return shared;
    }

    /** Queue {@code c} until a pooled link frees up. */
    void waitForLink(Submission c) {
        pool.waitForLink(c);
    }

    void linkReady(Link l, boolean first) {
        if (l == shared && first) {
            firstReady.complete(null);
        }
    }

    /** A link failed before it ever became ready. True when it should give up instead of retrying. */
    boolean linkFailedFirst(Link l, RedisException e) {
        if (l == shared && !firstReady.isDone()) {
            firstReady.completeExceptionally(e);
            return true;
        }
        return false;
    }

    /** Close everything; what is pending fails with {@code why}. */
    void closeLinks(RedisException why) {
        closed = true;
        pool.failWaiting(why, loop.agent());
        for (Link l : allLinks()) {
            l.close(why);
            loop.agent().removeLink(l);
        }
        pool.clear();
        firstReady.completeExceptionally(why);
    }

    /** Control task (IO thread): each link's state now, shared link first. */
    public List<LinkStatus> linkStatus() {
        List<Link> all = allLinks();
        List<LinkStatus> out = new ArrayList<>(all.size());
        if (shared != null) {
            out.add(shared.status());
        }
        for (Link l : all) {
            if (l != shared) {
                out.add(l.status());
            }
        }
        return out;
    }

    List<Link> allLinks() {
        List<Link> all = new ArrayList<>(pool.links());
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
