package io.respin.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.respin.io.IoSettings;
import io.respin.io.RedisUri;
import io.respin.testkit.FaultProxy;
import io.respin.testkit.RecordingLoggerFinder;
import io.respin.testkit.RedisServer;
import io.respin.testkit.TestSecrets;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Issue 20: no password in any log line, exception message or {@code toString()}. The failure scenarios a password
 * takes part in — wrong, missing, rotated on the server, given to a closed port, an unknown host, a TLS port, a
 * malformed URI, a timeout on a stalled connection, an AUTH command refused — each run with the password in the
 * URI or the builder, and every message of every exception (causes and suppressed included), every toString and
 * every log line is searched for it. (Every other test class is searched too, by the testkit's SecretLeakCheck.)
 */
class PasswordNeverShownTest {

    private static final String PASSWORD = "Pw-n0-l3ak-7x";
    private static final String WRONG = "Wr0ng-pw-7x";
    private static final String ROTATED = "R0tated-pw-7x";

    private final List<String> seen = new ArrayList<>();

    @Test
    void noFailureShowsThePassword() throws Exception {
        TestSecrets.register(WRONG);
        TestSecrets.register(ROTATED);
        int from = RecordingLoggerFinder.LINES.size();
        try (RedisServer server = RedisServer.builder().requirePass(PASSWORD).aclUser("alice", PASSWORD, "~* +@all")
                .start();
             FaultProxy proxy = FaultProxy.start(server)) {
            String host = "127.0.0.1:" + server.port();
            fails(() -> RedisClient.create("redis://:" + WRONG + "@" + host));                    // WRONGPASS
            fails(() -> RedisClient.create("redis://alice:" + WRONG + "@" + host));               // ACL user
            fails(() -> RedisClient.builder("redis://" + host).credentials("nobody", PASSWORD).build());
            fails(() -> RedisClient.create("redis://" + host));                                   // NOAUTH
            int closed = closedPort();
            fails(() -> RedisClient.builder("redis://:" + PASSWORD + "@127.0.0.1:" + closed)
                    .connectTimeout(Duration.ofSeconds(2)).build());                                // refused
            fails(() -> RedisClient.create("redis://:" + PASSWORD + "@no-such-host.invalid:6379"));   // DNS
            fails(() -> RedisClient.builder("rediss://:" + PASSWORD + "@" + host)                     // TLS to plain
                    .connectTimeout(Duration.ofSeconds(2)).build());
            fails(() -> RedisUri.parse("redis://:" + PASSWORD + "@" + host + "/not-a-db"));
            fails(() -> RedisUri.parse("redis://:" + PASSWORD + "@127.0.0.1:port"));
            fails(() -> RedisUri.parse("redis://:" + PASSWORD + "@127.0.0.1:6379?timeout=soon"));
            fails(() -> RedisUri.parse("nosuch://:" + PASSWORD + "@127.0.0.1:6379"));
            shows(RedisUri.parse("redis://alice:" + PASSWORD + "@" + host + "/2?timeout=1s"));
            shows(IoSettings.defaults());

            try (RedisClient admin = RedisClient.create("redis://:" + PASSWORD + "@" + host);
                 RedisClient client = RedisClient.builder("redis://:" + PASSWORD + "@127.0.0.1:" + proxy.port())
                         .commandTimeout(Duration.ofMillis(300)).build()) {
                shows(client);
                shows(client.endpoint());
                shows(client.endpoint().uri());
                assertEquals("PONG", client.sync().ping());
                fails(() -> client.sync().execute("AUTH", WRONG));                                   // server error
                fails(() -> client.sync().execute("AUTH", "alice", WRONG));
                proxy.stall(FaultProxy.Direction.TO_CLIENT);
                fails(() -> client.sync().execute("AUTH", PASSWORD));                                // timeout
                proxy.resume();
                proxy.cutAll();                                                                      // lost, reconnect
                awaitPing(client);
                admin.sync().execute("CONFIG", "SET", "requirepass", ROTATED);
                proxy.cutAll();                                                                      // refused reconnect
                for (int i = 0; i < 50; i++) {
                    fails(() -> client.sync().get("k"));
                    Thread.sleep(10);
                }
                admin.sync().execute("CONFIG", "SET", "requirepass", PASSWORD);
            }
        }
        List<String> lines = RecordingLoggerFinder.since(from);
        assertTrue(lines.stream().anyMatch(l -> l.contains("refused the handshake")), "the scenarios ran: " + lines);
        seen.addAll(lines);
        assertTrue(seen.size() > 20, seen.toString());
        for (String s : List.of(PASSWORD, WRONG, ROTATED)) {
            for (String text : seen) {
                assertTrue(!text.contains(s), "a password shows in: " + text.replace(s, "<the password>"));
            }
        }
    }

    /** Runs what must fail and keeps every message of what it threw. */
    private void fails(Supplier<?> action) {
        try {
            Object o = action.get();
            if (o instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // not the point
                }
            }
            seen.add("(no failure)");
        } catch (RuntimeException e) {
            collect(e, new IdentityHashMap<>());
        }
    }

    private void collect(Throwable t, Map<Throwable, Boolean> done) {
        if (t == null || done.put(t, true) != null) {
            return;
        }
        seen.add(t.toString());
        seen.add(String.valueOf(t.getMessage()));
        seen.add(String.valueOf(t.getLocalizedMessage()));
        collect(t.getCause(), done);
        for (Throwable s : t.getSuppressed()) {
            collect(s, done);
        }
    }

    private void shows(Object o) {
        seen.add(o.toString());
    }

    private static void awaitPing(RedisClient client) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            try {
                if ("PONG".equals(client.sync().ping())) {
                    return;
                }
            } catch (RuntimeException stillDown) {
                Thread.sleep(10);
            }
        }
        throw new AssertionError("no reconnect");
    }

    private static int closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
