package io.respin.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.respin.testkit.FaultProxy.Direction;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The Java blocks of docs/testkit.md, run (client-sync's DocSnippetsTest keeps the doc's copies equal). */
class TestkitDocTest {

    @Test
    void aServerWithEveryOption() {
        String log;
        // snippet: testkit-server
        try (RedisServer server = RedisServer.builder()
                .unixSocket()                              // + server.unixSocket(): Path of the socket (perm 0700; unixSocketPerm(0770))
                .requirePass("s3cret")                     // password of the default user
                .aclUser("alice", "pw", "~* +@all")        // ACL users via --user directives
                .tls()                                     // + a TLS port; tls(true) = tls-auth-clients yes
                .enableDebugCommand()                      // DEBUG SLEEP, DEBUG SEGFAULT ...
                .config("maxmemory", "64mb")               // any raw directive, applied last
                .start()) {                                // returns once the server answers
            server.port(); server.host(); server.uri();    // plain TCP on 127.0.0.1 (always open), redis://127.0.0.1:port
            server.tlsPort(); server.tlsUri();             // rediss://127.0.0.1:tlsPort
            server.sslContext();                           // trusts the generated CA, presents a client cert if asked
            server.caCertificate(); server.trustStore();   // PEM CA; PKCS12 trust store, password "respin"
            server.command("SET", "k", "v");               // admin channel (authenticates itself): String/Long/List/null
            server.info("replication"); server.flushAll();
            server.kill();                                 // SIGKILL: for crash tests
            server.restart();                              // same port, same socket path, same options (data is gone)
            server.log();                                  // everything it logged, also after close()
            // end snippet
            assertEquals("OK", server.command("SET", "k", "v"), "the server answers again after the restart");
            assertTrue(server.tlsUri().startsWith("rediss://127.0.0.1:"), server.tlsUri());
            log = server.log();
            // snippet: testkit-server
        }
        // end snippet
        assertTrue(!log.isEmpty());
    }

    @Test
    void aClusterAndASentinel() {
        // snippet: testkit-cluster
        try (RedisCluster cluster = RedisCluster.builder().primaries(3).replicasPerPrimary(1).start()) {
            cluster.seeds();                           // ["127.0.0.1:p1", ...] for a cluster client
            cluster.primaryForKey("user:42");          // the RedisServer that owns the key's slot (CLUSTER SLOTS)
            cluster.slot("user:42"); cluster.primaries(); cluster.nodes(); cluster.awaitOk();
        }
        // end snippet

        int promoted;
        // snippet: testkit-sentinel
        try (RedisServer primary = RedisServer.builder().start();
             RedisServer replica = RedisServer.replicaOf(primary);
             RedisSentinel sentinel = RedisSentinel.builder(primary).sentinels(1).replicas(1)
                     .downAfter(Duration.ofMillis(500)).start()) {
            sentinel.seeds(); sentinel.masterName();   // "respin"
            primary.kill();
            sentinel.awaitPrimary(replica.port());     // failover done
            // end snippet
            assertEquals("respin", sentinel.masterName());
            promoted = sentinel.primaryPort();
            assertEquals(replica.port(), promoted);
            // snippet: testkit-sentinel
        }
        // end snippet
    }

    @Test
    void everyFaultOfTheProxy() {
        Direction d = Direction.TO_CLIENT;
        Duration timeout = Duration.ofSeconds(5);
        try (RedisServer server = RedisServer.builder().start()) {
            // snippet: testkit-faultproxy
            try (FaultProxy proxy = FaultProxy.start(server)) {            // or FaultProxy.start(host, port)
                proxy.cutAll();                                             // close every connection now (new ones still accepted)
                proxy.resetAll();                                           // the same with RST: the client sees "Connection reset"
                proxy.stall(Direction.TO_CLIENT);                           // replies stop, sockets stay open; resume() / resume(d)
                proxy.delay(Direction.TO_CLIENT, Duration.ofMillis(200));   // every byte held >= 200 ms; delay(d) both ways
                proxy.cutAfterBytes(Direction.TO_CLIENT, 3);                // forward 3 more bytes, then close: half a reply
                proxy.refuseNew(true);                                      // stop listening: new connects get ECONNREFUSED
                proxy.reset();                                              // clear every fault
                proxy.bytesReceived(d); proxy.bytesForwarded(d);            // counters; awaitBytesReceived(d, n, timeout) ...
                proxy.openConnections(); proxy.awaitOpenConnections(0, timeout);
                // end snippet
                assertEquals(0, proxy.openConnections());
                // snippet: testkit-faultproxy
            }
            // end snippet
        }
    }
}
