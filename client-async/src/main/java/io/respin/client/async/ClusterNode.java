package io.respin.client.async;

import io.respin.client.async.cluster.ClusterNodes;
import io.respin.engine.command.Codec;
import io.respin.engine.command.Commands;
import io.respin.io.IoCommand;
import io.respin.io.RedisEndpoint;

/**
 * One node of a Redis Cluster, for the commands meant for that node and no other: {@code INFO}, {@code CLUSTER
 * NODES}, {@code CONFIG SET}, {@code DBSIZE} of one shard, a {@code SCAN} of one node's keys. Its commands go to
 * that node as they are — no routing by slot, no redirect followed (a key the node does not serve is answered
 * {@code MOVED}, handed to the caller as a {@code RedisRedirectException}). A replica's commands go over a
 * connection that sent {@code READONLY}, so it serves reads of its shard. It shares the cluster client's
 * connections; get one from {@code client.node(host, port)} or {@code client.primaries()}.
 *
 * <pre>{@code
 * ClusterNode node = client.node("10.0.0.1", 7000);
 * String info = node.async().info("replication").join();
 * }</pre>
 */
public class ClusterNode {
    private final ClusterNodes nodes;
    private final String host;
    private final int port;
    /** The endpoint last used, until it is closed (the node left, or the client closed): then asked again. */
    private volatile RedisEndpoint endpoint;

    /** The node {@code host:port} of {@code nodes}, connected now. */
    @SuppressWarnings("exports") // the cluster package is exported to client-sync only
    protected ClusterNode(ClusterNodes nodes, String host, int port) {
        this.nodes = nodes;
        this.host = host;
        this.port = port;
        this.endpoint = nodes.nodeEndpoint(host, port);
    }

    /** A view of the same node for a subclass that adds APIs (client-sync's {@code sync()}). */
    protected ClusterNode(ClusterNode node) {
        this.nodes = node.nodes;
        this.host = node.host;
        this.port = node.port;
        this.endpoint = node.endpoint;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    /** {@code host:port}. */
    public String address() {
        return host + ":" + port;
    }

    /** The future-based API on this node, String keys and values. */
    public RedisAsyncCommands<String, String> async() {
        return async(Codec.utf8());
    }

    /** The future-based API on this node with your codec. */
    public <K, V> RedisAsyncCommands<K, V> async(Codec<K, V> codec) {
        return new RedisAsyncCommands<>(this::submit, new Commands<>(codec));
    }

    /** This node's endpoint now (connected again if the last one was closed). */
    public RedisEndpoint endpoint() {
        RedisEndpoint e = endpoint;
        if (e == null || e.isClosed()) {
            e = nodes.nodeEndpoint(host, port);
            endpoint = e;
        }
        return e;
    }

    /** Sends {@code command} to this node: for facades that add their own API on top (client-sync's sync()). */
    protected void submit(IoCommand command) {
        endpoint().submit(command);
    }

    @Override
    public String toString() {
        return "cluster node " + address();
    }
}
