package io.respin.io.loop;

import io.respin.RedisConnectionException;
import io.respin.RedisException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * An endpoint's dedicated links, opened on demand up to {@code maxDedicatedConnections}: a blocking command holds
 * one for as long as it blocks, a {@code DedicatedConnection} (a {@link Lease}) until it is closed and idle. A link
 * given back inside MULTI or WATCH, or with its session changed (SELECT, HELLO...), is closed, never reused.
 * <pre>
 *   acquire ─▶ a free link, else a new one (below the bound), else null: the command waits here
 *   a command ends / a link is lost ─▶ ended / lost ─▶ release ─▶ the first waiter (and its lease's later
 *                                                                  commands, in order), else the free list
 * </pre>
 * Duty-confined (the IO thread, or a submitter holding the duty).
 */
final class DedicatedPool {

    private final Endpoint endpoint;
    private final List<Link> links = new ArrayList<>();
    private final ArrayDeque<Link> free = new ArrayDeque<>();
    /** Commands waiting for a pooled link (blocking commands, dedicated connections' first commands). */
    private final ArrayDeque<Submission> waitingForLink = new ArrayDeque<>();

    DedicatedPool(Endpoint endpoint) {
        this.endpoint = endpoint;
    }

    List<Link> links() {
        return links;
    }

    /** Queue {@code c} until a pooled link frees up. */
    void waitForLink(Submission c) {
        c.where = Submission.Where.WAITING;
        waitingForLink.add(c);
    }

    /** A timeout took {@code c} out of the wait for a pooled link. */
    boolean removeWaiting(Submission c) {
        return waitingForLink.remove(c);
    }

    Link acquire(IoAgent agent) {
        Link l;
        while ((l = free.poll()) != null) {
            if (l.state != Link.State.CLOSED) {
                return l;
            }
        }
        if (links.size() < endpoint.target().maxDedicatedConnections()) {
            l = endpoint.newLink(Link.Role.DEDICATED, agent);
            links.add(l);
            l.open(agent.now());
            return l;
        }
        return null;
    }

    /** A command of {@code l} ended; {@code heldBy} held it before: a link nothing holds any more goes back. */
    void ended(Link l, Object heldBy) {
        if (l.role == Link.Role.DEDICATED && heldBy instanceof Submission && l.inFlight == 0) {
            release(l); // a blocking command ended: the link goes back to the pool
        } else if (l.role == Link.Role.DEDICATED && heldBy instanceof Lease lease && lease.closed && l.isIdle()) {
            release(l);
        }
    }

    /** {@code l} lost its socket (now in BACKOFF): a blocking command's link, or a closed lease's idle one, goes back. */
    void lost(Link l) {
        if (l.role == Link.Role.DEDICATED && (l.holder instanceof Submission
                || l.holder instanceof Lease lease && lease.closed && l.isIdle())) {
            release(l);
        }
    }

    /** A dedicated link is free again; serve who waits for one, else pool it. */
    void release(Link l) {
        l.holder = null;
        if (l.sessionChanged() || l.state == Link.State.CLOSED) {
            // never hand a socket with MULTI, WATCH or a changed database/user/protocol to someone else
            links.remove(l);
            l.close(new RedisConnectionException("a dedicated connection was given back inside MULTI or WATCH, or "
                    + "with its database, user or protocol changed", false));
            l.agent.removeLink(l);
            serveWaiting(l.agent);
            return;
        }
        Submission next = waitingForLink.poll();
        if (next == null) {
            free.add(l);
            return;
        }
        assign(next, l);
    }

    private void assign(Submission next, Link l) {
        if (next.lease != null) {
            Lease lease = next.lease;
            l.holder = lease;
            lease.link = l;
            l.writer.enqueue(next);
            // keep the lease's order: its later commands that waited go to the same link now
            waitingForLink.removeIf(c -> {
                if (c.lease == lease) {
                    l.writer.enqueue(c);
                    return true;
                }
                return false;
            });
        } else {
            l.holder = next;
            l.writer.enqueue(next);
        }
    }

    private void serveWaiting(IoAgent agent) {
        Submission next = waitingForLink.peek();
        if (next != null) {
            Link l = acquire(agent);
            if (l != null) {
                waitingForLink.poll();
                assign(next, l);
            }
        }
    }

    /** A dedicated connection was closed. */
    void closeLease(Lease lease) {
        lease.closed = true;
        Link l = lease.link;
        if (l != null && l.holder == lease && l.isIdle()) {
            release(l); // else the last of its commands to end gives it back
        }
    }

    /** The endpoint closes: who waits for a link fails with {@code why}; the links are the endpoint's to close. */
    void failWaiting(RedisException why, IoAgent agent) {
        Submission c;
        while ((c = waitingForLink.poll()) != null) {
            agent.finish(c, why);
        }
    }

    void clear() {
        links.clear();
        free.clear();
    }
}
