package io.respin.engine.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.respin.engine.cluster.SlotMap.Health;
import io.respin.engine.cluster.SlotMap.Node;
import io.respin.engine.cluster.SlotMap.Role;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Choosing among nodes' views: majority, epoch tie-break, coverage, empty views, and the freshest winner. */
class TopologyVoteTest {
    private static final Node OLD = new Node("o".repeat(40), "10.0.0.1", 7000, Role.PRIMARY, Health.ONLINE);
    private static final Node NEW = new Node("n".repeat(40), "10.0.0.2", 7001, Role.PRIMARY, Health.ONLINE);

    /** One primary serving slots 0..to with the given epoch (a view as CLUSTER NODES would give it). */
    private static SlotMap view(Node primary, int to, long epoch) {
        SlotMap.Builder b = SlotMap.builder();
        b.assign(b.shard(primary, List.of(), epoch), 0, to);
        return b.build(1);
    }

    @Test
    void theViewMostNodesShareWins() {
        SlotMap stale = view(OLD, 16383, 9); // even with the higher epoch, one node is outvoted
        SlotMap a = view(NEW, 16383, 3);
        SlotMap b = view(NEW, 16383, 4);
        TopologyVote.Outcome o = TopologyVote.pick(List.of(stale, a, b));
        assertSame(b, o.winner(), "the agreeing view with the highest epoch");
        assertEquals(2, o.agreeing());
        assertEquals(3, o.views());
        assertTrue(o.majority());
    }

    @Test
    void aTieGoesToTheHighestConfigEpoch() {
        SlotMap before = view(OLD, 16383, 3);
        SlotMap after = view(NEW, 16383, 7); // the promoted replica's newer epoch
        assertSame(after, TopologyVote.pick(List.of(before, after)).winner());
        assertSame(after, TopologyVote.pick(List.of(after, before)).winner());
        assertFalse(TopologyVote.pick(List.of(after, before)).majority());
    }

    @Test
    void withoutEpochsATieGoesToCoverageThenToTheFirst() {
        SlotMap partial = view(OLD, 100, -1);
        SlotMap full = view(NEW, 16383, -1);
        assertSame(full, TopologyVote.pick(List.of(partial, full)).winner());
        SlotMap other = view(OLD, 16383, -1);
        assertSame(other, TopologyVote.pick(List.of(other, full)).winner());
        assertSame(full, TopologyVote.pick(List.of(full, other)).winner());
    }

    @Test
    void emptyViewsDoNotVote() {
        SlotMap real = view(NEW, 16383, -1);
        TopologyVote.Outcome o = TopologyVote.pick(List.of(SlotMap.empty(1), SlotMap.empty(1), real));
        assertSame(real, o.winner());
        assertEquals(1, o.agreeing());
        assertEquals(3, TopologyVote.pick(List.of(SlotMap.empty(1), SlotMap.empty(2), SlotMap.empty(3))).agreeing());
        assertThrows(IllegalArgumentException.class, () -> TopologyVote.pick(List.of()));
    }
}
