package io.respin.client.async.sentinel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.respin.RedisConnectionException;
import io.respin.client.async.RedisClient;
import io.respin.testkit.RedisSentinel;
import io.respin.testkit.RedisServer;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code rediss-sentinel://}: sentinels on TLS ports naming data nodes by their TLS ports (the test kit's
 * {@code RedisSentinel.builder(..).tls()}, nodes replicating over TLS). Discovery, the {@code +switch-master}
 * subscription and a {@code SENTINEL FAILOVER} all over TLS; and what a client is told when its scheme does not
 * match the sentinels' ports.
 */
class SentinelTlsTest {

    RedisServer primary;
    List<RedisServer> replicas;
    RedisSentinel sentinels;

    @BeforeEach
    void start() {
        primary = RedisServer.builder().tlsReplication().start();
        replicas = List.of(RedisServer.builder().tlsReplication().replicaOf(primary).start(),
                RedisServer.builder().tlsReplication().replicaOf(primary).start());
        sentinels = RedisSentinel.builder(primary).tls().replicas(2).sentinels(3).start();
    }

    @AfterEach
    void stop() {
        sentinels.close();
        replicas.forEach(RedisServer::close);
        primary.close();
    }

    @Test
    void discoveryAndAFailoverOverTls() throws Exception {
        String uri = "rediss-sentinel://" + String.join(",", sentinels.tlsSeeds()) + "/" + sentinels.masterName();
        try (RedisClient client = RedisClient.builder(uri).tls(primary.sslContext()).clientName("tls-follower")
                .build()) {
            assertEquals("OK", client.async().set("tls:k", "v1").join());
            assertEquals("v1", primary.command("GET", "tls:k"));
            assertEquals(primary.tlsPort(), client.endpoint().uri().port(), "on the primary's TLS port");
            assertTrue(client.endpoint().uri().tls());
            assertTrue(clientLocalPorts(primary, "tls-follower").stream().allMatch(p -> p == primary.tlsPort()),
                    "every connection on the TLS port: " + clientLocalPorts(primary, "tls-follower"));
            awaitSubscriberOnATlsPort();

            sentinels.sentinels().get(0).command("SENTINEL", "FAILOVER", sentinels.masterName());
            int written = 0;
            for (int i = 0; client.endpoint().uri().port() == primary.tlsPort() || written == 0; i++) {
                assertTrue(i < 3000, "the client did not follow the failover within 30 s");
                try {
                    client.async().set("tls:after", "v2").join();
                    written++;
                } catch (CompletionException e) { // READONLY, or the old primary's connection dropped on the move
                    assertTrue(e.getCause() instanceof io.respin.RedisException, String.valueOf(e.getCause()));
                }
                Thread.sleep(10);
            }
            int now = client.endpoint().uri().port();
            RedisServer promoted = replicas.stream().filter(r -> r.tlsPort() == now).findFirst()
                    .orElseThrow(() -> new AssertionError("the client is on " + now + ", no replica's TLS port"));
            assertEquals("OK", client.async().set("tls:after", "v3").join());
            assertEquals("v3", promoted.command("GET", "tls:after"), "the write is on the promoted replica");
            assertTrue(promoted.command("ROLE") instanceof List<?> r && "master".equals(r.get(0)));
            SentinelSignalsTest.awaitNoClientNamed(primary, "tls-follower");
        }
    }

    @Test
    void aPlainClientOnTlsSentinelsIsToldToUseRedissSentinel() {
        String uri = "redis-sentinel://" + String.join(",", sentinels.tlsSeeds()) + "/" + sentinels.masterName();
        RedisConnectionException e = assertThrows(RedisConnectionException.class, () -> RedisClient.create(uri));
        assertTrue(e.getMessage().contains("a TLS port? redis-sentinel:// talks plain TCP; use rediss-sentinel://"),
                e.getMessage());
    }

    @Test
    void aTlsClientOnPlainSentinelsIsToldToUseRedisSentinel() {
        String uri = "rediss-sentinel://" + String.join(",", sentinels.seeds()) + "/" + sentinels.masterName();
        RedisConnectionException e = assertThrows(RedisConnectionException.class,
                () -> RedisClient.builder(uri).tls(primary.sslContext()).build());
        assertTrue(e.getMessage().contains("the TLS handshake failed: a plain port? rediss-sentinel:// talks TLS, use "
                + "redis-sentinel://"), e.getMessage());
    }

    /** The follower's SUBSCRIBE to the sentinel events is on one sentinel's TLS port. */
    private void awaitSubscriberOnATlsPort() throws InterruptedException {
        for (int i = 0; i < 500; i++) {
            for (RedisServer s : sentinels.sentinels()) {
                for (String line : ((String) s.command("CLIENT", "LIST")).split("\n")) {
                    if (line.contains(" sub=7 ") && line.contains("laddr=127.0.0.1:" + s.tlsPort() + " ")) {
                        return;
                    }
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no sentinel has the client's subscription on its TLS port");
    }

    /** The local port (laddr) of each connection named {@code name} on {@code s}. */
    static List<Integer> clientLocalPorts(RedisServer s, String name) {
        return Arrays.stream(((String) s.command("CLIENT", "LIST")).split("\n"))
                .filter(l -> l.contains(" name=" + name + " "))
                .map(l -> l.replaceAll(".* laddr=[^ ]*:(\\d+) .*", "$1").trim())
                .map(Integer::parseInt).toList();
    }
}
