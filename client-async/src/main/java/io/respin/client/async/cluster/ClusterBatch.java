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
 * the node named (ASK: {@code ASKING} and the command in one write) and TRYAGAIN backs off, as for any async
 * command; the caller's futures keep the order it queued them in, whatever node answered.
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
            node.getKey().submitAll(node.getValue(), (c, failure) -> c.refused(failure));
        }
    }
}
