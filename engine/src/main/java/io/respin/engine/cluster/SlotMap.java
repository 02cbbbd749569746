package io.respin.engine.cluster;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Which shard serves each of the {@value Slots#COUNT} hash slots of a Redis Cluster, and the nodes of every shard:
 * the router's view of the topology. It is immutable and replaced whole — a refresh parses a new map
 * ({@link ClusterReplies}), a MOVED derives one ({@link #withMoved}) — so a router reads it without locks:
 * {@link #shard(int)} is one array load.
 *
 * <pre>{@code
 * SlotMap map = ClusterReplies.shards(reply, "10.0.0.1", 1);  // CLUSTER SHARDS as sent by 10.0.0.1
 * SlotMap.Node owner = map.primary(Slots.slot("user:42"));     // null while the slot is unowned
 * map = map.withMoved(3999, "10.0.0.7", 6380);                 // after -MOVED 3999 10.0.0.7:6380
 * }</pre>
 */
public final class SlotMap {

    /** What a node does in its shard. */
    public enum Role { PRIMARY, REPLICA }

    /** A node's state as the replying node saw it; {@code UNKNOWN} where the reply does not say. */
    public enum Health { ONLINE, LOADING, FAILED, UNKNOWN }

    /**
     * One node. {@code id} is the node's 40-character cluster id, or empty when only its address is known (a
     * node first met in a MOVED); {@code host} is the address a client should connect to.
     */
    public record Node(String id, String host, int port, Role role, Health health) {
        public Node {
            Objects.requireNonNull(id);
            Objects.requireNonNull(host);
            Objects.requireNonNull(role);
            Objects.requireNonNull(health);
        }

        /** True when this node answers at {@code host:port}. */
        public boolean isAt(String host, int port) {
            return this.port == port && this.host.equals(host);
        }

        @Override public String toString() {
            return host + ":" + port + (id.isEmpty() ? "" : " " + id.substring(0, Math.min(8, id.length())))
                    + " " + role + (health == Health.ONLINE ? "" : " " + health);
        }
    }

    /**
     * A primary and its replicas. {@code configEpoch} is the primary's configuration epoch where the reply
     * carries it ({@code CLUSTER NODES}), else -1; a higher epoch is a newer claim to the shard's slots.
     */
    public record Shard(Node primary, List<Node> replicas, long configEpoch) {
        public Shard {
            Objects.requireNonNull(primary);
            replicas = List.copyOf(replicas);
        }
    }

    /** Slots {@code from..to}, both included. */
    public record SlotRange(int from, int to) {
    }

    private final Shard[] bySlot;
    private final List<Shard> shards;
    private final long version;

    private SlotMap(Shard[] bySlot, List<Shard> shards, long version) {
        this.bySlot = bySlot;
        this.shards = List.copyOf(shards);
        this.version = version;
    }

    /** A map in which no slot is served, e.g. before the first topology is known. */
    public static SlotMap empty(long version) {
        return new SlotMap(new Shard[Slots.COUNT], List.of(), version);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The shard that serves {@code slot}, or null when no node serves it. */
    public Shard shard(int slot) {
        return bySlot[slot];
    }

    /** The primary that serves {@code slot}, or null when no node serves it. */
    public Node primary(int slot) {
        Shard s = bySlot[slot];
        return s == null ? null : s.primary;
    }

    /** Every shard, those without slots included (a primary just added to the cluster). */
    public List<Shard> shards() {
        return shards;
    }

    /** The primary of every shard. */
    public List<Node> primaries() {
        return shards.stream().map(Shard::primary).toList();
    }

    /** Every node: each shard's primary, then its replicas. */
    public List<Node> nodes() {
        List<Node> all = new ArrayList<>();
        for (Shard s : shards) {
            all.add(s.primary);
            all.addAll(s.replicas);
        }
        return all;
    }

    /** The node at {@code host:port}, or null. */
    public Node node(String host, int port) {
        for (Node n : nodes()) {
            if (n.isAt(host, port)) {
                return n;
            }
        }
        return null;
    }

    /** The slots {@code shard} serves, in ascending ranges. */
    public List<SlotRange> slots(Shard shard) {
        List<SlotRange> ranges = new ArrayList<>();
        int from = -1;
        for (int slot = 0; slot <= Slots.COUNT; slot++) {
            boolean mine = slot < Slots.COUNT && bySlot[slot] == shard;
            if (mine && from < 0) {
                from = slot;
            } else if (!mine && from >= 0) {
                ranges.add(new SlotRange(from, slot - 1));
                from = -1;
            }
        }
        return ranges;
    }

    /** Number of slots some node serves; {@value Slots#COUNT} when the cluster is fully covered. */
    public int coveredSlots() {
        int n = 0;
        for (Shard s : bySlot) {
            n += s == null ? 0 : 1;
        }
        return n;
    }

    /** The version this map was given when parsed; {@link #withMoved} adds one. */
    public long version() {
        return version;
    }

    /** The highest configuration epoch of any shard, -1 when the reply carried none. */
    public long configEpoch() {
        long max = -1;
        for (Shard s : shards) {
            max = Math.max(max, s.configEpoch);
        }
        return max;
    }

    /**
     * True when both maps send every slot to the same primary address (or leave it unowned in both): the views
     * agree on where commands go, whatever else (replicas, health) differs.
     */
    public boolean sameOwners(SlotMap other) {
        for (int slot = 0; slot < Slots.COUNT; slot++) {
            Node a = primary(slot);
            Node b = other.primary(slot);
            if (a == null ? b != null : b == null || !a.isAt(b.host, b.port)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The map after {@code -MOVED slot host:port}: the slot is served by the primary at that address from now
     * on. When that address is already the primary of a shard, the slot joins that shard; otherwise (a replica
     * just promoted, a node not yet seen) a new shard with that node as its only member takes the slot, until
     * the next refresh tells the whole story. The version is this map's plus one.
     */
    public SlotMap withMoved(int slot, String host, int port) {
        Objects.checkIndex(slot, Slots.COUNT);
        Shard target = null;
        for (Shard s : shards) {
            if (s.primary.isAt(host, port)) {
                target = s;
                break;
            }
        }
        List<Shard> newShards = new ArrayList<>(shards);
        if (target == null) {
            Node known = node(host, port);
            Node primary = known == null ? new Node("", host, port, Role.PRIMARY, Health.UNKNOWN)
                    : new Node(known.id, host, port, Role.PRIMARY, known.health);
            target = new Shard(primary, List.of(), -1);
            newShards.add(target);
        }
        Shard[] slots = bySlot.clone();
        Shard previous = slots[slot];
        slots[slot] = target;
        if (previous != null && !previous.primary.isAt(host, port) && !serves(slots, previous)
                && previous.primary.id.isEmpty() && previous.replicas.isEmpty()) {
            newShards.removeIf(s -> s == previous); // made by a MOVED, emptied by another: nothing else knows it
        }
        return new SlotMap(slots, newShards, version + 1);
    }

    private static boolean serves(Shard[] slots, Shard shard) {
        for (Shard s : slots) {
            if (s == shard) {
                return true;
            }
        }
        return false;
    }

    /** Equal maps have the same version, the same shards in the same order, and the same slots per shard. */
    @Override public boolean equals(Object o) {
        if (!(o instanceof SlotMap m) || m.version != version || !m.shards.equals(shards)) {
            return false;
        }
        for (int slot = 0; slot < Slots.COUNT; slot++) {
            if (indexOf(bySlot[slot]) != m.indexOf(m.bySlot[slot])) {
                return false;
            }
        }
        return true;
    }

    @Override public int hashCode() {
        return Long.hashCode(version) * 31 + shards.hashCode();
    }

    private int indexOf(Shard shard) {
        for (int i = 0; i < shards.size(); i++) {
            if (shards.get(i) == shard) {
                return i;
            }
        }
        return -1;
    }

    @Override public String toString() {
        StringBuilder b = new StringBuilder("SlotMap v").append(version).append(" {");
        for (Shard s : shards) {
            b.append("\n  ").append(s.primary).append(" slots ").append(slots(s)).append(" replicas ").append(s.replicas);
        }
        return b.append("\n}").toString();
    }

    /**
     * Collects shards and their slots, for the reply parsers and for tests. Assigning a slot twice keeps the
     * last assignment.
     *
     * <pre>{@code
     * SlotMap.Builder b = SlotMap.builder();
     * SlotMap.Shard s = b.shard(primary, List.of(replica), -1);
     * SlotMap map = b.assign(s, 0, 8191).build(1);
     * }</pre>
     */
    public static final class Builder {
        private final Shard[] bySlot = new Shard[Slots.COUNT];
        private final List<Shard> shards = new ArrayList<>();

        Builder() {
        }

        /** Adds a shard (without slots until {@link #assign}) and returns it. */
        public Shard shard(Node primary, List<Node> replicas, long configEpoch) {
            Shard s = new Shard(primary, replicas, configEpoch);
            shards.add(s);
            return s;
        }

        /** Slots {@code from..to} (both included) are served by {@code shard}, one of this builder's. */
        public Builder assign(Shard shard, int from, int to) {
            if (from < 0 || to >= Slots.COUNT || from > to) {
                throw new IllegalArgumentException("slot range " + from + "-" + to + " is not within 0-"
                        + (Slots.COUNT - 1));
            }
            if (shards.stream().noneMatch(s -> s == shard)) {
                throw new IllegalArgumentException("the shard of " + shard.primary + " is not one of this builder's");
            }
            Arrays.fill(bySlot, from, to + 1, shard);
            return this;
        }

        public SlotMap build(long version) {
            return new SlotMap(bySlot.clone(), shards, version);
        }
    }
}
