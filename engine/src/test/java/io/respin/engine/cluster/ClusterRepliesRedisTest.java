package io.respin.engine.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.respin.engine.command.Decoder;
import io.respin.engine.command.ReplyReader;
import io.respin.engine.resp.RawClient;
import io.respin.engine.resp.Reply;
import io.respin.engine.resp.RespParser;
import io.respin.testkit.RedisCluster;
import io.respin.testkit.RedisServer;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The topology of a real 3-primary, 3-replica cluster read from {@code CLUSTER SHARDS}, {@code CLUSTER SLOTS} and
 * {@code CLUSTER NODES}, in RESP2 and RESP3, both from the {@link Reply} tree and through the decoders on the
 * bytes the server sent. Each map must cover every slot, name every node with its real id, pair each replica
 * with the primary it replicates, and send every slot where the cluster serves it: a GET of a key of each of
 * the 16,384 slots, sent to the map's primary, is answered there (no MOVED), and the testkit agrees.
 */
class ClusterRepliesRedisTest {
    private static RedisCluster cluster;
    private static String[] keyOfSlot;

    @BeforeAll
    static void start() {
        cluster = RedisCluster.builder().primaries(3).replicasPerPrimary(1).start();
        keyOfSlot = new String[Slots.COUNT];
        int found = 0;
        for (int i = 0; found < Slots.COUNT; i++) {
            String k = "k" + i;
            if (keyOfSlot[Slots.slot(k)] == null) {
                keyOfSlot[Slots.slot(k)] = k;
                found++;
            }
        }
        awaitReplicasEverywhere();
    }

    /**
     * RedisCluster returns at {@code cluster_state:ok}, which comes before every node has heard that three of them
     * are replicas (they start as empty primaries), and CLUSTER SLOTS leaves out a replica whose replication
     * offset is still 0. So: a write to every primary moves the offsets; then wait until every node's CLUSTER
     * NODES lists three replicas, every replica's link is up, and CLUSTER SLOTS lists a replica for every range.
     */
    @SuppressWarnings("unchecked")
    private static void awaitReplicasEverywhere() {
        for (int slot : new int[] {0, 8000, 16383}) {
            cluster.primaryForSlot(slot).command("SET", keyOfSlot[slot], "x");
        }
        long deadline = System.nanoTime() + 30_000_000_000L;
        for (RedisServer node : cluster.nodes()) {
            await(deadline, "every node to know the three replicas and every replica's link to be up", () -> {
                String nodes = (String) node.command("CLUSTER", "NODES");
                String info = node.info("replication");
                return nodes.lines().filter(l -> l.split(" ")[2].contains("slave")).count() == 3
                        && (info.contains("role:master") || info.contains("master_link_status:up"));
            });
        }
        await(deadline, "CLUSTER SLOTS to list a replica for every range", () ->
                ((List<List<Object>>) cluster.nodes().getFirst().command("CLUSTER", "SLOTS")).stream()
                        .allMatch(range -> range.size() >= 4));
    }

    private static void await(long deadline, String what, java.util.function.BooleanSupplier done) {
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out waiting for " + what);
            }
            java.util.concurrent.locks.LockSupport.parkNanos(20_000_000L);
        }
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** The reply to {@code args} from the first node, as a tree and through {@code decoder} on its bytes. */
    private static List<SlotMap> fetch(boolean resp3, Function<Reply, SlotMap> fromTree, Decoder<SlotMap> decoder,
                                       String... args) throws IOException {
        try (RawClient c = new RawClient(cluster.nodes().getFirst().port())) {
            if (resp3) {
                c.call("HELLO", "3");
            }
            int before = c.captured().length;
            Reply reply = c.call((Object[]) args);
            byte[] all = c.captured();
            byte[] bytes = Arrays.copyOfRange(all, before, all.length);
            ReplyReader<SlotMap> reader = new ReplyReader<>(String.join(" ", args), decoder);
            assertEquals(bytes.length, new RespParser().parse(MemorySegment.ofArray(bytes), 0, bytes.length, reader));
            List<SlotMap> maps = new ArrayList<>();
            if (fromTree != null) {
                maps.add(fromTree.apply(reply));
            }
            maps.add(reader.result());
            return maps;
        }
    }

    @Test
    void shardsInBothProtocols() throws IOException {
        for (SlotMap m : fetchBoth(r -> ClusterReplies.shards(r, "127.0.0.1", 1),
                () -> ClusterReplies.shardsDecoder("127.0.0.1", 1), "SHARDS")) {
            assertMatchesTheCluster(m);
            for (SlotMap.Shard s : m.shards()) {
                assertEquals(SlotMap.Health.ONLINE, s.primary().health());
            }
        }
    }

    @Test
    void slotsInBothProtocols() throws IOException {
        for (SlotMap m : fetchBoth(r -> ClusterReplies.slots(r, "127.0.0.1", 1),
                () -> ClusterReplies.slotsDecoder("127.0.0.1", 1), "SLOTS")) {
            assertMatchesTheCluster(m);
        }
    }

    /** CLUSTER {@code subcommand} in RESP2 and RESP3, each from the tree and through a new decoder. */
    private static List<SlotMap> fetchBoth(Function<Reply, SlotMap> fromTree,
                                           java.util.function.Supplier<Decoder<SlotMap>> decoder,
                                           String subcommand) throws IOException {
        List<SlotMap> maps = new ArrayList<>(fetch(false, fromTree, decoder.get(), "CLUSTER", subcommand));
        maps.addAll(fetch(true, fromTree, decoder.get(), "CLUSTER", subcommand));
        assertEquals(4, maps.size());
        return maps;
    }

    @Test
    void nodesInBothProtocolsCarryEpochs() throws IOException {
        for (boolean resp3 : new boolean[] {false, true}) {
            SlotMap m = fetch(resp3, null, ClusterReplies.nodesDecoder("127.0.0.1", 1), "CLUSTER", "NODES").getFirst();
            assertMatchesTheCluster(m);
            for (SlotMap.Shard s : m.shards()) {
                assertTrue(s.configEpoch() > 0, s.toString());
            }
            assertEquals(m.shards().stream().mapToLong(SlotMap.Shard::configEpoch).distinct().count(), 3,
                    "each primary has its own config epoch");
        }
    }

    private static void assertMatchesTheCluster(SlotMap m) throws IOException {
        assertEquals(Slots.COUNT, m.coveredSlots(), m::toString);
        assertEquals(3, m.primaries().size(), m::toString);
        assertEquals(6, m.nodes().size(), m::toString);
        for (SlotMap.Node n : m.nodes()) {
            RedisServer server = server(n);
            assertEquals(server.command("CLUSTER", "MYID"), n.id(), n::toString);
            assertEquals("127.0.0.1", n.host());
        }
        for (SlotMap.Shard s : m.shards()) {
            assertEquals(SlotMap.Role.PRIMARY, s.primary().role());
            assertEquals(1, s.replicas().size(), s::toString);
            SlotMap.Node replica = s.replicas().getFirst();
            assertEquals(SlotMap.Role.REPLICA, replica.role());
            assertTrue(server(replica).info("replication").contains("master_port:" + s.primary().port()),
                    () -> replica + " replicates " + s.primary());
        }
        // every slot's key, sent to the map's primary, is served there
        for (SlotMap.Node primary : m.primaries()) {
            try (RawClient c = new RawClient(primary.port())) {
                List<Integer> mine = new ArrayList<>();
                for (int slot = 0; slot < Slots.COUNT; slot++) {
                    if (m.primary(slot) == primary) {
                        mine.add(slot);
                        c.send("GET", keyOfSlot[slot]);
                    }
                }
                for (int slot : mine) {
                    Reply r = c.read();
                    assertFalse(r.type().isError(), () -> "slot " + slot + " at " + primary + ": " + r);
                }
            }
        }
        for (int slot = 0; slot < Slots.COUNT; slot += 997) {
            assertEquals(cluster.primaryForKey(keyOfSlot[slot]).port(), m.primary(slot).port());
        }
    }

    private static RedisServer server(SlotMap.Node n) {
        return cluster.nodes().stream().filter(s -> s.port() == n.port()).findFirst().orElseThrow(
                () -> new AssertionError(n + " is not a node of the cluster"));
    }
}
