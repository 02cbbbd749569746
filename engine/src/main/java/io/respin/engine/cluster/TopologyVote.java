package io.respin.engine.cluster;

import java.util.ArrayList;
import java.util.List;

/**
 * Picks the topology to use from the views several nodes gave, so that one stale node (just restarted, cut off
 * during a failover) cannot route the whole client wrong. Views that send every slot to the same primaries
 * ({@link SlotMap#sameOwners}) vote together; the largest group wins. A tie goes to the group whose views carry
 * the highest configuration epoch (known from {@code CLUSTER NODES}; a newer failover has a higher one), then to
 * the group that covers more slots, then to the group seen first. Views that cover no slot at all (a node not yet
 * joined, or reset) do not vote while any view covers one.
 *
 * <pre>{@code
 * TopologyVote.Outcome o = TopologyVote.pick(List.of(fromNodeA, fromNodeB, fromNodeC));
 * SlotMap map = o.winner();   // o.agreeing() of o.views() views agreed with it
 * }</pre>
 */
public final class TopologyVote {
    private TopologyVote() {
    }

    /**
     * The chosen view and its support. {@code winner} is, among the agreeing views, the one with the highest
     * configuration epoch (the first of them on a tie), so replicas and health come from the freshest.
     */
    public record Outcome(SlotMap winner, int agreeing, int views) {
        /** True when more than half of the views agreed. */
        public boolean majority() {
            return agreeing * 2 > views;
        }
    }

    public static Outcome pick(List<SlotMap> views) {
        if (views.isEmpty()) {
            throw new IllegalArgumentException("no topology views to choose from");
        }
        boolean anyCovers = views.stream().anyMatch(v -> v.coveredSlots() > 0);
        List<List<SlotMap>> groups = new ArrayList<>();
        for (SlotMap v : views) {
            if (anyCovers && v.coveredSlots() == 0) {
                continue;
            }
            List<SlotMap> group = groups.stream().filter(g -> g.getFirst().sameOwners(v)).findFirst().orElse(null);
            if (group == null) {
                group = new ArrayList<>();
                groups.add(group);
            }
            group.add(v);
        }
        List<SlotMap> best = groups.getFirst();
        for (List<SlotMap> g : groups) {
            if (better(g, best)) {
                best = g;
            }
        }
        SlotMap winner = best.getFirst();
        for (SlotMap v : best) {
            if (v.configEpoch() > winner.configEpoch()) {
                winner = v;
            }
        }
        return new Outcome(winner, best.size(), views.size());
    }

    private static boolean better(List<SlotMap> a, List<SlotMap> b) {
        if (a.size() != b.size()) {
            return a.size() > b.size();
        }
        long epochA = epoch(a);
        long epochB = epoch(b);
        if (epochA != epochB) {
            return epochA > epochB;
        }
        return a.getFirst().coveredSlots() > b.getFirst().coveredSlots();
    }

    private static long epoch(List<SlotMap> group) {
        return group.stream().mapToLong(SlotMap::configEpoch).max().orElse(-1);
    }
}
