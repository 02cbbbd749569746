package io.respin.client.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.respin.client.RedisClient;
import io.respin.io.IoListener;
import io.respin.io.RedisEndpoint;
import io.respin.testkit.RedisCluster;
import io.respin.testkit.RedisServer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Issue 20, redirect events: every MOVED and ASK a node answers reaches {@link IoListener#redirected} once, with
 * the slot, the node that answered and the node named — counted against the nodes' own count of the redirects they
 * sent (INFO errorstats), on a real 3-primary cluster whose slots are moved under a client with a warm slot map.
 */
class ClusterRedirectEventsTest {

    record Heard(String from, String command, IoListener.Redirect kind, int slot, String to) { }

    static final class Redirects implements IoListener {
        final List<Heard> heard = new CopyOnWriteArrayList<>();

        @Override
        public void redirected(RedisEndpoint from, String command, Redirect kind, int slot, String toHost, int toPort) {
            heard.add(new Heard(from.uri().address(), command, kind, slot, toHost + ":" + toPort));
        }
    }

    private static String address(RedisServer s) {
        return s.host() + ":" + s.port();
    }

    @Test
    void aStaleSlotMapMeetsOneMovedAndAMigratingSlotOneAskEachReported() {
        Redirects listener = new Redirects();
        try (RedisCluster cluster = RedisCluster.builder().primaries(3).start();
             RedisClient client = RedisClient.builder("redis-cluster://" + String.join(",", cluster.seeds()))
                     .listener(listener).build()) {
            String key = "{redirect}:k";
            int slot = cluster.slot(key);
            client.sync().set(key, "v1"); // the client knows the owner
            RedisServer before = cluster.primaryForSlot(slot);
            long movedBefore = ClusterRoutingTest.movedSoFar(cluster);
            assertEquals(List.of(), listener.heard);

            cluster.moveSlot(slot, () -> { }); // behind the client's back: its map is now stale
            RedisServer after = cluster.primaryForSlot(slot);
            assertEquals("v1", client.sync().get(key));   // the old owner answers MOVED, the new one the value
            assertEquals("v1", client.sync().get(key));   // the map learnt from the MOVED: no second one
            assertEquals(List.of(new Heard(address(before), "GET", IoListener.Redirect.MOVED, slot, address(after))),
                    listener.heard);
            assertEquals(1, ClusterRoutingTest.movedSoFar(cluster) - movedBefore, "MOVED the nodes sent");

            // a slot half migrated: the key already on the target, the source answers ASK (and keeps the slot)
            String moving = "{redirect}:moving";
            client.sync().set(moving, "v2");
            RedisServer source = after;
            List<RedisServer> primaries = cluster.primaries();
            RedisServer target = primaries.get((primaries.indexOf(source) + 1) % primaries.size());
            String s = Integer.toString(slot);
            long askBefore = ClusterRoutingTest.errorsSoFar(cluster, "ASK");
            target.command("CLUSTER", "SETSLOT", s, "IMPORTING", (String) source.command("CLUSTER", "MYID"));
            source.command("CLUSTER", "SETSLOT", s, "MIGRATING", (String) target.command("CLUSTER", "MYID"));
            source.command("MIGRATE", target.host(), Integer.toString(target.port()), "", "0", "5000", "KEYS", moving);
            listener.heard.clear();
            assertEquals("v2", client.sync().get(moving));
            assertEquals("v2", client.async().get(moving).orTimeout(10, java.util.concurrent.TimeUnit.SECONDS).join());
            assertEquals(List.of(new Heard(address(source), "GET", IoListener.Redirect.ASK, slot, address(target)),
                    new Heard(address(source), "GET", IoListener.Redirect.ASK, slot, address(target))), listener.heard);
            assertEquals(2, ClusterRoutingTest.errorsSoFar(cluster, "ASK") - askBefore, "ASK the nodes sent");
            assertEquals(1, ClusterRoutingTest.movedSoFar(cluster) - movedBefore, "no MOVED during a migration");
        }
    }
}
