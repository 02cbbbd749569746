package io.respin.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Redis Cluster of real processes on loopback: N primaries (and optionally replicas) started as
 * {@link RedisServer} cluster nodes, joined with {@code redis-cli --cluster create}, and returned once every node
 * reports {@code cluster_state:ok} and knows every other node.
 *
 * <pre>{@code
 * try (RedisCluster cluster = RedisCluster.builder().primaries(3).start()) {
 *     List<String> seeds = cluster.seeds();                    // "127.0.0.1:port" of every node
 *     RedisServer owner = cluster.primaryForKey("user:42");    // where MOVED would send you
 * }
 * }</pre>
 */
public final class RedisCluster implements AutoCloseable {

    private static final long STATE_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);

    /** Every node, in start order; {@link #addPrimary} and {@link #removeNode} change it. */
    private final List<RedisServer> nodes;
    /** The directives every node was started with, for nodes added later. */
    private final List<String[]> config;

    private RedisCluster(List<RedisServer> nodes, List<String[]> config) {
        this.nodes = new java.util.concurrent.CopyOnWriteArrayList<>(nodes);
        this.config = List.copyOf(config);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Every node, in the order they were started (primaries first, as redis-cli assigned them). */
    public List<RedisServer> nodes() {
        return List.copyOf(nodes);
    }

    /** The nodes that are primaries right now (this asks the cluster; a failover changes the answer). */
    public List<RedisServer> primaries() {
        List<RedisServer> primaries = new ArrayList<>();
        for (RedisServer node : nodes) {
            if (node.isAlive() && node.info("replication").contains("role:master")) {
                primaries.add(node);
            }
        }
        return primaries;
    }

    /** {@code "127.0.0.1:port"} of every node, the seed list a cluster client starts from. */
    public List<String> seeds() {
        return nodes.stream().map(RedisServer::hostAndPort).toList();
    }

    /** The hash slot of {@code key} (as the cluster computes it, hash tags included). */
    public int slot(String key) {
        return Math.toIntExact((Long) anyLiveNode().command("CLUSTER", "KEYSLOT", key));
    }

    /** The primary that serves {@code slot}, according to {@code CLUSTER SLOTS}. */
    public RedisServer primaryForSlot(int slot) {
        @SuppressWarnings("unchecked")
        List<List<Object>> ranges = (List<List<Object>>) anyLiveNode().command("CLUSTER", "SLOTS");
        for (List<Object> range : ranges) {
            long from = (Long) range.get(0);
            long to = (Long) range.get(1);
            if (slot >= from && slot <= to) {
                long port = (Long) ((List<?>) range.get(2)).get(1);
                return nodes.stream().filter(n -> n.port() == port).findFirst().orElseThrow(
                        () -> new IllegalStateException("slot " + slot + " is served by unknown port " + port));
            }
        }
        throw new IllegalStateException("no node serves slot " + slot);
    }

    /** The primary that serves {@code key}. */
    public RedisServer primaryForKey(String key) {
        return primaryForSlot(slot(key));
    }

    /**
     * Moves {@code slot} from its owner to the next primary, keys and all, as {@code redis-cli --cluster reshard}
     * does: {@code SETSLOT IMPORTING} / {@code MIGRATING}, {@code MIGRATE} in batches of 5 keys (running
     * {@code betweenBatches} after each, e.g. a pause that lets a load meet the slot half moved), then
     * {@code SETSLOT NODE} on every primary. A client's slot map is stale afterwards: its next command of the slot
     * meets MOVED. Returns the new owner.
     *
     * <pre>{@code
     * RedisServer owner = cluster.moveSlot(cluster.slot("k"), () -> { });
     * }</pre>
     */
    public RedisServer moveSlot(int slot, Runnable betweenBatches) {
        RedisServer source = primaryForSlot(slot);
        List<RedisServer> primaries = primaries();
        return moveSlot(slot, primaries.get((primaries.indexOf(source) + 1) % primaries.size()), betweenBatches);
    }

    /** {@link #moveSlot(int, Runnable)} to the primary {@code target} (e.g. one {@link #addPrimary} started). */
    public RedisServer moveSlot(int slot, RedisServer target, Runnable betweenBatches) {
        RedisServer source = primaryForSlot(slot);
        if (source == target) {
            return target;
        }
        List<RedisServer> primaries = primaries();
        String sourceId = (String) source.command("CLUSTER", "MYID");
        String targetId = (String) target.command("CLUSTER", "MYID");
        String s = Integer.toString(slot);
        target.command("CLUSTER", "SETSLOT", s, "IMPORTING", sourceId);
        source.command("CLUSTER", "SETSLOT", s, "MIGRATING", targetId);
        while (true) {
            List<?> keys = (List<?>) source.command("CLUSTER", "GETKEYSINSLOT", s, "5");
            if (keys.isEmpty()) {
                break;
            }
            List<String> cmd = new ArrayList<>(List.of("MIGRATE", target.host(),
                    Integer.toString(target.port()), "", "0", "5000", "REPLACE", "KEYS"));
            keys.forEach(k -> cmd.add((String) k));
            source.command(cmd.toArray(new String[0]));
            betweenBatches.run();
        }
        target.command("CLUSTER", "SETSLOT", s, "NODE", targetId);
        try {
            source.command("CLUSTER", "SETSLOT", s, "NODE", targetId);
        } catch (IllegalStateException e) {
            // a primary that gave away its last slot may already have learned it from the target and turned into
            // its replica (cluster-allow-replica-migration): it needs no telling, as redis-cli --cluster knows
            if (!e.getMessage().contains("only with masters")) {
                throw e;
            }
        }
        for (RedisServer p : primaries) {
            if (p != source && p != target) {
                p.command("CLUSTER", "SETSLOT", s, "NODE", targetId);
            }
        }
        return target;
    }

    /**
     * Starts a new node with the cluster's settings and joins it ({@code CLUSTER MEET}) as a primary that serves no
     * slot yet; returns once every live node knows it and reports {@code cluster_state:ok}. Give it slots with
     * {@link #moveSlot(int, RedisServer, Runnable)}.
     *
     * <pre>{@code
     * RedisServer added = cluster.addPrimary();
     * cluster.moveSlot(cluster.slot("{k}"), added, () -> { });
     * }</pre>
     */
    public RedisServer addPrimary() {
        RedisServer.Builder b = RedisServer.builder().cluster();
        for (String[] directive : config) {
            b.config(directive[0], java.util.Arrays.copyOfRange(directive, 1, directive.length));
        }
        RedisServer added = b.start();
        try {
            anyLiveNode().command("CLUSTER", "MEET", added.host(), Integer.toString(added.port()),
                    Integer.toString(added.clusterBusPort()));
            nodes.add(added);
            awaitOk();
            return added;
        } catch (RuntimeException e) {
            nodes.remove(added);
            added.close();
            throw e;
        }
    }

    /**
     * Takes {@code node} out of the cluster: every other node forgets it ({@code CLUSTER FORGET}), then it is stopped;
     * returns once the others report {@code cluster_state:ok} without it. A primary must serve no slot by then (move
     * them away first with {@link #moveSlot(int, RedisServer, Runnable)}).
     */
    public void removeNode(RedisServer node) {
        String id = (String) node.command("CLUSTER", "MYID");
        for (String line : ((String) node.command("CLUSTER", "NODES")).split("\n")) {
            String[] f = line.trim().split(" ");
            if (f.length > 8 && f[2].contains("myself")) {
                throw new IllegalStateException(node + " still serves slots " + String.join(" ",
                        java.util.Arrays.copyOfRange(f, 8, f.length)) + ": move them away before removing it");
            }
        }
        nodes.remove(node);
        for (RedisServer other : nodes) {
            if (other.isAlive()) {
                other.command("CLUSTER", "FORGET", id);
            }
        }
        node.close();
        awaitOk();
    }

    /** FLUSHALL on every live primary. */
    public void flushAll() {
        for (RedisServer primary : primaries()) {
            primary.flushAll();
        }
    }

    /**
     * Waits until every live node reports {@code cluster_state:ok} (after a kill, restart or failover). A killed
     * node is still known to the others (flagged {@code fail}), so every node of the cluster counts as known.
     */
    public void awaitOk() {
        awaitState(nodes.stream().filter(RedisServer::isAlive).toList(), nodes.size());
    }

    /**
     * Waits until every live node lists {@code replicas} replicas in {@code CLUSTER NODES} and every live replica's
     * link to its primary is up. {@code cluster_state:ok} comes earlier: nodes start as empty primaries and learn
     * who replicates whom over the bus, so a failover right after start could find no replica to promote.
     * {@link Builder#start()} calls it when the cluster has replicas.
     */
    public void awaitReplicas(int replicas) {
        long deadline = System.nanoTime() + STATE_TIMEOUT_NANOS;
        for (RedisServer node : nodes) {
            while (node.isAlive()) {
                String known = (String) node.command("CLUSTER", "NODES");
                String info = node.info("replication");
                long listed = known.lines().filter(l -> l.split(" ")[2].contains("slave")).count();
                if (listed == replicas && (info.contains("role:master") || info.contains("master_link_status:up"))) {
                    break;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the cluster's nodes did not all learn of " + replicas
                            + " replicas within 30 s; last CLUSTER NODES of " + node + ":\n" + known);
                }
                pause();
            }
        }
    }

    @Override
    public void close() {
        for (RedisServer node : nodes) {
            node.close();
        }
    }

    private RedisServer anyLiveNode() {
        return nodes.stream().filter(RedisServer::isAlive).findFirst()
                .orElseThrow(() -> new IllegalStateException("every node of the cluster is down"));
    }

    private static void awaitState(List<RedisServer> nodes, int known) {
        long deadline = System.nanoTime() + STATE_TIMEOUT_NANOS;
        String last = "";
        for (RedisServer node : nodes) {
            while (true) {
                String info = (String) node.command("CLUSTER", "INFO");
                last = node + ":\n" + info;
                if (info.contains("cluster_state:ok") && info.contains("cluster_known_nodes:" + known + "\r")) {
                    break;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("cluster did not reach cluster_state:ok within 30 s; last CLUSTER INFO of "
                            + last + "\nlog:\n" + ServerProcess.tail(node.log()));
                }
                pause();
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the cluster", e);
        }
    }

    /**
     * Settings for a cluster; {@link #start()} starts and joins it.
     *
     * <pre>{@code
     * RedisCluster c = RedisCluster.builder().primaries(3).replicasPerPrimary(1)
     *         .config("cluster-node-timeout", "2000").start();
     * }</pre>
     */
    public static final class Builder {
        private int primaries = 3;
        private int replicasPerPrimary;
        private final List<String[]> config = new ArrayList<>();

        Builder() {
        }

        /** Number of primaries (at least 3, as redis-cli demands; default 3). */
        public Builder primaries(int n) {
            if (n < 3) {
                throw new IllegalArgumentException("redis-cli --cluster create needs at least 3 primaries, got " + n);
            }
            this.primaries = n;
            return this;
        }

        /** Replicas per primary (default 0). */
        public Builder replicasPerPrimary(int n) {
            this.replicasPerPrimary = n;
            return this;
        }

        /** A directive for every node, e.g. {@code config("cluster-node-timeout", "2000")}. */
        public Builder config(String name, String... values) {
            String[] directive = new String[values.length + 1];
            directive[0] = name;
            System.arraycopy(values, 0, directive, 1, values.length);
            config.add(directive);
            return this;
        }

        public RedisCluster start() {
            String cli = ServerProcess.findOnPath("redis-cli", System.getenv("PATH"));
            if (cli == null) {
                throw new IllegalStateException(RedisServer.INSTALL_HINT.replace("redis-server is", "redis-cli is"));
            }
            int total = primaries * (1 + replicasPerPrimary);
            List<RedisServer> nodes = Collections.synchronizedList(new ArrayList<>());
            try {
                // start the nodes in parallel: each start waits for its own PING, which is most of the time
                List<Thread> starters = new ArrayList<>();
                List<RuntimeException> failures = Collections.synchronizedList(new ArrayList<>());
                for (int i = 0; i < total; i++) {
                    starters.add(Thread.ofVirtual().start(() -> {
                        try {
                            nodes.add(node().start());
                        } catch (RuntimeException e) {
                            failures.add(e);
                        }
                    }));
                }
                for (Thread t : starters) {
                    t.join();
                }
                if (!failures.isEmpty()) {
                    throw failures.get(0);
                }
                List<RedisServer> ordered = new ArrayList<>(nodes);
                create(cli, ordered);
                awaitState(ordered, ordered.size());
                RedisCluster cluster = new RedisCluster(ordered, config);
                if (replicasPerPrimary > 0) {
                    cluster.awaitReplicas(primaries * replicasPerPrimary);
                }
                return cluster;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                nodes.forEach(RedisServer::close);
                throw new IllegalStateException("interrupted while starting a cluster", e);
            } catch (RuntimeException e) {
                nodes.forEach(RedisServer::close);
                throw e;
            }
        }

        private RedisServer.Builder node() {
            RedisServer.Builder b = RedisServer.builder().cluster();
            for (String[] directive : config) {
                b.config(directive[0], java.util.Arrays.copyOfRange(directive, 1, directive.length));
            }
            return b;
        }

        private void create(String cli, List<RedisServer> nodes) {
            List<String> cmd = new ArrayList<>(List.of(cli, "--cluster", "create"));
            nodes.forEach(n -> cmd.add(n.hostAndPort()));
            cmd.addAll(List.of("--cluster-replicas", Integer.toString(replicasPerPrimary), "--cluster-yes"));
            try {
                Path out = Files.createTempFile("respin-cluster-create-", ".log");
                try {
                    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
                    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                        p.destroyForcibly();
                        throw new IllegalStateException(String.join(" ", cmd) + " failed:\n" + Files.readString(out));
                    }
                } finally {
                    Files.deleteIfExists(out);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("could not run " + cli, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while running redis-cli --cluster create", e);
            }
        }
    }
}
