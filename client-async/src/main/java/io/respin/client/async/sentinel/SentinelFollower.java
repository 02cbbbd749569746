package io.respin.client.async.sentinel;

import io.respin.RedisConnectionException;
import io.respin.RedisServerException;
import io.respin.client.async.RedisAsyncCommands;
import io.respin.engine.command.Command;
import io.respin.engine.command.Commands;
import io.respin.engine.command.Decoders;
import io.respin.engine.connection.CommandKind;
import io.respin.engine.resp.Reply;
import io.respin.engine.sentinel.HostAndPort;
import io.respin.engine.sentinel.SentinelDiscovery.Step;
import io.respin.engine.sentinel.SentinelReplies;
import io.respin.io.ConnectionEvents;
import io.respin.io.ConnectionOptions;
import io.respin.io.IoCommand;
import io.respin.io.IoRuntime;
import io.respin.io.PushListener;
import io.respin.io.RedisEndpoint;
import io.respin.io.RedisUri;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Keeps one {@link RedisEndpoint} on the current primary of a master name: the client's commands, pipelines,
 * transactions and subscriptions all go through that endpoint, and when the primary changes the follower
 * {@linkplain RedisEndpoint#moveTo moves} it, so every connection — shared, dedicated, subscriber — follows at once.
 * <pre>
 *   signals ──▶ pending ──▶ follower thread: find() through the sentinels, ROLE-verified ──▶ same primary: nothing
 *     shared connection lost          (ConnectionEvents, IO duty thread)                     another: endpoint.moveTo
 *     READONLY / LOADING error reply  (ConnectionEvents, IO duty thread)
 *     +switch-master, +promoted-slave (PushListener, push thread)      no usable primary yet: retry, 25 ms .. 500 ms
 * </pre>
 * {@code +switch-master} is only an early signal (the node it names is moved to at once only if its {@code ROLE} says
 * primary; else the sentinels are asked): every loss of the shared connection re-resolves the primary
 * through the sentinels, and so does a node that answers as a replica would. Moving drops the old primary's
 * sockets: what was in flight there fails with an unknown outcome (never resent as a write), what had not been
 * written goes to the new primary.
 *
 * <p>Threads: the signals only set {@link #pending} and unpark the follower thread; everything else (discovery,
 * moves, the sentinel subscription) happens on that one thread, which ends with {@link #close()}.
 */
public final class SentinelFollower implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("io.respin.sentinel");
    private static final long RETRY_MIN_NANOS = TimeUnit.MILLISECONDS.toNanos(25);
    private static final long RETRY_MAX_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    /** How often an idle follower checks that its sentinel subscription is alive. */
    private static final long TICK_NANOS = TimeUnit.SECONDS.toNanos(1);
    static final String SWITCH_MASTER = "+switch-master";
    /** Published when the failover's replica answers as the primary, before the others are reconfigured. */
    static final String PROMOTED = "+promoted-slave";
    /** Discovery rounds without a usable primary (about 10 s) before the follower logs a warning. */
    private static final int WARN_AFTER_ATTEMPTS = 25;

    private final IoRuntime runtime;
    private final PrimaryFinder finder;
    private final SentinelSetup setup;
    private final RedisUri data;
    private final Thread thread;
    private volatile boolean pending;
    private volatile boolean closed;
    /** Follower thread (and the building thread before it starts). */
    private RedisEndpoint endpoint;
    private volatile HostAndPort primary;
    private RedisEndpoint watch;
    private HostAndPort watching;
    private volatile boolean watchDown;
    private volatile long moves;
    /** The replicas reads go to (readFromReplicas), and a lost connection of one of them. */
    private final ReplicaReads reads;
    private volatile boolean replicasPending;
    /** The new primary a +switch-master named (push thread writes, follower takes): checked with ROLE first. */
    private volatile HostAndPort announced;

    private SentinelFollower(IoRuntime runtime, SentinelSetup setup, RedisUri data) {
        this.runtime = runtime;
        this.setup = setup;
        this.data = data;
        this.finder = setup.finder(data);
        this.thread = Thread.ofPlatform().daemon().name("respin-sentinel-" + setup.uri().masterName())
                .unstarted(this::run);
        this.reads = new ReplicaReads(runtime, data, new ConnectionEvents() {
            @Override public void onConnectionLost(String address, RedisConnectionException why) {
                replicasPending = true;
                LockSupport.unpark(thread);
            }
        });
    }

    /**
     * Finds the primary through the sentinels, connects to it and starts following it.
     *
     * @throws RedisConnectionException no sentinel named a primary that says it is one (the message says why)
     */
    static SentinelFollower start(IoRuntime runtime, SentinelSetup setup, RedisUri data, ConnectionOptions.Builder options) {
        SentinelFollower f = new SentinelFollower(runtime, setup, data);
        Step.Found found = f.finder.find();
        f.primary = found.primary();
        f.endpoint = runtime.connect(data.withAddress(found.primary().host(), found.primary().port()),
                options.connectionEvents(f.events()).build());
        f.watching = found.namedBy();
        if (setup.readFromReplicas()) {
            f.refreshReplicas(); // before the thread starts (which then owns the replica endpoints)
        }
        f.thread.start();
        return f;
    }

    /** The endpoint on the current primary; the same object for the follower's life. */
    public RedisEndpoint endpoint() {
        return endpoint;
    }

    /** The primary the endpoint is on now (as the sentinels named it). */
    public HostAndPort primary() {
        return primary;
    }

    /** How many times the endpoint moved to another primary. */
    public long moves() {
        return moves;
    }

    /** Replicas of the current primary that the sentinels list as usable, each verified with {@code ROLE}. */
    public java.util.List<HostAndPort> replicas() {
        HostAndPort p = primary;
        return finder.replicas(p);
    }

    /** The replicas reads go to now (readFromReplicas), as the follower last verified them. */
    public java.util.List<HostAndPort> readReplicas() {
        return reads.nodes();
    }

    /**
     * Where the client's command facades submit: the endpoint; with readFromReplicas, read-only commands
     * ({@link IoCommand#idempotent()}, the server's {@code readonly} flag) go to the verified replicas in turn.
     */
    public java.util.function.Consumer<IoCommand> commandTarget() {
        return setup.readFromReplicas() ? c -> reads.submit(c, endpoint) : endpoint::submit;
    }

    /** Lists the replicas through the sentinels again, each verified with ROLE, and keeps an endpoint on each. */
    private void refreshReplicas() {
        replicasPending = false;
        reads.refresh(replicas(), endpoint.options());
    }

    private ConnectionEvents events() {
        return new ConnectionEvents() {
            @Override public void onConnectionLost(String address, RedisConnectionException why) {
                signal();
            }

            @Override public void onServerError(RedisServerException error) {
                String p = error.prefix();
                if ("READONLY".equals(p) || "LOADING".equals(p) || "MASTERDOWN".equals(p)) {
                    signal(); // the node is not (or not yet) a primary we can write to: ask the sentinels
                }
            }
        };
    }

    private void signal() {
        pending = true;
        LockSupport.unpark(thread);
    }

    private void run() {
        // the first subscription is made here, not in start(): building the client does not wait for it
        subscribe(watching);
        while (!closed) {
            if (!pending && !replicasPending) {
                LockSupport.parkNanos(this, TICK_NANOS);
            }
            if (closed) {
                break;
            }
            if (pending || watchDown) {
                pending = false;
                follow();
                replicasPending |= setup.readFromReplicas();
            }
            if (replicasPending && !closed) {
                refreshReplicas();
            }
        }
    }

    /** Resolves the primary until a verified one is found (or the client closes), and moves the endpoint there. */
    private void follow() {
        long delay = RETRY_MIN_NANOS;
        for (int attempt = 1; !closed; attempt++) {
            HostAndPort hint = announced;
            announced = null;
            if (hint != null && !hint.equals(primary) && finder.isPrimary(hint)) {
                // the node +switch-master named says it is the primary: no need for a round of the sentinels
                move(hint, "announced by a sentinel's " + SWITCH_MASTER + " or " + PROMOTED);
                return;
            }
            try {
                Step.Found f = finder.find();
                if (!f.primary().equals(primary)) {
                    move(f.primary(), "named by sentinel " + f.namedBy());
                }
                if (watchDown || watch == null) {
                    subscribe(f.namedBy());
                }
                return;
            } catch (RuntimeException e) { // no usable primary yet (a failover under way): ask again shortly
                // a failover takes seconds; one that does not end (or a refused password) is worth a warning
                LOG.log(attempt == WARN_AFTER_ATTEMPTS ? System.Logger.Level.WARNING : System.Logger.Level.DEBUG,
                        () -> "respin: no usable primary for '" + finder.masterName() + "' yet, still asking the "
                                + "sentinels: " + e.getMessage());
                pending = false;
                LockSupport.parkNanos(this, delay); // a signal (+switch-master) wakes it early
                delay = Math.min(2 * delay, RETRY_MAX_NANOS);
            }
        }
    }

    private void move(HostAndPort to, String why) {
        HostAndPort from = primary;
        endpoint.moveTo(to.host(), to.port());
        primary = to;
        moves++;
        LOG.log(System.Logger.Level.INFO, () -> "respin: the primary of '" + finder.masterName() + "' moved from "
                + from + " to " + to + " (" + why + ", its ROLE checked); every connection follows");
    }

    /**
     * SUBSCRIBE +switch-master and +promoted-slave on {@code sentinel}: early signals that the primary moved (the
     * second comes first: when the chosen replica answers as the primary, before the others are reconfigured).
     */
    private void subscribe(HostAndPort sentinel) {
        if (watch != null) {
            watch.close();
            watch = null;
        }
        try {
            RedisEndpoint e = runtime.connect(setup.sentinelUri(sentinel), setup.sentinelOptions()
                    .pushListener(new SwitchMasterListener()).build());
            watchDown = false;
            new RedisAsyncCommands<>(e::submit, Commands.utf8()).submit(new Command<>("SUBSCRIBE", CommandKind.SUBSCRIBE,
                    2, w -> w.array(3).arg("SUBSCRIBE").arg(SWITCH_MASTER).arg(PROMOTED), Decoders.reply()));
            watch = e;
            watching = sentinel;
        } catch (RuntimeException e) {
            watchDown = true; // tried again on the next tick, on the sentinel that answers first then
            LOG.log(System.Logger.Level.DEBUG, () -> "respin: cannot subscribe to " + SWITCH_MASTER + " on sentinel "
                    + sentinel + ": " + e.getMessage());
        }
    }

    /** On the push thread: a +switch-master or +promoted-slave for our master name wakes the follower. */
    private final class SwitchMasterListener implements PushListener {
        @Override public void onPush(Reply push) {
            if (push instanceof Reply.Aggregate a && a.size() >= 3 && "message".equals(a.get(0).asString())) {
                String channel = a.get(1).asString();
                SentinelReplies.SwitchMaster m = SWITCH_MASTER.equals(channel)
                        ? SentinelReplies.switchMaster(a.get(2).asString())
                        : PROMOTED.equals(channel) ? SentinelReplies.promotedReplica(a.get(2).asString()) : null;
                if (m != null && m.masterName().equals(finder.masterName())) {
                    announced = m.to();
                    signal();
                }
            }
        }

        @Override public void onDisconnected(RedisConnectionException why) {
            watchDown = true;
        }
    }

    /** Stops following and closes the endpoint and the sentinel subscription. */
    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(thread);
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (watch != null) {
            watch.close();
        }
        reads.close();
        endpoint.close();
    }
}
