package io.respin.client.async.cluster;

import io.respin.client.async.RedisAsyncCommands;
import io.respin.engine.cluster.SlotMap;
import io.respin.engine.command.Command;
import io.respin.engine.command.Commands;
import io.respin.engine.command.Decoders;
import io.respin.engine.resp.Reply;
import io.respin.io.RedisEndpoint;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Watches the replicas of a primary that serves slots and was lost (its connection dropped, or a refresh found it
 * failed), so that the client learns of the replica's promotion within a poll of it rather than at the next
 * follow-up refresh. The Sentinel follower does the same on {@code +odown} (docs/sentinel.md).
 *
 * <p>Every ~{@value #EVERY_MS} ms (jittered by up to {@value #JITTER_MS} ms, so that many clients do not poll in
 * step) each replica of the lost primary's shard, as the installed map lists them, is asked {@code ROLE} over the
 * connection the client keeps for topology questions (one per node, opened once). The first replica that answers
 * {@code master} makes {@link ClusterNodes} refresh at once, asking that node first; the vote over the views still
 * decides, so one node's word alone does not move the map unless its configuration epoch is the higher. The watch
 * ends when the shard has a live primary again (the promoted one installed, or the lost one reconnected), after
 * {@value #FOR_SECONDS} s (the follow-up refreshes go on), or when the client closes. One watch per lost primary.
 *
 * <p>Thread: its ticks run on the cluster's watch thread ({@code respin-cluster-watch}); ROLE answers complete on
 * the completion thread and only hand the promoted node to {@link ClusterNodes#promoted}.
 */
final class PromotionWatch {
    private static final System.Logger LOG = System.getLogger("io.respin.cluster");
    /** How often each replica is asked. */
    static final int EVERY_MS = 25;
    private static final int JITTER_MS = 10;
    /** How long a watch lasts at most; the follow-up refreshes take over after that. */
    static final int FOR_SECONDS = 30;
    /** A ROLE that got no answer within this time is given up (the next tick asks again). */
    private static final Duration ROLE_TIMEOUT = Duration.ofMillis(500);
    /** A replica that could not be connected is tried again after this long. */
    private static final long RECONNECT_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final ClusterNodes nodes;
    private final ScheduledExecutorService thread;
    private final SlotMap.Node lost;
    /** A slot of the lost primary: whoever serves it now is the shard's primary. */
    private final int slot;
    private final List<SlotMap.Node> replicas;
    private final long until;
    /** Replicas with a ROLE in flight (not asked again until it answers), and when each last failed to connect. */
    private final Map<String, Boolean> asking = new ConcurrentHashMap<>();
    private final Map<String, Long> unreachableSince = new ConcurrentHashMap<>();
    private final Runnable ended;
    private volatile boolean stopped;
    /** ROLE questions sent (tests). */
    private volatile long polls;

    PromotionWatch(ClusterNodes nodes, ScheduledExecutorService thread, SlotMap.Node lost, int slot,
                   List<SlotMap.Node> replicas, Runnable ended) {
        this.nodes = nodes;
        this.thread = thread;
        this.lost = lost;
        this.slot = slot;
        this.replicas = List.copyOf(replicas);
        this.until = System.nanoTime() + TimeUnit.SECONDS.toNanos(FOR_SECONDS);
        this.ended = ended;
    }

    SlotMap.Node lost() {
        return lost;
    }

    void start() {
        next(0);
    }

    void stop() {
        stopped = true;
    }

    private void next(int delayMs) {
        try {
            thread.schedule(this::tick, delayMs, TimeUnit.MILLISECONDS);
        } catch (RuntimeException closed) {
            end();
        }
    }

    private void tick() {
        try {
            if (stopped || nodes.isClosed() || System.nanoTime() - until > 0 || nodes.servedAgain(lost, slot)) {
                end();
                return;
            }
            for (SlotMap.Node r : replicas) {
                ask(r);
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "cluster: watching the replicas of {0} failed once: {1}", lost, e);
        }
        next(EVERY_MS - JITTER_MS / 2 + ThreadLocalRandom.current().nextInt(JITTER_MS));
    }

    private void end() {
        stopped = true;
        ended.run();
    }

    /** Asks {@code replica} for its ROLE unless a question to it is still open. */
    private void ask(SlotMap.Node replica) {
        String key = ClusterNodes.key(replica.host(), replica.port());
        Long failedAt = unreachableSince.get(key);
        if (failedAt != null && System.nanoTime() - failedAt < RECONNECT_NANOS) {
            return;
        }
        if (asking.putIfAbsent(key, Boolean.TRUE) != null) {
            return;
        }
        RedisEndpoint e;
        try {
            e = nodes.viewerOf(replica.host(), replica.port());
            unreachableSince.remove(key);
        } catch (RuntimeException unreachable) {
            unreachableSince.put(key, System.nanoTime());
            asking.remove(key);
            return;
        }
        polls++;
        try {
            new RedisAsyncCommands<>(e::submit, Commands.utf8()).withTimeout(ROLE_TIMEOUT)
                    .submit(new Command<>("ROLE", w -> w.array(1).arg("ROLE"), Decoders.reply()))
                    .whenComplete((role, failure) -> {
                        asking.remove(key);
                        if (failure == null && !stopped && isPrimary(role)) {
                            nodes.promoted(replica, this);
                        }
                    });
        } catch (RuntimeException closedMeanwhile) {
            asking.remove(key);
        }
    }

    /** ROLE's first element: {@code master} on a primary, {@code slave} on a replica. */
    private static boolean isPrimary(Reply role) {
        return role instanceof Reply.Aggregate a && a.size() > 0 && "master".equals(a.get(0).asString());
    }

    long polls() {
        return polls;
    }
}
