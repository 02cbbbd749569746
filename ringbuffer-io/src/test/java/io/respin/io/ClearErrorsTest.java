package io.respin.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.respin.RedisBackpressureException;
import io.respin.RedisConnectionException;
import io.respin.RedisException;
import io.respin.RedisProtocolException;
import io.respin.engine.resp.RespLimits;
import io.respin.testkit.RedisServer;
import io.respin.testkit.TestCertificates;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** Each way of getting it wrong ends in one clear exception; TLS and Unix sockets work when set up right. */
class ClearErrorsTest {

    @Test
    void fullSubmitQueueFailsFastWithBackpressure() throws Exception {
        try (RedisServer server = RedisServer.builder().start();
             IoRuntime io = IoRuntime.start(IoSettings.builder().maxPendingCommands(8)
                     .backpressure(IoSettings.Backpressure.FAIL_FAST).build());
             RedisEndpoint redis = io.connect(server.uri())) {
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch blocked = new CountDownLatch(1);
            io.control(() -> { // holds the IO thread so the queue fills up
                blocked.countDown();
                awaitQuietly(release);
            });
            blocked.await();
            List<Cmd.Generic> queued = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                Cmd.Generic c = new Cmd.Generic("PING");
                redis.submit(c);
                queued.add(c);
            }
            Cmd.Generic ninth = new Cmd.Generic("PING");
            RedisBackpressureException e = assertThrows(RedisBackpressureException.class, () -> redis.submit(ninth));
            assertTrue(e.getMessage().contains("already holds 8 commands") && e.getMessage().contains("FAIL_FAST")
                    && e.getMessage().contains("maxPendingCommands"), e.getMessage());
            assertTrue(!ninth.isPending(), "a refused command can be submitted again");
            release.countDown();
            for (Cmd.Generic c : queued) {
                c.await();
                assertEquals("PONG", Cmd.str(c.reply()));
            }
            assertEquals("PONG", Cmd.str(ninth.run(redis)));
        }
    }

    @Test
    void fullSubmitQueueWaitsUntilTheDeadlineWhenAskedTo() throws Exception {
        try (RedisServer server = RedisServer.builder().start();
             IoRuntime io = IoRuntime.start(IoSettings.builder().submitQueueCapacity(2)
                     .backpressure(IoSettings.Backpressure.WAIT_UNTIL_DEADLINE).build());
             RedisEndpoint redis = io.connect(server.uri())) {
            CountDownLatch release = new CountDownLatch(1);
            io.control(() -> awaitQuietly(release));
            redis.submit(new Cmd.Generic("PING"));
            redis.submit(new Cmd.Generic("PING"));
            Cmd.Generic third = new Cmd.Generic("PING");
            third.timeout(Duration.ofMillis(100));
            assertThrows(RedisBackpressureException.class, () -> redis.submit(third));
            Cmd.Generic fourth = new Cmd.Generic("PING");
            Thread releaser = Thread.ofPlatform().start(() -> {
                sleep(50);
                release.countDown();
            });
            redis.submit(fourth); // waits for room, then goes through
            fourth.await();
            releaser.join();
        }
    }

    @Test
    void replyAboveTheBulkLimitFailsOnlyItsCommandOnTheSameConnection() {
        try (RedisServer server = RedisServer.builder().start();
             IoRuntime io = IoRuntime.start(IoSettings.defaults());
             RedisEndpoint redis = io.connect(RedisUri.parse(server.uri()),
                     ConnectionOptions.builder().limits(RespLimits.DEFAULT.withMaxBulk(1000)).build())) {
            server.command("SET", "big", "y".repeat(5000));
            Object id = Cmd.str(new Cmd.Generic("CLIENT", "ID").run(redis));
            Cmd.Get get = new Cmd.Get();
            get.key = "big".getBytes();
            redis.submit(get);
            RedisException e = assertThrows(RedisException.class, get::await);
            assertInstanceOf(io.respin.RedisLimitException.class, e, e.toString());
            assertTrue(e.getMessage().contains("1000") && e.getMessage().contains("5000"), e.getMessage());
            assertEquals("PONG", Cmd.str(new Cmd.Generic("PING").run(redis)), "the connection carries on");
            assertEquals(id, Cmd.str(new Cmd.Generic("CLIENT", "ID").run(redis)), "the same connection");
        }
    }

    static io.respin.engine.resp.Reply retryPing(RedisEndpoint redis) {
        for (int i = 0; ; i++) {
            try {
                return new Cmd.Generic("PING").run(redis);
            } catch (RedisConnectionException e) {
                if (i > 500) {
                    throw e;
                }
                sleep(10);
            }
        }
    }

    @Test
    void wrongPasswordIsRefusedAtConnectWithTheServersWords() {
        try (RedisServer server = RedisServer.builder().requirePass("s3cret").start();
             IoRuntime io = IoRuntime.start(IoSettings.defaults())) {
            RedisUri wrong = RedisUri.parse("redis://:nope@127.0.0.1:" + server.port());
            RedisException e = assertThrows(RedisException.class, () -> io.connect(wrong));
            assertTrue(e.getMessage().contains("WRONGPASS") || e.getMessage().contains("invalid"), e.getMessage());
            try (RedisEndpoint ok = io.connect("redis://:s3cret@127.0.0.1:" + server.port())) {
                assertEquals("PONG", Cmd.str(new Cmd.Generic("PING").run(ok)));
            }
        }
    }

    @Test
    void aServerWithoutHelloGetsTheResp2HandshakeWithPasswordAndDatabase() {
        try (RedisServer server = RedisServer.builder().requirePass("old-pw").config("rename-command", "HELLO", "\"\"")
                .start();
             IoRuntime io = IoRuntime.start(IoSettings.defaults());
             RedisEndpoint redis = io.connect("redis://:old-pw@127.0.0.1:" + server.port() + "/4?clientName=legacy")) {
            new Cmd.Generic("SET", "old", "server").run(redis);
            assertEquals("server", Cmd.str(new Cmd.Generic("GET", "old").run(redis)));
            String info = Cmd.str(new Cmd.Generic("CLIENT", "INFO").run(redis));
            assertTrue(info.contains(" db=4 ") && info.contains(" resp=2"), info);
            assertEquals("legacy", Cmd.str(new Cmd.Generic("CLIENT", "GETNAME").run(redis)));
        }
    }

    @Test
    void unknownHostAndRefusedPortAreConnectionErrorsThatSaySo() {
        try (IoRuntime io = IoRuntime.start(IoSettings.defaults())) {
            RedisConnectionException e = assertThrows(RedisConnectionException.class,
                    () -> io.connect("redis://no-such-host.invalid:6390"));
            assertTrue(e.getMessage().contains("unknown host"), e.getMessage());
            int port = RedisServer.freePort();
            RedisConnectionException refused = assertThrows(RedisConnectionException.class,
                    () -> io.connect("redis://127.0.0.1:" + port));
            assertTrue(refused.getMessage().contains("127.0.0.1:" + port), refused.getMessage());
        }
    }

    @Test
    void tlsWithTheServersCaWorksAndWithoutItFailsTheHandshake() {
        try (RedisServer server = RedisServer.builder().tls().start();
             IoRuntime io = IoRuntime.start(IoSettings.defaults())) {
            ConnectionOptions trusted = ConnectionOptions.builder()
                    .trustStore(server.trustStore(), TestCertificates.STORE_PASSWORD.toCharArray()).build();
            try (RedisEndpoint redis = io.connect(RedisUri.parse(server.tlsUri()), trusted)) {
                new Cmd.Generic("SET", "t", "over tls").run(redis);
                assertEquals("over tls", Cmd.str(new Cmd.Generic("GET", "t").run(redis)));
                String big = "z".repeat(200_000); // several TLS records each way
                new Cmd.Generic("SET", "tbig", big).run(redis);
                assertEquals(big, Cmd.str(new Cmd.Generic("GET", "tbig").run(redis)));
                List<Cmd.Generic> pipelined = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    Cmd.Generic get = new Cmd.Generic("GET", "tbig");
                    redis.submit(get); // 20 MB of pipelined replies through TLS records and the read buffer
                    pipelined.add(get);
                    if (pipelined.size() == 50) {
                        for (Cmd.Generic g : pipelined) {
                            g.await();
                            assertEquals(big.length(), g.reply().asString().length());
                        }
                        pipelined.clear();
                    }
                }
            }
            RedisConnectionException e = assertThrows(RedisConnectionException.class,
                    () -> io.connect(RedisUri.parse(server.tlsUri()), ConnectionOptions.defaults()));
            assertTrue(e.getMessage().toLowerCase().contains("certif") || e.getMessage().contains("PKIX"), e.getMessage());
            RedisConnectionException plain = assertThrows(RedisConnectionException.class,
                    () -> io.connect(RedisUri.parse(server.tlsUri()).withTls(false)));
            assertTrue(plain.getMessage().contains(String.valueOf(server.tlsPort())), plain.getMessage());
        }
    }

    @Test
    void tlsWithAClientCertificateFromACustomSslContext() {
        try (RedisServer server = RedisServer.builder().tls(true).start();
             IoRuntime io = IoRuntime.start(IoSettings.defaults());
             RedisEndpoint redis = io.connect(RedisUri.parse(server.tlsUri()),
                     ConnectionOptions.builder().sslContext(server.sslContext()).build())) {
            assertEquals("PONG", Cmd.str(new Cmd.Generic("PING").run(redis)));
        }
    }

    @Test
    void unixDomainSocket() {
        try (RedisServer server = RedisServer.builder().unixSocket().start();
             IoRuntime io = IoRuntime.start(IoSettings.defaults());
             RedisEndpoint redis = io.connect("unix://" + server.unixSocket() + "?db=2")) {
            new Cmd.Generic("SET", "u", "via uds").run(redis);
            assertEquals("via uds", Cmd.str(new Cmd.Generic("GET", "u").run(redis)));
            assertEquals("via uds", server.command("EVAL", "redis.call('SELECT', 2) return redis.call('GET', 'u')", "0"));
        }
    }

    static void awaitQuietly(CountDownLatch l) {
        try {
            l.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
