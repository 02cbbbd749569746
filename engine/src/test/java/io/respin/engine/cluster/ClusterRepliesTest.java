package io.respin.engine.cluster;

import static io.respin.engine.cluster.Fixture.map;
import static io.respin.engine.cluster.Fixture.resp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.respin.RedisProtocolException;
import io.respin.engine.cluster.SlotMap.Health;
import io.respin.engine.cluster.SlotMap.Node;
import io.respin.engine.cluster.SlotMap.Role;
import io.respin.engine.cluster.SlotMap.SlotRange;
import io.respin.engine.command.Decoders;
import io.respin.engine.command.Resp;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Hand-written topology replies, each decoded in RESP3 and RESP2, whole and byte by byte, through the decoders:
 * gaps in coverage (unowned slots), a primary without slots, unknown endpoints ({@code ?}, empty, null),
 * hostnames, failed and loading nodes, TLS-only ports, {@code CLUSTER NODES} epochs and migrating entries, and
 * malformed replies failing the command.
 */
class ClusterRepliesTest {
    private static final String A = "a".repeat(40);
    private static final String B = "b".repeat(40);
    private static final String C = "c".repeat(40);
    private static final String D = "d".repeat(40);
    private static final String E = "e".repeat(40);

    private static Object shardNode(String id, String endpoint, String ip, int port, String role, String health) {
        return map("id", id, "port", port, "ip", ip, "endpoint", endpoint, "role", role,
                "replication-offset", 72156, "health", health);
    }

    /** Three shards: A serves 0-99 and 200-299 (100-199 is a gap), B serves 300-16383, C is a new empty primary. */
    private static final Object SHARDS = List.of(
            map("slots", List.of(0, 99, 200, 299), "nodes", List.of(
                    shardNode(A, "10.0.0.1", "10.0.0.1", 7000, "master", "online"),
                    shardNode(D, "?", "10.0.0.4", 7003, "replica", "loading"))),
            map("slots", List.of(300, 16383), "nodes", List.of(
                    shardNode(E, "", "", 7004, "replica", "failed"),
                    map("id", B, "tls-port", 7101, "ip", "10.0.0.2", "endpoint", "redis-b.example",
                            "hostname", "redis-b.example", "role", "master", "replication-offset", 1, "health", "online"))),
            map("slots", List.of(), "nodes", List.of(
                    shardNode(C, "?", "", 7002, "master", "online"))));

    private static SlotMap decodeShards(boolean resp3) {
        return Resp.decode(resp(SHARDS, resp3), ClusterReplies.shardsDecoder("seed.example", 3));
    }

    @Test
    void shardsInBothProtocols() {
        for (boolean resp3 : new boolean[] {true, false}) {
            SlotMap m = decodeShards(resp3);
            assertEquals(3, m.version());
            Node a = new Node(A, "10.0.0.1", 7000, Role.PRIMARY, Health.ONLINE);
            Node b = new Node(B, "redis-b.example", 7101, Role.PRIMARY, Health.ONLINE); // tls-port when no port
            Node c = new Node(C, "seed.example", 7002, Role.PRIMARY, Health.ONLINE);    // '?' and no ip: the seed
            Node d = new Node(D, "10.0.0.4", 7003, Role.REPLICA, Health.LOADING);       // '?': the ip
            Node e = new Node(E, "seed.example", 7004, Role.REPLICA, Health.FAILED);    // empty: the seed
            assertEquals(List.of(a, b, c), m.primaries());
            assertEquals(List.of(a, d, b, e, c), m.nodes());
            assertEquals(a, m.primary(0));
            assertEquals(a, m.primary(99));
            assertNull(m.primary(100), "the gap is unowned");
            assertNull(m.shard(199));
            assertEquals(a, m.primary(200));
            assertEquals(b, m.primary(300));
            assertEquals(b, m.primary(16383));
            assertEquals(List.of(d), m.shard(0).replicas());
            assertEquals(List.of(new SlotRange(0, 99), new SlotRange(200, 299)), m.slots(m.shard(0)));
            assertEquals(List.of(), m.slots(m.shards().get(2)), "a primary without slots is still a shard");
            assertEquals(16384 - 100, m.coveredSlots());
            assertEquals(-1, m.configEpoch());
            assertEquals(e, m.node("seed.example", 7004));
        }
    }

    @Test
    void aShardWithoutAPrimaryServesNothing() {
        Object reply = List.of(map("slots", List.of(0, 16383), "nodes", List.of(
                shardNode(D, "10.0.0.4", "10.0.0.4", 7003, "replica", "online"))));
        SlotMap m = ClusterReplies.shards(io.respin.engine.command.Resp.decode(resp(reply, true), Decoders.reply()), "s", 1);
        assertEquals(0, m.coveredSlots());
        assertEquals(List.of(), m.shards());
    }

    /** CLUSTER SLOTS: [start, end, [endpoint, port, id, {metadata}], replicas...]. */
    private static final Object SLOTS = List.of(
            List.of(0, 5460, List.of("10.0.0.1", 7000, A, map()), List.of("10.0.0.4", 7003, D, map())),
            List.of(5461, 5470, List.of("?", 7001, B, map("ip", "10.0.0.2"))),   // hostname preferred, none set
            List.of(5471, 10000, List.of("", 7001, B)),                          // empty endpoint: same host
            List.of(12000, 16383, List.of("redis-c", 7002, C, map("ip", "10.0.0.3", "hostname", "redis-c")),
                    List.of("10.0.0.5", 7004, E)));

    @Test
    void slotsInBothProtocolsWithUnknownEndpoints() {
        for (boolean resp3 : new boolean[] {true, false}) {
            SlotMap m = Resp.decode(resp(SLOTS, resp3), ClusterReplies.slotsDecoder("seed", 9));
            assertEquals(new Node(A, "10.0.0.1", 7000, Role.PRIMARY, Health.UNKNOWN), m.primary(0));
            assertEquals(List.of(new Node(D, "10.0.0.4", 7003, Role.REPLICA, Health.UNKNOWN)), m.shard(5460).replicas());
            assertEquals("10.0.0.2", m.primary(5461).host());
            // the first range of B made its shard: the later range joins it rather than making another
            assertEquals(m.shard(5461), m.shard(5471));
            assertTrue(m.shard(5461) == m.shard(10000));
            assertNull(m.primary(10001));
            assertNull(m.primary(11999));
            assertEquals("redis-c", m.primary(12000).host());
            assertEquals(List.of(new SlotRange(5461, 10000)), m.slots(m.shard(5461)));
            assertEquals(3, m.shards().size());
            assertEquals(16384 - 1999, m.coveredSlots());
        }
    }

    @Test
    void slotsWithANullEndpointUseTheReplyingHost() {
        String reply = "*1\n*3\n:0\n:16383\n*3\n_\n:7000\n$40\n" + A + "\n";
        SlotMap m = Resp.decode(reply, ClusterReplies.slotsDecoder("lb.example", 1));
        assertEquals(new Node(A, "lb.example", 7000, Role.PRIMARY, Health.UNKNOWN), m.primary(16383));
    }

    private static final String NODES = String.join("\n",
            A + " 10.0.0.1:7000@17000 myself,master - 0 0 7 connected 0-99 200-299 [100->-" + B + "]",
            B + " 10.0.0.2:7001@17001,redis-b master - 0 1700000000000 9 connected 100-199 300-16383 [5-<-" + A + "]",
            D + " 10.0.0.4:7003@17003 slave " + A + " 0 1700000000000 7 connected",
            E + " :7004@17004 slave,fail " + B + " 1700000000000 1700000000000 9 disconnected",
            C + " :0@0 master,noaddr - 1700000000000 1700000000000 3 disconnected",
            "");

    @Test
    void nodesTextWithEpochs() {
        SlotMap m = Resp.decode("$" + NODES.replace("\n", "\r\n").length() + "\n" + NODES + "\n", ClusterReplies.nodesDecoder("seed", 4));
        assertEquals(List.of(new Node(A, "10.0.0.1", 7000, Role.PRIMARY, Health.ONLINE),
                new Node(B, "10.0.0.2", 7001, Role.PRIMARY, Health.ONLINE)), m.primaries(), "noaddr is left out");
        assertEquals(7, m.shard(0).configEpoch());
        assertEquals(9, m.shard(300).configEpoch());
        assertEquals(9, m.configEpoch());
        assertEquals("10.0.0.2", m.primary(100).host(), "a migrating entry does not move the slot");
        assertEquals("10.0.0.1", m.primary(5).host(), "an importing entry does not either");
        assertEquals(List.of(new Node(E, "seed", 7004, Role.REPLICA, Health.FAILED)), m.shard(300).replicas());
        assertEquals(16384, m.coveredSlots());
    }

    @Test
    void malformedRepliesFailTheCommandNamingWhatIsWrong() {
        var e = assertThrows(RedisProtocolException.class,
                () -> Resp.decode(resp(List.of(map("slots", List.of(0), "nodes", List.of(
                        shardNode(A, "h", "h", 1, "master", "online")))), true), ClusterReplies.shardsDecoder("s", 1)));
        assertTrue(e.getMessage().contains("start, end pairs"), e.getMessage());
        e = assertThrows(RedisProtocolException.class,
                () -> Resp.decode(resp(List.of(map("slots", List.of(0, 16384), "nodes", List.of(
                        shardNode(A, "h", "h", 1, "master", "online")))), true), ClusterReplies.shardsDecoder("s", 1)));
        assertTrue(e.getMessage().contains("0-16383"), e.getMessage());
        e = assertThrows(RedisProtocolException.class,
                () -> Resp.decode(resp(List.of(map("nodes", List.of())), false), ClusterReplies.shardsDecoder("s", 1)));
        assertTrue(e.getMessage().contains("no 'slots' field"), e.getMessage());
        e = assertThrows(RedisProtocolException.class,
                () -> Resp.decode(resp(List.of(List.of(0, 1)), true), ClusterReplies.slotsDecoder("s", 1)));
        assertTrue(e.getMessage().contains("a primary"), e.getMessage());
        e = assertThrows(RedisProtocolException.class,
                () -> Resp.decode("$6\nnot ok\n", ClusterReplies.nodesDecoder("s", 1)));
        assertTrue(e.getMessage().contains("at least 8 fields"), e.getMessage());
    }
}
