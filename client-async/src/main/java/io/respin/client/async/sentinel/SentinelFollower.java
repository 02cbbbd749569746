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
import io.respin.engine.sentinel.Role;
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
 *     READONLY / LOADING error reply  (ConnectionEvents, IO duty thread)     (stale-sentinel guard: rejectStale)
 *     +switch-master, +promoted-slave (PushListener, push thread)      no usable primary yet: retry, 25 ms .. 500 ms,
 *                                                                       polling the replicas' ROLE in between
 *   +sdown / +odown / +try-failover of the primary ──▶ watchful: ROLE of each known replica every 25 ms (15 s at
 *   -sdown / -odown ──▶ not watchful                              most); one that says master: endpoint.moveTo
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
    /** Early signals that the primary is down and a failover may follow (published with "master <name> <ip> <port>"). */
    static final String SDOWN = "+sdown";
    static final String SDOWN_END = "-sdown";
    static final String ODOWN = "+odown";
    static final String ODOWN_END = "-odown";
    static final String TRY_FAILOVER = "+try-failover";
    static final String[] CHANNELS = {SWITCH_MASTER, PROMOTED, SDOWN, SDOWN_END, ODOWN, ODOWN_END, TRY_FAILOVER};
    /** While watchful: how often the known replicas are asked ROLE. */
    static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(25);
    /** How long one down signal (or an unreachable primary) keeps the follower watchful at most. */
    static final long WATCH_NANOS = TimeUnit.SECONDS.toNanos(15);
    /** How many nodes the client left are remembered for the stale-sentinel guard. */
    private static final int LEFT_KEPT = 8;
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
    /**
     * Watchful until this {@link System#nanoTime()} (0: not): the primary was reported down ({@code +sdown},
     * {@code +odown}, {@code +try-failover}) or is unreachable; the known replicas are asked ROLE every
     * {@link #POLL_NANOS}, to move to a promoted one as soon as it says so. Push thread and follower thread.
     */
    private volatile long watchfulUntil;
    /** Follower thread: the replicas of the current primary as a sentinel listed them (empty: not listed yet). */
    private java.util.List<HostAndPort> knownReplicas = java.util.List.of();
    /** Follower thread: the config epoch of the current primary's configuration (-1: unknown). */
    private long epoch = -1;
    /** Follower thread: the primaries the client moved away from, newest last (the stale-sentinel guard). */
    private final java.util.LinkedHashSet<HostAndPort> left = new java.util.LinkedHashSet<>();
    /** Follower thread: in the discovery running now, a sentinel was passed over as stale. */
    private boolean staleSeen;
    private volatile long rolePolls;

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
        f.epoch = f.finder.epoch(found.namedBy());
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

    /** How many ROLE questions the watchful follower asked the replicas so far. */
    long rolePolls() {
        return rolePolls;
    }

    /** Whether the follower is watching the replicas for a promotion now. */
    boolean watchful() {
        return watching();
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
                LockSupport.parkNanos(this, watching() ? POLL_NANOS : TICK_NANOS);
            }
            if (closed) {
                break;
            }
            if (pending || watchDown) {
                pending = false;
                follow();
                replicasPending |= setup.readFromReplicas();
            } else if (watching() && pollReplicas()) {
                replicasPending |= setup.readFromReplicas();
            }
            if (replicasPending && !closed) {
                refreshReplicas();
            }
        }
    }

    private boolean watching() {
        long until = watchfulUntil;
        if (until != 0 && until - System.nanoTime() <= 0) {
            watchfulUntil = 0; // bounded: a signal that is not followed by a failover stops costing ROLE questions
            return false;
        }
        return until != 0;
    }

    private void watchFor(long nanos) {
        watchfulUntil = (System.nanoTime() + nanos) | 1; // never 0
    }

    /**
     * Watchful: asks each known replica of the current primary {@code ROLE}; the first that says it is the primary
     * was promoted (only a failover makes a replica of ours a primary), and the endpoint moves there at once, before
     * any sentinel announces it. A replica that follows another primary already names it: that one is checked.
     *
     * @return whether the endpoint moved
     */
    private boolean pollReplicas() {
        if (knownReplicas.isEmpty()) {
            knownReplicas = finder.listedReplicas();
        }
        HostAndPort from = primary;
        for (HostAndPort r : knownReplicas) {
            if (closed) {
                return false;
            }
            Role role = finder.role(r);
            rolePolls++;
            HostAndPort promoted = null;
            if (role != null && role.isPrimary()) {
                promoted = r;
            } else if (role != null && role.kind() == Role.Kind.REPLICA && !sameNode(role.primary(), from)
                    && finder.isPrimary(role.primary())) {
                promoted = role.primary(); // already reconfigured to the new primary
            }
            if (promoted != null && !promoted.equals(from) && !left.contains(promoted)) {
                epoch = epoch < 0 ? -1 : epoch + 1; // a failover's epoch is above the configuration it replaces
                move(promoted, "a replica of " + from + " that says it is the primary now");
                watchfulUntil = 0;
                return true;
            }
        }
        return false;
    }

    /** ROLE names a replica's primary by the address it replicates from: compare the port (and host when equal). */
    private static boolean sameNode(HostAndPort a, HostAndPort b) {
        return a != null && b != null && a.port() == b.port()
                && (a.host().equals(b.host()) || isLoopback(a.host()) && isLoopback(b.host()));
    }

    private static boolean isLoopback(String host) {
        return host.equals("127.0.0.1") || host.equals("localhost") || host.equals("::1");
    }

    /**
     * The stale-sentinel guard, asked before the ROLE check of a node a sentinel names: a sentinel that has not yet
     * seen the failover still names the old primary, which may still answer as a primary (a manual failover, a
     * restart) — the client never goes back there while the primary it moved to still says it is the primary,
     * unless the sentinel's config epoch is newer than the one the client's primary belongs to (a later failover
     * back). Offsets are not compared: a demoted primary that kept taking writes can be ahead of the promoted one.
     */
    private String rejectStale(HostAndPort candidate, HostAndPort sentinel, long sentinelEpoch) {
        if (candidate.equals(primary) || !left.contains(candidate)) {
            return null;
        }
        if (sentinelEpoch >= 0 && epoch >= 0 && sentinelEpoch > epoch) {
            return null; // a later failover made it the primary again
        }
        if (!finder.isPrimary(primary)) {
            return null; // the client's primary is gone or demoted: the sentinels know better
        }
        staleSeen = true;
        LOG.log(System.Logger.Level.DEBUG, () -> "respin: sentinel " + sentinel + " still names " + candidate
                + " (config epoch " + sentinelEpoch + "), the primary of '" + finder.masterName() + "' before "
                + primary + " (epoch " + epoch + "), which still says it is the primary: a stale sentinel, passed over");
        return "a stale sentinel: the client left it for " + primary + ", which still says it is the primary";
    }

    /**
     * Resolves the primary until a verified one is found (or the client closes), and moves the endpoint there. While
     * the sentinels name no usable primary (a failover under way), they are asked again after 25 ms, doubling up to
     * 500 ms, and in between — for the first {@link #WATCH_NANOS}, or while a down signal is on — the known replicas
     * are asked ROLE every {@link #POLL_NANOS}: the promoted one is found the moment it says so.
     */
    private void follow() {
        long delay = RETRY_MIN_NANOS;
        long start = System.nanoTime();
        long nextFind = start;
        for (int attempt = 1; !closed; ) {
            HostAndPort hint = announced;
            announced = null;
            if (hint != null && !hint.equals(primary) && !left.contains(hint) && finder.isPrimary(hint)) {
                // the node +switch-master named says it is the primary: no need for a round of the sentinels
                epoch = epoch < 0 ? -1 : epoch + 1;
                move(hint, "announced by a sentinel's " + SWITCH_MASTER + " or " + PROMOTED);
                return;
            }
            if (System.nanoTime() - nextFind >= 0 || pending) {
                pending = false;
                staleSeen = false;
                try {
                    Step.Found f = finder.find(this::rejectStale);
                    long e = finder.epoch(f.namedBy());
                    if (!f.primary().equals(primary)) {
                        epoch = e;
                        move(f.primary(), "named by sentinel " + f.namedBy());
                    } else if (e > epoch) {
                        epoch = e;
                    }
                    if (watchDown || watch == null) {
                        subscribe(f.namedBy());
                    }
                    return;
                } catch (RuntimeException e) { // no usable primary yet (a failover under way): ask again shortly
                    if (staleSeen && finder.isPrimary(primary)) {
                        return; // only stale sentinels, and the primary the client is on still is one: stay
                    }
                    // a failover takes seconds; one that does not end (or a refused password) is worth a warning
                    int n = attempt++;
                    LOG.log(n == WARN_AFTER_ATTEMPTS ? System.Logger.Level.WARNING : System.Logger.Level.DEBUG,
                            () -> "respin: no usable primary for '" + finder.masterName() + "' yet, still asking the "
                                    + "sentinels: " + e.getMessage());
                    nextFind = System.nanoTime() + delay;
                    delay = Math.min(2 * delay, RETRY_MAX_NANOS);
                }
            }
            boolean poll = watching() || System.nanoTime() - start < WATCH_NANOS;
            if (poll && pollReplicas()) {
                return;
            }
            long wait = nextFind - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(this, poll ? Math.min(wait, POLL_NANOS) : wait); // a signal wakes it early
            }
        }
    }

    private void move(HostAndPort to, String why) {
        HostAndPort from = primary;
        endpoint.moveTo(to.host(), to.port());
        primary = to;
        moves++;
        left.remove(to);
        left.add(from);
        if (left.size() > LEFT_KEPT) {
            left.remove(left.iterator().next());
        }
        knownReplicas = java.util.List.of(); // listed again for the new primary when needed
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
            RedisEndpoint e = runtime.connect(setup.sentinelUri(sentinel, data), setup.sentinelOptions()
                    .pushListener(new SwitchMasterListener()).build());
            watchDown = false;
            new RedisAsyncCommands<>(e::submit, Commands.utf8()).submit(new Command<>("SUBSCRIBE", CommandKind.SUBSCRIBE,
                    CHANNELS.length, w -> {
                        w.array(1 + CHANNELS.length).arg("SUBSCRIBE");
                        for (String c : CHANNELS) {
                            w.arg(c);
                        }
                    }, Decoders.reply()));
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
                    return;
                }
                SentinelReplies.MasterEvent down = channel.startsWith("+") || channel.startsWith("-")
                        ? SentinelReplies.masterEvent(a.get(2).asString()) : null;
                if (down != null && down.masterName().equals(finder.masterName()) && down.address().equals(primary)) {
                    if (channel.equals(SDOWN_END) || channel.equals(ODOWN_END)) {
                        watchfulUntil = 0; // the primary answers the sentinels again
                    } else {
                        watchFor(WATCH_NANOS); // +sdown, +odown, +try-failover: a failover may be coming
                        LockSupport.unpark(thread);
                    }
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
