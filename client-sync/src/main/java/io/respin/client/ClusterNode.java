package io.respin.client;

import io.respin.client.sync.RedisCommands;
import io.respin.engine.command.Codec;
import io.respin.engine.command.Commands;

/**
 * One node of a Redis Cluster with the blocking API added: client-async's
 * {@link io.respin.client.async.ClusterNode} plus {@link #sync()}. Its commands go to that node alone, unrouted.
 *
 * <pre>{@code
 * for (ClusterNode node : client.primaries()) {
 *     System.out.println(node.address() + " " + node.sync().dbsize());
 * }
 * }</pre>
 */
public final class ClusterNode extends io.respin.client.async.ClusterNode {
    ClusterNode(io.respin.client.async.ClusterNode node) {
        super(node);
    }

    /** The blocking API on this node, String keys and values. */
    public RedisCommands<String, String> sync() {
        return sync(Codec.utf8());
    }

    /** The blocking API on this node with your codec. */
    public <K, V> RedisCommands<K, V> sync(Codec<K, V> codec) {
        return new RedisCommands<>(this::submit, new Commands<>(codec));
    }
}
