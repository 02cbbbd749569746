package io.respin.client.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static io.respin.client.cluster.ClusterFixture.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.respin.client.RedisClient;
import io.respin.client.async.PubSubEvents;
import io.respin.client.async.Subscription;
import io.respin.testkit.RedisCluster;
import io.respin.testkit.RedisServer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Pub/sub that follows the cluster: a shard channel whose slot moves (the old owner sends {@code sunsubscribe}) is
 * subscribed again on the new owner, and after {@code kill -9} of a primary its shard channels, channels and
 * patterns move to the promoted replica or another primary — no subscription lost (every message published after
 * the move arrives, exactly once), none doubled. Where each is subscribed is read from the nodes themselves
 * ({@code PUBSUB NUMSUB/NUMPAT/SHARDNUMSUB}).
 */
class ClusterPubSubTest {
    private ClusterFixture fx;
    private RedisCluster cluster;
    private RedisClient client;

    /** Every moved subscription the client told its event listener of. */
    private final List<PubSubEvents.Resubscribed> moves = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() {
        fx = ClusterFixture.start(RedisCluster.builder().primaries(3).replicasPerPrimary(1)
                .config("cluster-node-timeout", "1000").config("cluster-replica-validity-factor", "0"));
        cluster = fx.cluster();
        client = fx.client();
        // snippet: cluster-resubscribed
        client.pubSub().addEventListener(new PubSubEvents() {
            @Override public void onResubscribed(Resubscribed moved) {
                moves.add(moved); // SSUBSCRIBE {orders}:new from 10.0.0.1:7000 to 10.0.0.2:7001, "slot moved": catch up
            }
        });
        // end snippet
    }

    private static String at(RedisServer node) {
        return node.host() + ":" + node.port();
    }

    @AfterEach
    void stop() {
        ClusterFixture.close(fx);
    }

    /** The subscriber count a node reports for {@code name} ({@code what}: NUMSUB or SHARDNUMSUB). */
    private static long subscribers(RedisServer node, String what, String name) {
        if (!node.isAlive()) {
            return 0;
        }
        return (Long) ((List<?>) node.command("PUBSUB", what, name)).get(1);
    }

    private static long patterns(RedisServer node) {
        return node.isAlive() ? (Long) node.command("PUBSUB", "NUMPAT") : 0;
    }

    /** The live nodes on which {@code name} has a subscriber. */
    private List<RedisServer> holders(String what, String name) {
        List<RedisServer> on = new ArrayList<>();
        for (RedisServer n : cluster.nodes()) {
            if (subscribers(n, what, name) > 0) {
                on.add(n);
            }
        }
        return on;
    }

    /** Publishes {@code n} messages and waits until {@code got} has exactly them, in order, once each. */
    private static void publishedArrive(Runnable[] publish, List<String> got, List<String> expected) {
        int before = got.size();
        for (Runnable p : publish) {
            p.run();
        }
        await(() -> got.size() >= before + expected.size(), expected.size() + " messages");
        try {
            Thread.sleep(200); // a copy from a second subscription would arrive by now
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        assertEquals(expected, got.subList(before, got.size()), "every message once, none doubled");
    }

    private Runnable[] spublish(String channel, String prefix, int n) {
        Runnable[] r = new Runnable[n];
        for (int i = 0; i < n; i++) {
            String m = prefix + i;
            r[i] = () -> client.sync().execute("SPUBLISH", channel, m);
        }
        return r;
    }

    private static List<String> names(String prefix, int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(prefix + i);
        }
        return out;
    }

    @Test
    void aShardChannelFollowsItsSlotWhenItMoves() {
        String channel = "{orders}:new";
        List<String> got = new CopyOnWriteArrayList<>();
        Subscription s = client.ssubscribe(m -> got.add(m.message()), channel);
        RedisServer owner = cluster.primaryForKey(channel);
        assertEquals(List.of(owner), holders("SHARDNUMSUB", channel), "subscribed on the channel's owner");
        publishedArrive(spublish(channel, "before-", 5), got, names("before-", 5));

        RedisServer target = cluster.moveSlot(cluster.slot(channel), () -> { });
        await(() -> holders("SHARDNUMSUB", channel).equals(List.of(target)),
                "the subscription to move to the slot's new owner " + target);
        publishedArrive(spublish(channel, "after-", 10), got, names("after-", 10));
        assertEquals(List.of(new PubSubEvents.Resubscribed("SSUBSCRIBE", channel, at(owner), at(target), "slot moved")),
                moves, "the listener heard once that the shard channel moved (messages in between may be lost)");
        s.close();
        await(() -> holders("SHARDNUMSUB", channel).isEmpty(), "the unsubscribe to reach the node it is on");
    }

    @Test
    void subscriptionsOnAKilledPrimaryMoveToTheNodesThatReplaceIt() {
        List<String> plain = new CopyOnWriteArrayList<>();
        List<String> pattern = new CopyOnWriteArrayList<>();
        Subscription c = client.subscribe(m -> plain.add(m.message()), "news");
        Subscription p = client.psubscribe(m -> pattern.add(m.message()), "alerts.*");
        List<RedisServer> on = holders("NUMSUB", "news");
        assertEquals(1, on.size(), "SUBSCRIBE on one node: " + on);
        RedisServer victim = on.getFirst();
        // a shard channel of the same primary
        String shard = null;
        for (int i = 0; shard == null; i++) {
            shard = cluster.primaryForKey("{s" + i + "}:ch").port() == victim.port() ? "{s" + i + "}:ch" : null;
        }
        List<String> sharded = new CopyOnWriteArrayList<>();
        Subscription s = client.ssubscribe(m -> sharded.add(m.message()), shard);
        assertEquals(List.of(victim), holders("SHARDNUMSUB", shard));
        assertEquals(1L, patterns(victim), "PSUBSCRIBE on the same node");

        RedisServer heir = cluster.nodes().stream().filter(n -> n != victim)
                .filter(n -> n.info("replication").contains("master_port:" + victim.port())).findFirst().orElseThrow();
        victim.kill();
        await(() -> heir.info("replication").contains("role:master"), "the replica to take over");
        String ch = shard;
        await(() -> holders("SHARDNUMSUB", ch).equals(List.of(heir)), "the shard channel on the promoted replica");
        await(() -> holders("NUMSUB", "news").size() == 1, "SUBSCRIBE again on a live primary");
        await(() -> cluster.nodes().stream().mapToLong(ClusterPubSubTest::patterns).sum() == 1,
                "PSUBSCRIBE again on one live primary");

        publishedArrive(spublish(shard, "s-", 10), sharded, names("s-", 10));
        Runnable[] news = new Runnable[10];
        Runnable[] alerts = new Runnable[10];
        for (int i = 0; i < 10; i++) {
            String m = "n-" + i;
            String a = "a-" + i;
            news[i] = () -> client.sync().publish("news", m);
            alerts[i] = () -> client.sync().publish("alerts.fire", a);
        }
        publishedArrive(news, plain, names("n-", 10));
        publishedArrive(alerts, pattern, names("a-", 10));
        java.util.Map<String, PubSubEvents.Resubscribed> byName = new java.util.TreeMap<>();
        for (PubSubEvents.Resubscribed m : moves) {
            byName.put(m.kind() + " " + m.name(), m);
        }
        assertEquals(3, moves.size(), "one event per moved subscription: " + moves);
        assertEquals(List.of("PSUBSCRIBE alerts.*", "SSUBSCRIBE " + shard, "SUBSCRIBE news"), List.copyOf(byName.keySet()));
        for (PubSubEvents.Resubscribed m : moves) {
            assertEquals(at(victim), m.from(), m.toString());
            assertEquals("node left", m.why(), m.toString());
        }
        assertEquals(at(heir), byName.get("SSUBSCRIBE " + shard).to(), "the shard channel is on the promoted replica");
        assertEquals(at(holders("NUMSUB", "news").getFirst()), byName.get("SUBSCRIBE news").to());
        c.close();
        p.close();
        s.close();
        await(() -> holders("NUMSUB", "news").isEmpty() && holders("SHARDNUMSUB", ch).isEmpty()
                && cluster.nodes().stream().mapToLong(ClusterPubSubTest::patterns).sum() == 0,
                "every unsubscribe to reach the node its name is on");
    }
}
