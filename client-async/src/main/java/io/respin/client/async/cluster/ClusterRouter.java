package io.respin.client.async.cluster;

import io.respin.RedisConnectionException;
import io.respin.RedisException;
import io.respin.RedisServerException;
import io.respin.RedisTimeoutException;
import io.respin.client.async.ReadFrom;
import io.respin.engine.cluster.Redirects;
import io.respin.engine.cluster.SlotMap;
import io.respin.engine.connection.CommandKind;
import io.respin.engine.resp.RespHandler;
import io.respin.engine.resp.RespWriter;
import io.respin.io.AsyncCommand;
import io.respin.io.IoCommand;
import io.respin.io.IoListener;
import io.respin.io.RedisEndpoint;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Sends each command to the node that serves its slot, and carries out what {@link Redirects} decides when a node
 * answers MOVED, ASK, TRYAGAIN or CLUSTERDOWN: the same rules for the future-based calls ({@link ClusterCall}) and
 * the blocking ones ({@link ClusterSyncCall}), which differ only in where they wait (the topology thread, or the
 * caller's own thread).
 *
 * <p>At-most-once holds across nodes: a command is sent again only when it certainly did not run — a redirect
 * (the node refused it), a retry reply, a connection failure before it was written — or when it is read-only.
 * Every resend counts toward the redirect bound and stays inside the command's first deadline.
 *
 * <pre>{@code
 * ClusterRouter router = new ClusterRouter(nodes, ClusterOptions.DEFAULT, timeoutNanos);
 * CompletableFuture<String> v = new ClusterCall<>(router, commands.strings().get("k")).start();
 * }</pre>
 */
public final class ClusterRouter {
    private final ClusterNodes nodes;
    private final Redirects.Policy policy;
    private final long defaultTimeoutNanos;
    private final ReadFrom readFrom;
    private final KeyRules keyRules;

    public ClusterRouter(ClusterNodes nodes, ClusterOptions options, long defaultTimeoutNanos) {
        this.nodes = nodes;
        this.policy = options.redirects();
        this.defaultTimeoutNanos = defaultTimeoutNanos;
        this.readFrom = options.readFrom();
        this.keyRules = new KeyRules(nodes);
    }

    /** The client's command timeout. */
    long defaultTimeoutNanos() {
        return defaultTimeoutNanos;
    }

    /** Key positions learned with COMMAND GETKEYS, for commands the catalogue does not know. */
    KeyRules keyRules() {
        return keyRules;
    }

    public ClusterNodes nodes() {
        return nodes;
    }

    /**
     * The endpoint of the primary that serves {@code key}'s slot, connected now if needed (blocks).
     *
     * @throws RedisConnectionException no node serves that slot right now
     */
    public RedisEndpoint ownerOf(String key) {
        int slot = io.respin.engine.cluster.Slots.slot(key);
        RedisEndpoint e = resolve(Next.after(0, false), slot, true, false);
        if (e == null) {
            throw new RedisConnectionException("no node of the cluster serves slot " + slot + " (of '" + key
                    + "') right now: a failover in progress, or the cluster lost that shard", false);
        }
        return e;
    }

    /** The absolute deadline of a command submitted now (none for a blocking command that may block forever). */
    long deadline(IoCommand c, long now) {
        long timeout = c.timeoutNanos() > 0 ? c.timeoutNanos() : defaultTimeoutNanos;
        if (c.blocking() && c.blockNanos() >= 0) {
            return c.blockNanos() == 0 ? Long.MAX_VALUE : now + c.blockNanos() + timeout;
        }
        return now + timeout;
    }

    /** The endpoint that serves {@code slot} now ({@link CommandSlots#ANY}: some primary), or null if not connected. */
    RedisEndpoint owner(int slot) {
        if (slot == CommandSlots.ANY) {
            return nodes.anyPrimary();
        }
        SlotMap.Node n = nodes.map().primary(slot);
        return n == null ? null : nodes.endpoint(n);
    }

    /**
     * The endpoint for {@code next}, connecting to it if {@code mayBlock}; null when that would block (the caller
     * then asks again on the topology thread) or when nobody serves the slot.
     */
    RedisEndpoint resolve(Next next, int slot, boolean mayBlock, boolean readOnly) {
        if (next.host == null && readOnly && readFrom != ReadFrom.PRIMARY && slot >= 0) {
            RedisEndpoint r = reader(slot);
            if (r != null) {
                return r;
            }
        }
        if (next.host != null) {
            RedisEndpoint e = nodes.endpoint(new SlotMap.Node("", next.host, next.port, SlotMap.Role.PRIMARY,
                    SlotMap.Health.UNKNOWN));
            return e != null || !mayBlock ? e : nodes.connect(next.host, next.port);
        }
        RedisEndpoint e = owner(slot);
        if (e != null || !mayBlock) {
            return e;
        }
        SlotMap.Node n = slot == CommandSlots.ANY ? null : nodes.map().primary(slot);
        if (n == null) {
            return null;
        }
        return nodes.connect(n.host(), n.port());
    }

    /** A connected replica (or, for {@link ReadFrom#ANY}, the primary) of {@code slot}'s shard, or null. */
    private RedisEndpoint reader(int slot) {
        SlotMap.Shard shard = nodes.map().shard(slot);
        if (shard == null) {
            return null;
        }
        List<SlotMap.Node> replicas = shard.replicas();
        int n = replicas.size() + (readFrom == ReadFrom.ANY ? 1 : 0);
        int start = n == 0 ? 0 : java.util.concurrent.ThreadLocalRandom.current().nextInt(n);
        for (int i = 0; i < n; i++) {
            int at = (start + i) % n;
            if (at == replicas.size()) {
                return null; // the primary's turn: the ordinary route
            }
            SlotMap.Node r = replicas.get(at);
            if (r.health() == SlotMap.Health.FAILED) {
                continue; // LOADING is tried: Redis 7.0 says so of a replica until its first write (offset 0)
            }
            RedisEndpoint e = nodes.replicaEndpoint(r);
            if (e != null) {
                return e;
            }
        }
        return null;
    }

    /**
     * What a command does after it failed with {@code error} on {@code sentTo} (null: not sent). Never blocks.
     *
     * @param slot       the command's slot, or {@link CommandSlots#ANY}
     * @param redirects  redirects and retries so far
     * @param deadline   its absolute deadline
     * @param readOnly   true when running it twice is harmless
     */
    Next next(RedisException error, RedisEndpoint sentTo, int slot, int redirects, long deadline, boolean readOnly,
              String name) {
        long now = System.nanoTime();
        String fromHost = sentTo == null ? "" : sentTo.uri().host();
        if (error instanceof RedisServerException s && s.getMessage().startsWith("LOADING") && sentTo != null
                && nodes.isReplicaEndpoint(sentTo) && redirects < policy.maxRedirects()) {
            SlotMap.Node primary = slot >= 0 ? nodes.map().primary(slot) : null;
            if (primary != null) {
                return Next.to(primary.host(), primary.port(), false); // a replica still loading: its primary answers
            }
        }
        if (error instanceof RedisServerException s) {
            return switch (Redirects.decide(s, fromHost, redirects, now, deadline, policy)) {
                case Redirects.Moved m -> {
                    redirected(sentTo, name, IoListener.Redirect.MOVED, m.slot(), m.host(), m.port());
                    if (sentTo != null && nodes.isReplicaEndpoint(sentTo)) {
                        nodes.readOnlyAgain(sentTo); // a replica sends reads to its primary until READONLY (reconnected)
                    }
                    nodes.moved(m.slot(), m.host(), m.port());
                    nodes.requestRefresh();
                    yield Next.to(m.host(), m.port(), false);
                }
                case Redirects.Ask a -> {
                    redirected(sentTo, name, IoListener.Redirect.ASK, a.slot(), a.host(), a.port());
                    yield Next.to(a.host(), a.port(), true);
                }
                case Redirects.Retry r -> {
                    if (s.getMessage().startsWith("CLUSTERDOWN")) {
                        nodes.requestRefresh();
                    }
                    yield Next.after(r.delayNanos(), false);
                }
                case Redirects.GiveUp g -> Next.fail(new RedisServerException(g.message()));
                case Redirects.NotARedirect n -> Next.fail(error);
            };
        }
        if (error instanceof RedisConnectionException c && !nodes.isClosed()
                && (!c.outcomeUnknown() || readOnly) && redirects < policy.maxRedirects()) {
            // it did not run (or may run twice): send it where the refreshed topology says, inside its deadline
            RedisEndpoint owner = owner(slot);
            if (owner != null && owner != sentTo) {
                return Next.after(0, false); // a refresh already moved the slot (that is why sentTo was closed)
            }
            long delay = policy.backoffNanos(redirects);
            if (deadline - now > delay) {
                return Next.after(delay, true);
            }
        }
        if (error instanceof RedisTimeoutException || error instanceof RedisConnectionException) {
            nodes.requestRefresh(); // a node that stopped answering: maybe it failed over
        }
        return Next.fail(error);
    }

    /** Tells the runtime's {@link IoListener} (if any) of a redirect {@code from} answered; a listener that throws is reported. */
    private static void redirected(RedisEndpoint from, String name, IoListener.Redirect kind, int slot, String host,
                                   int port) {
        IoListener l = from == null ? null : from.runtime().settings().listener();
        if (l != null) {
            try {
                l.redirected(from, name, kind, slot, host, port);
            } catch (RuntimeException | Error e) {
                Thread t = Thread.currentThread();
                t.getUncaughtExceptionHandler().uncaughtException(t, new IllegalStateException("the IoListener threw "
                        + "while told of a " + kind + " of " + name + "; listeners must not throw", e));
            }
        }
    }

    /** The failure of a command whose deadline passed while it was being redirected or retried. */
    static RedisTimeoutException expired(String name, int redirects, long timeoutNanos) {
        return new RedisTimeoutException(name + " did not complete within its timeout of "
                + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms: it was redirected or retried " + redirects
                + " times while the cluster's slots moved (raise RedisClientBuilder.commandTimeout, or look for a "
                + "failover or resharding that does not finish)");
    }

    /** Refuses a command whose keys are in several slots: it cannot run on any one node. */
    static RedisServerException crossSlot(IoCommand c) {
        return new RedisServerException("CROSSSLOT " + c.name() + ": its keys hash to the slots "
                + CommandSlots.slots(c) + " (" + CommandSlots.keysAndSlots(c, 10) + "), and a cluster runs a command "
                + "in one slot only; nothing was sent. Put the keys in one slot "
                + "with a hash tag ({user:42}:a, {user:42}:b) or send one command per key");
    }

    /**
     * Hands {@code c} to {@code endpoint}, after {@code ASKING} in the same batch when {@code asking}, so that the
     * two go out in one write.
     */
    static void send(RedisEndpoint endpoint, IoCommand c, boolean asking) {
        if (!asking) {
            endpoint.submit(c);
            return;
        }
        RuntimeException[] refused = new RuntimeException[1];
        endpoint.submitAll(List.of(new Control("ASKING"), c), (cmd, e) -> {
            if (cmd == c) {
                refused[0] = e;
            }
        });
        if (refused[0] != null) {
            throw refused[0];
        }
    }

    /**
     * The next step of a command: fail with {@code failure}, or send it again — to {@code host:port} (null: the
     * slot's owner) after {@code delayNanos}, after {@code ASKING} when {@code asking}, once a topology refresh
     * has ended when {@code refreshFirst}.
     */
    record Next(RedisException failure, String host, int port, boolean asking, long delayNanos, boolean refreshFirst) {
        static Next fail(RedisException e) {
            return new Next(e, null, 0, false, 0, false);
        }

        static Next to(String host, int port, boolean asking) {
            return new Next(null, host, port, asking, 0, false);
        }

        static Next after(long delayNanos, boolean refreshFirst) {
            return new Next(null, null, 0, false, delayNanos, refreshFirst);
        }
    }

    /**
     * A one-word command whose reply (+OK) nobody waits for: {@code ASKING} (lets the next command on the connection
     * reach a slot being imported) and {@code READONLY} (lets a replica connection serve reads).
     */
    static final class Control extends AsyncCommand {
        private static final RespHandler IGNORED = new RespHandler.Adapter();
        private final String word;

        Control(String word) {
            this.word = word;
        }

        @Override public void encode(RespWriter w) {
            w.array(1).arg(word);
        }

        @Override public RespHandler replyHandler() {
            return IGNORED;
        }

        @Override public CommandKind kind() {
            return CommandKind.PLAIN;
        }

        @Override public String name() {
            return word;
        }

        @Override protected void onCompleted() {
        }

        @Override protected void onFailed(RedisException error) {
        }
    }
}
