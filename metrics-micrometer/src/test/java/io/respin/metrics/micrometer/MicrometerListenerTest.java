package io.respin.metrics.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.respin.RedisServerException;
import io.respin.client.RedisClient;
import io.respin.testkit.FaultProxy;
import io.respin.testkit.RedisCluster;
import io.respin.testkit.RedisServer;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The Micrometer adapter against a real server: the meters' names, tags and counts are the commands that ran. */
class MicrometerListenerTest {

    @Test
    void timersAndCountersMatchTheCommandsRunAndACutShowsAsLostAndReconnected() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (RedisServer server = RedisServer.builder().start();
             FaultProxy proxy = FaultProxy.start(server);
             RedisClient client = RedisClient.builder(proxy.uri())
                     .listener(MicrometerListener.builder(registry).build()).build()) {
            String remote = "127.0.0.1:" + proxy.port();
            var redis = client.sync();
            for (int i = 0; i < 5; i++) {
                redis.set("mm:k" + i, "v");
            }
            for (int i = 0; i < 3; i++) {
                redis.get("mm:k" + i);
            }
            assertThrows(RedisServerException.class, () -> redis.incr("mm:k0"));
            // the listener hears of a command just after its caller got the outcome: wait for the last one
            // (the error counter is the last thing it touches for a failed command)
            await(() -> {
                Counter errors = registry.find(MicrometerListener.ERRORS).tag("command", "INCR").counter();
                return errors != null && errors.count() == 1;
            });

            assertEquals(5, timer(registry, "SET", "ok", remote).count());
            assertEquals(3, timer(registry, "GET", "ok", remote).count());
            Timer incr = timer(registry, "INCR", "server_error", remote);
            assertEquals(1, incr.count());
            assertEquals(1.0, registry.get(MicrometerListener.ERRORS).tags("command", "INCR", "outcome", "server_error",
                    "remote", remote).counter().count());
            assertEquals(Set.of("SET|ok", "GET|ok", "INCR|server_error"), commandTags(registry));
            assertEquals(1, registry.find(MicrometerListener.ERRORS).counters().size(), "errors only for INCR");
            ValueAtPercentile[] p = timer(registry, "SET", "ok", remote).takeSnapshot().percentileValues();
            assertEquals(List.of(0.5, 0.95, 0.99), Arrays.stream(p).map(ValueAtPercentile::percentile).toList());
            assertTrue(timer(registry, "SET", "ok", remote).totalTime(TimeUnit.NANOSECONDS) > 0);

            assertEquals(1.0, gauge(registry, MicrometerListener.READY, "remote", remote));
            assertEquals(0.0, gauge(registry, MicrometerListener.PENDING, "runtime", "respin-io"));
            assertEquals(0.0, gauge(registry, MicrometerListener.PENDING_BYTES, "runtime", "respin-io"));

            proxy.cutAll();
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (registry.find(MicrometerListener.RECONNECTS).counter() == null && System.nanoTime() < until) {
                Thread.sleep(5);
            }
            assertEquals(1.0, counter(registry, MicrometerListener.LOST, "connection", "shared", "remote", remote));
            assertEquals(1.0, counter(registry, MicrometerListener.RECONNECTS, "connection", "shared", "remote", remote));
            assertEquals(1.0, gauge(registry, MicrometerListener.READY, "remote", remote));
            redis.ping();
            await(() -> {
                Timer ping = registry.find(MicrometerListener.COMMAND).tag("command", "PING").timer();
                return ping != null && ping.count() == 1;
            });
            assertEquals(1, timer(registry, "PING", "ok", remote).count());
            client.endpoint().close(); // what client.close() does first (the try closes the rest)
            assertNull(registry.find(MicrometerListener.READY).tag("remote", remote).gauge(),
                    "the last endpoint to the remote closed: its gauge is gone");
        }
    }

    @Test
    void requestAndReplySizesAreTheBytesOnTheWire() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        String value = "v".repeat(1000);
        try (RedisServer server = RedisServer.builder().start();
             RedisClient client = RedisClient.builder(server.uri())
                     .listener(MicrometerListener.builder(registry).build()).build()) {
            String remote = "127.0.0.1:" + server.port();
            client.sync().set("mm:big", value);
            client.sync().get("mm:big");
            await(() -> registry.find(MicrometerListener.REPLY_SIZE).tag("command", "GET").summary() != null);
            // RESP is deterministic: *3 $3 SET $6 mm:big $1000 <value>, and $1000 <value> back
            long setOut = "*3\r\n$3\r\nSET\r\n$6\r\nmm:big\r\n$1000\r\n".length() + 1000 + 2;
            long getIn = "$1000\r\n".length() + 1000 + 2;
            DistributionSummary out = summary(registry, MicrometerListener.REQUEST_SIZE, "SET", remote);
            assertEquals(1, out.count());
            assertEquals(setOut, out.totalAmount());
            assertEquals("bytes", out.getId().getBaseUnit());
            assertEquals(5, summary(registry, MicrometerListener.REPLY_SIZE, "SET", remote).totalAmount(), "+OK");
            assertEquals("*2\r\n$3\r\nGET\r\n$6\r\nmm:big\r\n".length(),
                    summary(registry, MicrometerListener.REQUEST_SIZE, "GET", remote).totalAmount());
            DistributionSummary in = summary(registry, MicrometerListener.REPLY_SIZE, "GET", remote);
            assertEquals(1, in.count());
            assertEquals(getIn, in.totalAmount());
        }
    }

    @Test
    void aHundredClientsOpenedAndClosedLeaveNoGaugeAndNoEntryBehind() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        MicrometerListener listener = MicrometerListener.builder(registry).build();
        try (RedisServer server = RedisServer.builder().start()) {
            int afterFirst = -1;
            for (int i = 0; i < 100; i++) {
                try (RedisClient client = RedisClient.builder(server.uri()).listener(listener).build()) {
                    client.sync().set("mm:churn", "v" + i);
                    client.sync().get("mm:churn");
                    assertEquals(1.0, gauge(registry, MicrometerListener.READY, "remote", "127.0.0.1:" + server.port()));
                    assertEquals(3, listener.entries(), "this client's endpoint, its remote, its runtime");
                }
                assertEquals(0, listener.entries(), "nothing kept for closed clients (client " + i + ")");
                assertEquals(List.of(), gauges(registry), "no gauge of a closed client (client " + i + ")");
                if (i == 0) {
                    afterFirst = registry.getMeters().size();
                }
                assertEquals(afterFirst, registry.getMeters().size(), "meters after client " + i);
            }
        }
    }

    @Test
    void clusterRedirectsAreCountedByKindAndNode() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (RedisCluster cluster = RedisCluster.builder().primaries(3).start();
             RedisClient client = RedisClient.builder("redis-cluster://" + String.join(",", cluster.seeds()))
                     .listener(MicrometerListener.builder(registry).build()).build()) {
            String key = "{mm}:k";
            int slot = cluster.slot(key);
            client.sync().set(key, "v");
            RedisServer before = cluster.primaryForSlot(slot);
            cluster.moveSlot(slot, () -> { });     // the client's map is stale now
            for (int i = 0; i < 3; i++) {
                assertEquals("v", client.sync().get(key)); // one MOVED, then the map knows
            }
            Counter moved = registry.get(MicrometerListener.REDIRECTS)
                    .tags("redirect", "moved", "remote", before.host() + ":" + before.port()).counter();
            assertEquals(1.0, moved.count());
            assertEquals(1, registry.find(MicrometerListener.REDIRECTS).counters().size(), "no ASK, no other node");
        }
    }

    private static DistributionSummary summary(SimpleMeterRegistry r, String name, String command, String remote) {
        return r.get(name).tags("command", command, "remote", remote).summary();
    }

    /** The listener's own gauges in the registry (not the timers' percentile gauges), as name{tags}. */
    private static List<String> gauges(SimpleMeterRegistry r) {
        Set<String> own = Set.of(MicrometerListener.READY, MicrometerListener.PENDING, MicrometerListener.PENDING_BYTES);
        return r.getMeters().stream().filter(m -> own.contains(m.getId().getName()))
                .map(m -> m.getId().toString()).toList();
    }

    private static void await(java.util.function.BooleanSupplier done) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!done.getAsBoolean() && System.nanoTime() < until) {
            Thread.sleep(1);
        }
    }

    private static Timer timer(SimpleMeterRegistry r, String command, String outcome, String remote) {
        return r.get(MicrometerListener.COMMAND).tags("command", command, "outcome", outcome, "remote", remote).timer();
    }

    private static double counter(SimpleMeterRegistry r, String name, String... tags) {
        Counter c = r.get(name).tags(tags).counter();
        return c.count();
    }

    private static double gauge(SimpleMeterRegistry r, String name, String... tags) {
        return r.get(name).tags(tags).gauge().value();
    }

    /** "command|outcome" of every command timer. */
    private static Set<String> commandTags(SimpleMeterRegistry r) {
        Set<String> s = new TreeSet<>();
        for (Meter m : r.find(MicrometerListener.COMMAND).meters()) {
            s.add(m.getId().getTag("command") + "|" + m.getId().getTag("outcome"));
        }
        return s;
    }
}
