package io.respin.client.async.cluster;

import io.respin.RedisException;
import io.respin.engine.command.Command;
import io.respin.engine.connection.CommandKind;
import io.respin.engine.resp.RespHandler;
import io.respin.engine.resp.RespWriter;
import io.respin.io.AsyncCommand;
import io.respin.io.RedisEndpoint;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One command of the future-based cluster API: sent to its slot's owner, and sent again where a redirect says
 * ({@link ClusterRouter}). Its callbacks run on the completion thread; whatever may block (connecting to a node
 * first met in a MOVED, waiting for a refresh or a backoff) moves to the topology thread.
 *
 * <pre>{@code
 * CompletableFuture<Long> n = new ClusterCall<>(router, commands.strings().incr("hits")).start();
 * }</pre>
 */
public final class ClusterCall<T> extends AsyncCommand {
    private final ClusterRouter router;
    private final Command<T> command;
    private final CompletableFuture<T> future = new CallFuture();
    /** Set when the caller cancelled the future: no more sends, no more redirects. */
    private volatile boolean cancelled;
    private int slot;
    private int redirects;
    private long deadline;
    private long firstTimeoutNanos;
    /** Where the command was last sent: an ASK or MOVED without a host means that host. */
    private RedisEndpoint sentTo;
    /** Non-null for a part of a command run on every primary: this node, whatever the slot map says. */
    private RedisEndpoint pinned;
    /** The node's share of a pipeline batch this call went out in, until its first answer (then null). */
    private volatile ClusterBatch.Group group;
    /** While a redirect answered in a batch is being followed: the group that collects the resends. */
    private ClusterBatch.Group regroup;

    public ClusterCall(ClusterRouter router, Command<T> command) {
        this.router = router;
        this.command = command;
    }

    /** Sends the command to {@code endpoint} only (one primary's part of a command for every primary). */
    ClusterCall<T> pinned(RedisEndpoint endpoint) {
        this.pinned = endpoint;
        return this;
    }

    /** Routes and sends the command; the future completes with its value or its failure. */
    public CompletableFuture<T> start() {
        command.requireDecodableOnAnyThread();
        slot = CommandSlots.slotOrUnknown(this);
        if (slot == CommandSlots.UNKNOWN && !learnSlot()) {
            return future;
        }
        return routed();
    }

    /**
     * Sets {@link #slot} for a command the catalogue does not know and returns true; or, while the server is asked
     * (the name's first command, or one whose keys move with its arguments), returns false and routes it once the
     * answer is in.
     */
    private boolean learnSlot() {
        CompletableFuture<Integer> s = router.keyRules().slot(this);
        if (s.isDone()) {
            slot = s.join();
            return true;
        }
        s.thenAccept(known -> {
            try {
                slot = known;
                bridge(routed());
            } catch (RuntimeException e) {
                future.completeExceptionally(e);
            }
        });
        return false;
    }

    /** Completes {@link #future} with {@code own} when the command ran as another future (split, fanned out). */
    private void bridge(CompletableFuture<T> own) {
        if (own != future) {
            own.whenComplete((v, e) -> {
                if (e == null) {
                    future.complete(v);
                } else {
                    future.completeExceptionally(e instanceof java.util.concurrent.CompletionException
                            && e.getCause() != null ? e.getCause() : e);
                }
            });
        }
    }

    /** {@link #start} once {@link #slot} is known. */
    private CompletableFuture<T> routed() {
        if (slot == CommandSlots.CROSS) {
            if (MultiSlot.splits(command.name())) {
                return MultiSlot.run(router, command, timeoutNanos());
            }
            future.completeExceptionally(ClusterRouter.crossSlot(this));
            return future;
        }
        if (slot == CommandSlots.ANY && pinned == null) {
            java.util.List<byte[]> args = CommandSlots.arguments(this);
            String fanned = EveryPrimary.fanned(args);
            if (fanned != null) {
                return EveryPrimary.run(router, command, fanned, args, timeoutNanos());
            }
        }
        long now = System.nanoTime();
        deadline = router.deadline(this, now);
        firstTimeoutNanos = deadline == Long.MAX_VALUE ? 0 : deadline - now;
        go(ClusterRouter.Next.after(0, false), false);
        return future;
    }

    /** The endpoint the command was last handed to (null before it was sent): where a SUBSCRIBE now lives. */
    public RedisEndpoint sentTo() {
        return sentTo;
    }

    /** The caller's future, known before the command is sent (a pipeline hands it out when the command is queued). */
    public CompletableFuture<T> future() {
        return future;
    }

    /**
     * Routes the command for a batch ({@link ClusterBatch}): returns the endpoint of its slot's owner, to which the
     * batch hands it together with the node's other commands, or null when it went its own way — split by slot, run
     * on every primary, or sent later because its node is not connected yet; {@link #future()} ends either way.
     */
    RedisEndpoint routeForBatch() {
        command.requireDecodableOnAnyThread();
        slot = CommandSlots.slotOrUnknown(this);
        if (slot == CommandSlots.UNKNOWN && !learnSlot()) {
            return null; // its keys are being asked for: it goes on its own once known
        }
        if (slot == CommandSlots.CROSS || slot == CommandSlots.ANY && pinned == null
                && EveryPrimary.fanned(CommandSlots.arguments(this)) != null) {
            bridge(routed());
            return null;
        }
        long now = System.nanoTime();
        deadline = router.deadline(this, now);
        firstTimeoutNanos = deadline == Long.MAX_VALUE ? 0 : deadline - now;
        RedisEndpoint e = pinned != null ? pinned : router.resolve(ClusterRouter.Next.after(0, false), slot, false,
                command.isReadOnly());
        if (e == null) {
            go(ClusterRouter.Next.after(0, false), false);
            return null;
        }
        if (deadline != Long.MAX_VALUE && !blocking()) {
            timeout(Duration.ofNanos(deadline - now));
        }
        sentTo = e;
        return e;
    }

    /** The batch could not hand the command to its node: a redirect-like failure is retried, anything else fails it. */
    void refused(RuntimeException e) {
        if (e instanceof RedisException r) {
            onFailed(r);
        } else {
            future.completeExceptionally(e);
        }
    }

    /** Sends the command as {@code next} says, on this thread if that cannot block, else on the topology thread. */
    private void go(ClusterRouter.Next next, boolean mayBlock) {
        // taken first, on the thread that follows the redirect: a resend that goes via the topology thread is not
        // regrouped (its group may have been sent by then)
        ClusterBatch.Group g = regroup;
        regroup = null;
        if (cancelled) {
            return;
        }
        if (!mayBlock && (next.delayNanos() > 0 || next.refreshFirst())) {
            later(next);
            return;
        }
        RedisEndpoint e;
        try {
            e = pinned != null ? pinned : router.resolve(next, slot, mayBlock, command.isReadOnly());
        } catch (RedisException failure) {
            fail(failure);
            return;
        }
        if (e == null) {
            if (!mayBlock) {
                later(new ClusterRouter.Next(null, next.host(), next.port(), next.asking(), 0, false));
                return;
            }
            // nobody serves the slot: the cluster is (partly) down; wait for a refresh, like CLUSTERDOWN
            retryOrFail(new io.respin.RedisServerException("CLUSTERDOWN the client knows no node serving slot " + slot
                    + " (a failover in progress, or the cluster lost that shard)"));
            return;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            fail(ClusterRouter.expired(command.name(), redirects, firstTimeoutNanos));
            return;
        }
        if (deadline != Long.MAX_VALUE && !blocking()) {
            timeout(Duration.ofNanos(left));
        }
        sentTo = e;
        if (g != null) { // a redirect of a batch: sent with the batch's other redirects to the same node
            g.park(e, this, next.asking());
            return;
        }
        try {
            ClusterRouter.send(e, this, next.asking());
        } catch (RedisException failure) {
            onFailed(failure);
        }
    }

    /** Joins {@code g}: the call's first answer counts toward the node's share of the batch. */
    void joinGroup(ClusterBatch.Group g) {
        group = g;
    }

    /** The group this call belongs to, taken once (its first answer). */
    private ClusterBatch.Group leaveGroup() {
        ClusterBatch.Group g = group;
        group = null;
        return g;
    }

    /**
     * Runs {@code next} on the topology thread, after its delay (and a refresh, if it asks for one). The delay ends
     * early when a refresh installs a new map: the command goes to the slot's new owner at once.
     */
    private void later(ClusterRouter.Next next) {
        ClusterRouter.Next now = new ClusterRouter.Next(null, next.host(), next.port(), next.asking(), 0, false);
        CompletableFuture<?> installed = router.nodes().nextInstall();
        java.util.concurrent.atomic.AtomicBoolean once = new java.util.concurrent.atomic.AtomicBoolean();
        Runnable resend = () -> {
            if (once.compareAndSet(false, true)) {
                goLater(now);
            }
        };
        java.util.concurrent.ScheduledExecutorService topology = router.nodes().topologyThread();
        try {
            if (next.refreshFirst()) {
                router.nodes().requestRefresh().whenComplete((m, e) -> afterDelay(topology, resend, installed,
                        next.delayNanos()));
            } else {
                afterDelay(topology, resend, installed, next.delayNanos());
            }
        } catch (RuntimeException closed) {
            fail(new io.respin.RedisConnectionException(command.name() + " was not sent: the cluster client is closed",
                    false));
        }
    }

    /** Runs {@code resend} on {@code topology} after {@code delayNanos}, or as soon as {@code installed} completes. */
    private void afterDelay(java.util.concurrent.ScheduledExecutorService topology, Runnable resend,
                            CompletableFuture<?> installed, long delayNanos) {
        try {
            if (delayNanos <= 0 || installed.isDone()) {
                topology.execute(resend);
                return;
            }
            topology.schedule(resend, delayNanos, TimeUnit.NANOSECONDS);
            installed.whenComplete((m, e) -> {
                try {
                    topology.execute(resend);
                } catch (RuntimeException closed) {
                    // the scheduled one fails the call
                }
            });
        } catch (RuntimeException closed) {
            fail(new io.respin.RedisConnectionException(command.name() + " was not sent: the cluster client is closed",
                    false));
        }
    }

    /**
     * {@link #go} on the topology thread: whatever it throws fails this call (a scheduled task's exception would
     * otherwise vanish into its executor, and the caller's future would never end).
     */
    private void goLater(ClusterRouter.Next next) {
        try {
            go(next, true);
        } catch (RuntimeException | Error t) {
            fail(new io.respin.RedisConnectionException(command.name() + " could not be sent again after a redirect "
                    + "or retry: " + t, true));
            if (t instanceof Error err) {
                throw err;
            }
        }
    }

    private void retryOrFail(RedisException error) {
        ClusterRouter.Next next = router.next(error, sentTo, slot, redirects, deadline, command.isReadOnly(),
                command.name());
        if (next.failure() != null) {
            fail(next.failure());
            return;
        }
        redirects++;
        go(next, false);
    }

    private void fail(RedisException e) {
        future.completeExceptionally(e);
    }

    @Override protected void onCompleted() {
        ClusterBatch.Group g = leaveGroup();
        try {
            RedisException f = command.failure();
            if (f != null) {
                future.completeExceptionally(f);
            } else {
                future.complete(command.result());
            }
        } finally {
            if (g != null) {
                g.answered();
            }
        }
    }

    @Override protected void onFailed(RedisException error) {
        ClusterBatch.Group g = leaveGroup();
        try {
            if (cancelled) {
                return;
            }
            regroup = g; // a MOVED/ASK followed at once parks in g, and goes out with the others once g is all in
            retryOrFail(error);
        } finally {
            regroup = null;
            if (g != null) {
                g.answered();
            }
        }
    }

    /**
     * The caller's future: cancelling it withdraws the command wherever it is — unsent, it is never sent; in
     * flight, its reply is discarded; waiting for a redirect, a backoff or a refresh, it is not sent again.
     */
    private final class CallFuture extends CompletableFuture<T> {
        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            boolean done = super.cancel(mayInterruptIfRunning);
            if (done) {
                cancelled = true;
                ClusterCall.this.cancel();
            }
            return done;
        }
    }

    @Override public void encode(RespWriter w) { command.encode(w); }

    @Override public RespHandler replyHandler() { return command.replyHandler(); }

    @Override public CommandKind kind() { return command.kind(); }

    @Override public int channelCount() { return command.channelCount(); }

    @Override public String name() { return command.name(); }

    @Override public boolean blocking() { return command.isBlocking(); }

    @Override public long blockNanos() { return command.blockNanos(); }

    @Override public boolean idempotent() { return command.isReadOnly(); }

    @Override public long weight() { return command.weight(); }
}
