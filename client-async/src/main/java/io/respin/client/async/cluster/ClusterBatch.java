package io.respin.client.async.cluster;

import io.respin.io.RedisEndpoint;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sends a pipeline's commands over a cluster: each is routed to its slot's owner, the commands of one node go to
 * that node's endpoint together ({@link RedisEndpoint#submitAll}: one wake-up of the IO thread, one write per node),
 * in the order they were queued. Each command is a {@link ClusterCall}, so a MOVED or ASK answer sends it on to
 * the node named and TRYAGAIN backs off, as for any async command. The commands one node redirected are regrouped:
 * held until every command that node got has answered, then sent to their new nodes as one batch per node (an ASK
 * as {@code ASKING} + the command, adjacent). The caller's futures keep the order it queued them in, whatever node
 * answered.
 *
 * <pre>{@code
 * ClusterBatch.send(List.of(new ClusterCall<>(router, get("a")), new ClusterCall<>(router, get("b"))));
 * }</pre>
 */
public final class ClusterBatch {
    private ClusterBatch() {
    }

    /** Routes every call and hands each node its share in one batch. */
    public static void send(List<? extends ClusterCall<?>> calls) {
        Map<RedisEndpoint, List<ClusterCall<?>>> perNode = new LinkedHashMap<>();
        for (ClusterCall<?> c : calls) {
            RedisEndpoint e;
            try {
                e = c.routeForBatch();
            } catch (RuntimeException failure) {
                c.refused(failure);
                continue;
            }
            if (e != null) {
                perNode.computeIfAbsent(e, k -> new ArrayList<>()).add(c);
            }
        }
        for (Map.Entry<RedisEndpoint, List<ClusterCall<?>>> node : perNode.entrySet()) {
            Group g = new Group(node.getValue().size());
            for (ClusterCall<?> c : node.getValue()) {
                if (!c.blocking()) { // a blocking command may hold its answer back for good: it goes its own way
                    c.joinGroup(g);
                } else {
                    g.answered();
                }
            }
            node.getKey().submitAll(node.getValue(), (c, failure) -> c.refused(failure));
        }
    }

    /** Batches of redirected commands re-sent together (tests). */
    static final java.util.concurrent.atomic.AtomicLong REGROUPED = new java.util.concurrent.atomic.AtomicLong();

    /**
     * One node's share of a batch: counts its first answers, and collects the commands that node redirected (MOVED,
     * ASK) until every command of the share has answered; then each target node gets its redirected commands in one
     * {@code submitAll}, an ASK's {@code ASKING} just before its command. A redirect that must wait (a node not
     * connected yet, a refresh, a backoff) is not collected: it goes its own way on the topology thread.
     */
    static final class Group {
        private final java.util.concurrent.atomic.AtomicInteger waiting;
        private final Map<RedisEndpoint, List<io.respin.io.IoCommand>> parked = new LinkedHashMap<>();

        Group(int size) {
            this.waiting = new java.util.concurrent.atomic.AtomicInteger(size);
        }

        /** Holds {@code call}, redirected to {@code to}, until the share is all in. */
        synchronized void park(RedisEndpoint to, ClusterCall<?> call, boolean asking) {
            List<io.respin.io.IoCommand> list = parked.computeIfAbsent(to, k -> new ArrayList<>());
            if (asking) {
                list.add(new ClusterRouter.Control("ASKING"));
            }
            list.add(call);
        }

        /** One command of the share has answered (a reply, a redirect, a failure); the last one sends what is parked. */
        void answered() {
            if (waiting.decrementAndGet() != 0) {
                return;
            }
            Map<RedisEndpoint, List<io.respin.io.IoCommand>> out;
            synchronized (this) {
                if (parked.isEmpty()) {
                    return;
                }
                out = new LinkedHashMap<>(parked);
                parked.clear();
            }
            for (Map.Entry<RedisEndpoint, List<io.respin.io.IoCommand>> node : out.entrySet()) {
                REGROUPED.incrementAndGet();
                node.getKey().submitAll(node.getValue(), (c, failure) -> {
                    if (c instanceof ClusterCall<?> call) {
                        call.refused(failure);
                    }
                });
            }
        }
    }
}
