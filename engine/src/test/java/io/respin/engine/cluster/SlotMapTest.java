package io.respin.engine.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.respin.engine.cluster.SlotMap.Health;
import io.respin.engine.cluster.SlotMap.Node;
import io.respin.engine.cluster.SlotMap.Role;
import io.respin.engine.cluster.SlotMap.SlotRange;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The map's lookups and the MOVED update: a new map, the old one untouched, nodes found or created. */
class SlotMapTest {
    static final Node P1 = new Node("1".repeat(40), "10.0.0.1", 7000, Role.PRIMARY, Health.ONLINE);
    static final Node P2 = new Node("2".repeat(40), "10.0.0.2", 7001, Role.PRIMARY, Health.ONLINE);
    static final Node R1 = new Node("3".repeat(40), "10.0.0.3", 7002, Role.REPLICA, Health.ONLINE);

    /** P1 (replica R1) serves 0-8191, P2 8192-16383. */
    static SlotMap twoShards(long version) {
        SlotMap.Builder b = SlotMap.builder();
        b.assign(b.shard(P1, List.of(R1), 4), 0, 8191);
        b.assign(b.shard(P2, List.of(), 5), 8192, 16383);
        return b.build(version);
    }

    @Test
    void lookups() {
        SlotMap m = twoShards(1);
        assertSame(P1, m.primary(0));
        assertSame(P2, m.primary(16383));
        assertEquals(List.of(P1, P2), m.primaries());
        assertEquals(List.of(P1, R1, P2), m.nodes());
        assertSame(R1, m.node("10.0.0.3", 7002));
        assertNull(m.node("10.0.0.3", 7003));
        assertEquals(5, m.configEpoch());
        assertEquals(16384, m.coveredSlots());
        assertEquals(0, SlotMap.empty(0).coveredSlots());
        assertNull(SlotMap.empty(0).primary(5));
        assertThrows(IllegalArgumentException.class, () -> SlotMap.builder().assign(m.shard(0), 0, 1));
        assertThrows(IllegalArgumentException.class, () -> {
            SlotMap.Builder b = SlotMap.builder();
            b.assign(b.shard(P1, List.of(), -1), 10, 16384);
        });
    }

    @Test
    void movedToAKnownPrimaryJoinsItsShard() {
        SlotMap before = twoShards(1);
        SlotMap after = before.withMoved(100, "10.0.0.2", 7001);
        assertEquals(2, after.version());
        assertSame(P2, after.primary(100));
        assertSame(after.shard(9000), after.shard(100));
        assertEquals(List.of(new SlotRange(0, 99), new SlotRange(101, 8191)), after.slots(after.shard(0)));
        assertSame(P1, before.primary(100), "the old map is not changed");
        assertEquals(2, after.shards().size());
        assertFalse(after.sameOwners(before));
        assertTrue(after.sameOwners(after.withMoved(100, "10.0.0.2", 7001)));
    }

    @Test
    void movedToAReplicaPromotesItIntoAShardOfItsOwn() {
        SlotMap after = twoShards(1).withMoved(5, "10.0.0.3", 7002);
        assertEquals(new Node(R1.id(), R1.host(), R1.port(), Role.PRIMARY, Health.ONLINE), after.primary(5));
        assertEquals(3, after.shards().size());
        assertEquals(List.of(new SlotRange(5, 5)), after.slots(after.shard(5)));
        // the next MOVED to the same node finds the new shard
        SlotMap again = after.withMoved(6, "10.0.0.3", 7002);
        assertSame(again.shard(5), again.shard(6));
        assertEquals(3, again.shards().size());
    }

    @Test
    void movedToAnUnknownNodeCreatesItAndDropsItWhenEmptiedAgain() {
        SlotMap after = twoShards(1).withMoved(16000, "10.0.0.9", 7009);
        assertEquals(new Node("", "10.0.0.9", 7009, Role.PRIMARY, Health.UNKNOWN), after.primary(16000));
        assertEquals(3, after.primaries().size());
        SlotMap back = after.withMoved(16000, "10.0.0.2", 7001);
        assertEquals(2, back.primaries().size(), "a shard only a MOVED knew, serving nothing now, is gone");
        assertTrue(back.sameOwners(twoShards(1)));
        assertEquals(3, back.version());
        assertNotEquals(twoShards(1), back);
    }

    @Test
    void equalityIsByShardsAndSlots() {
        assertEquals(twoShards(1), twoShards(1));
        assertEquals(twoShards(1).hashCode(), twoShards(1).hashCode());
        assertNotEquals(twoShards(1), twoShards(2));
        SlotMap.Builder b = SlotMap.builder();
        b.assign(b.shard(P1, List.of(R1), 4), 0, 8190);
        b.assign(b.shard(P2, List.of(), 5), 8191, 16383);
        assertNotEquals(twoShards(1), b.build(1));
        assertFalse(twoShards(1).sameOwners(b.build(1)));
    }
}
