package io.respin.engine.sentinel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.respin.engine.resp.RawClient;
import io.respin.engine.resp.Reply;
import io.respin.engine.sentinel.SentinelDiscovery.Step;
import io.respin.testkit.RedisSentinel;
import io.respin.testkit.RedisServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The replies and the discovery against real sentinels: 1 primary, 2 replicas, 3 sentinels. */
class SentinelRedisTest {

    private static RedisServer primary;
    private static List<RedisServer> replicas;
    private static RedisSentinel sentinel;

    @BeforeAll
    static void start() {
        primary = RedisServer.builder().start();
        replicas = List.of(RedisServer.replicaOf(primary), RedisServer.replicaOf(primary));
        sentinel = RedisSentinel.builder(primary).replicas(2).sentinels(3).start();
    }

    @AfterAll
    static void stop() {
        sentinel.close();
        replicas.forEach(RedisServer::close);
        primary.close();
    }

    @ParameterizedTest(name = "RESP{0}")
    @ValueSource(ints = {2, 3})
    void theRepliesParseInBothProtocols(int resp) throws IOException {
        try (RawClient s = client(sentinel.sentinels().get(0).port(), resp)) {
            assertEquals(new HostAndPort("127.0.0.1", primary.port()),
                    SentinelReplies.masterAddress(s.call("SENTINEL", "get-master-addr-by-name", sentinel.masterName())));
            assertEquals(null, SentinelReplies.masterAddress(s.call("SENTINEL", "get-master-addr-by-name", "nosuch")));
            List<HostAndPort> others = SentinelReplies.sentinels(s.call("SENTINEL", "sentinels", sentinel.masterName()));
            assertEquals(2, others.size(), others.toString());
            for (HostAndPort o : others) {
                assertTrue(sentinel.sentinels().stream().anyMatch(x -> x.port() == o.port()), o.toString());
            }
            List<SentinelReplies.Replica> reps = SentinelReplies.replicas(s.call("SENTINEL", "replicas",
                    sentinel.masterName()));
            assertEquals(replicas.stream().map(RedisServer::port).sorted().toList(),
                    reps.stream().map(r -> r.address().port()).sorted().toList());
            assertTrue(reps.stream().allMatch(SentinelReplies.Replica::usable), reps.toString());
            Role role = Role.parse(s.call("ROLE"));
            assertEquals(Role.Kind.SENTINEL, role.kind());
            assertEquals(List.of(sentinel.masterName()), role.masterNames());
        }
        try (RawClient p = client(primary.port(), resp); RawClient r = client(replicas.get(0).port(), resp)) {
            Role pr = Role.parse(p.call("ROLE"));
            assertTrue(pr.isPrimary());
            assertEquals(replicas.stream().map(RedisServer::port).sorted().toList(),
                    pr.replicas().stream().map(HostAndPort::port).sorted().toList());
            Role rr = Role.parse(r.call("ROLE"));
            assertEquals(Role.Kind.REPLICA, rr.kind());
            assertEquals(primary.port(), rr.primary().port());
        }
    }

    @Test
    void discoveryFindsThePrimaryWithADeadSentinelFirst() throws IOException {
        List<HostAndPort> seeds = new ArrayList<>();
        seeds.add(new HostAndPort("127.0.0.1", closedPort()));
        sentinel.sentinels().forEach(s -> seeds.add(new HostAndPort("127.0.0.1", s.port())));
        SentinelDiscovery d = new SentinelDiscovery(sentinel.masterName(), seeds);
        Step.Found found = assertInstanceOf(Step.Found.class, drive(d));
        assertEquals(primary.port(), found.primary().port());
        assertEquals(seeds.get(1), d.sentinels().get(0), "the first that answered is now first");
    }

    @Test
    void aWrongMasterNameAndAllSentinelsDownFailClearly() throws IOException {
        List<HostAndPort> seeds = sentinel.sentinels().stream().map(s -> new HostAndPort("127.0.0.1", s.port())).toList();
        Step.Failed wrong = assertInstanceOf(Step.Failed.class, drive(new SentinelDiscovery("nosuch", seeds)));
        assertTrue(wrong.why().contains("no sentinel knows a master named 'nosuch'"), wrong.why());
        List<HostAndPort> dead = List.of(new HostAndPort("127.0.0.1", closedPort()),
                new HostAndPort("127.0.0.1", closedPort()));
        Step.Failed down = assertInstanceOf(Step.Failed.class, drive(new SentinelDiscovery("mymaster", dead)));
        assertTrue(down.why().contains("no sentinel gave a usable primary") && down.why().contains("refused"),
                down.why());
    }

    @Test
    void aSentinelThatNamesAReplicaIsCaughtByTheRoleCheck() throws IOException {
        SentinelDiscovery d = new SentinelDiscovery("mymaster", List.of(new HostAndPort("127.0.0.1", 1)));
        d.start();
        // as a sentinel that has not seen a failover would: it names a node that is a replica now
        d.answered(new HostAndPort("127.0.0.1", 1), new HostAndPort("127.0.0.1", replicas.get(0).port()));
        try (RawClient r = client(replicas.get(0).port(), 3)) {
            assertInstanceOf(Step.Retry.class, d.verified(Role.parse(r.call("ROLE"))));
        }
    }

    /** A tiny transport: one blocking socket per step, as a client's discovery would do with short timeouts. */
    private static Step drive(SentinelDiscovery d) throws IOException {
        Step s = d.start();
        for (int i = 0; i < 100; i++) {
            switch (s) {
                case Step.Ask a -> {
                    Reply r;
                    try (RawClient c = client(a.sentinel().port(), 3)) {
                        r = c.call("SENTINEL", "get-master-addr-by-name", d.masterName());
                    } catch (IOException e) {
                        s = d.noAnswer(a.sentinel(), e.getMessage() == null ? e.toString() : e.getMessage());
                        continue;
                    }
                    s = d.answered(a.sentinel(), SentinelReplies.masterAddress(r));
                }
                case Step.Verify v -> {
                    try (RawClient c = client(v.primary().port(), 3)) {
                        s = d.verified(Role.parse(c.call("ROLE")));
                    }
                }
                case Step.Retry r -> s = d.start();
                case Step.Found f -> {
                    return f;
                }
                case Step.Failed f -> {
                    return f;
                }
            }
        }
        throw new AssertionError("discovery did not end");
    }

    private static RawClient client(int port, int resp) throws IOException {
        RawClient c = new RawClient(port);
        if (resp == 3) {
            c.call("HELLO", "3");
        }
        return c;
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
