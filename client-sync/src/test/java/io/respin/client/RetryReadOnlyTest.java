package io.respin.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.respin.RedisConnectionException;
import io.respin.client.async.RedisAsyncCommands;
import io.respin.engine.command.Commands;
import io.respin.engine.command.ReadOnlyCommands;
import io.respin.testkit.FaultProxy;
import io.respin.testkit.FaultProxy.Direction;
import io.respin.testkit.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue 14, item 9: a read-only command that a connection loss caught on the wire is sent once more after the
 * reconnect; a write never is. The cut is real (a proxy closes the sockets while the server's replies are held), the
 * ledger is the server's own counter, and the resends are counted exactly by the runtime.
 */
class RetryReadOnlyTest {

    private static final int GETS = 200;
    private static final int INCRS = 100;

    @Test
    void readsInFlightSucceedAcrossACutAndTheIncrLedgerShowsNoDuplicate() throws Exception {
        try (RedisServer server = RedisServer.builder().start();
             FaultProxy proxy = FaultProxy.start(server);
             RedisClient client = RedisClient.builder(proxy.uri()).commandTimeout(Duration.ofSeconds(10)).build()) {
            for (int i = 0; i < GETS; i++) {
                server.command("SET", "ro:" + i, "v" + i);
            }
            RedisAsyncCommands<String, String> redis = client.async();
            assertEquals("PONG", redis.ping().get(5, TimeUnit.SECONDS));
            proxy.stall(Direction.TO_CLIENT); // the server runs everything; its replies are held in the proxy
            long before = proxy.bytesReceived(Direction.TO_SERVER);
            List<CompletableFuture<String>> gets = new ArrayList<>();
            List<CompletableFuture<Long>> incrs = new ArrayList<>();
            long bytes = 0;
            for (int i = 0; i < GETS; i++) {
                gets.add(redis.get("ro:" + i).toCompletableFuture());
                bytes += resp("GET", "ro:" + i);
                if (i % 2 == 0) {
                    incrs.add(redis.incr("ro:ledger").toCompletableFuture());
                    bytes += resp("INCR", "ro:ledger");
                }
            }
            assertEquals(INCRS, incrs.size());
            // every command is on the wire and has reached the server before the cut: none is merely unsent
            assertTrue(proxy.awaitBytesReceived(Direction.TO_SERVER, before + bytes, Duration.ofSeconds(5)));
            awaitCalls(server, "incr", INCRS); // every INCR ran before the cut
            awaitCalls(server, "get", GETS);
            proxy.cutAll();
            proxy.reset();
            for (int i = 0; i < GETS; i++) {
                assertEquals("v" + i, gets.get(i).get(10, TimeUnit.SECONDS), "GET ro:" + i + " across the cut");
            }
            for (CompletableFuture<Long> incr : incrs) {
                ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                        () -> incr.get(10, TimeUnit.SECONDS));
                RedisConnectionException c = assertInstanceOf(RedisConnectionException.class, e.getCause());
                assertTrue(c.outcomeUnknown(), "a write caught on the wire may have run: " + c.getMessage());
            }
            assertEquals(GETS, client.endpoint().runtime().resentCommands(), "exactly the GETs went out again");
            assertEquals(2L * GETS, calls(server, "get"), "each GET ran twice: before the cut and after it");
            assertEquals(INCRS, calls(server, "incr"), "each INCR ran once");
            assertEquals(String.valueOf(INCRS), server.command("GET", "ro:ledger"),
                    "each INCR ran exactly once: none was sent again");
        }
    }

    @Test
    void retryReadOnlyOffLetsReadsFailWithAnUnknownOutcome() throws Exception {
        try (RedisServer server = RedisServer.builder().start();
             FaultProxy proxy = FaultProxy.start(server);
             RedisClient client = RedisClient.builder(proxy.uri()).retryReadOnly(false).build()) {
            server.command("SET", "ro:k", "v");
            RedisAsyncCommands<String, String> redis = client.async();
            assertEquals("PONG", redis.ping().get(5, TimeUnit.SECONDS));
            proxy.stall(Direction.TO_CLIENT);
            long before = proxy.bytesReceived(Direction.TO_SERVER);
            CompletableFuture<String> get = redis.get("ro:k").toCompletableFuture();
            assertTrue(proxy.awaitBytesReceived(Direction.TO_SERVER, before + resp("GET", "ro:k"),
                    Duration.ofSeconds(5)));
            proxy.cutAll();
            proxy.reset();
            ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                    () -> get.get(10, TimeUnit.SECONDS));
            assertTrue(assertInstanceOf(RedisConnectionException.class, e.getCause()).outcomeUnknown());
            assertEquals(0, client.endpoint().runtime().resentCommands());
        }
    }

    /**
     * Once: a blocking read (XREAD BLOCK, read-only) caught by a cut is sent again and blocks again on the new
     * connection; a second cut fails it, with an unknown outcome, and it is not sent a third time.
     */
    @Test
    void aReadIsSentAgainOnlyOnce() throws Exception {
        try (RedisServer server = RedisServer.builder().start();
             FaultProxy proxy = FaultProxy.start(server);
             RedisClient client = RedisClient.builder(proxy.uri()).build()) {
            RedisAsyncCommands<String, String> redis = client.async();
            CompletableFuture<?> read = redis.execute("XREAD", "BLOCK", "0", "STREAMS", "ro:s", "$")
                    .toCompletableFuture();
            awaitBlocked(server, 1);
            proxy.cutAll();
            awaitBlocked(server, 0);
            awaitBlocked(server, 1); // sent again on the reconnected connection, and blocking there
            assertEquals(1, client.endpoint().runtime().resentCommands());
            proxy.cutAll();
            ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                    () -> read.get(10, TimeUnit.SECONDS));
            assertTrue(assertInstanceOf(RedisConnectionException.class, e.getCause()).outcomeUnknown());
            Thread.sleep(200);
            assertEquals(0, blocked(server), "not sent a third time");
            assertEquals(1, client.endpoint().runtime().resentCommands(), "one resend, not two");
            assertEquals("PONG", redis.ping().get(5, TimeUnit.SECONDS), "the client recovered");
        }
    }

    private static void awaitBlocked(RedisServer server, long n) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (blocked(server) != n && System.nanoTime() < until) {
            Thread.sleep(5);
        }
        assertEquals(n, blocked(server), "clients blocked on the server");
    }

    private static long blocked(RedisServer server) {
        String info = server.info("clients");
        int at = info.indexOf("blocked_clients:") + "blocked_clients:".length();
        int end = at;
        while (end < info.length() && Character.isDigit(info.charAt(end))) {
            end++;
        }
        return Long.parseLong(info.substring(at, end));
    }

    /** A read whose reply had begun to arrive is not resent: its decoder holds part of a value. */
    @Test
    void aReadWithHalfItsReplyReadIsNotResent() throws Exception {
        try (RedisServer server = RedisServer.builder().start();
             FaultProxy proxy = FaultProxy.start(server);
             RedisClient client = RedisClient.builder(proxy.uri()).build()) {
            server.command("SET", "ro:big", "x".repeat(1 << 20));
            RedisAsyncCommands<String, String> redis = client.async();
            assertEquals("PONG", redis.ping().get(5, TimeUnit.SECONDS));
            proxy.cutAfterBytes(Direction.TO_CLIENT, 100_000); // 100 KB of the 1 MiB value, then EOF
            ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                    () -> redis.get("ro:big").get(10, TimeUnit.SECONDS));
            assertTrue(assertInstanceOf(RedisConnectionException.class, e.getCause()).outcomeUnknown());
            assertEquals(0, client.endpoint().runtime().resentCommands());
            assertEquals(1 << 20, redis.get("ro:big").get(5, TimeUnit.SECONDS).length(), "the client recovered");
        }
    }

    /** Inside MULTI a read is only queued: resending it on a new connection, outside the transaction, would lie. */
    @Test
    void aReadInsideATransactionIsNotResent() throws Exception {
        try (RedisServer server = RedisServer.builder().start();
             FaultProxy proxy = FaultProxy.start(server);
             RedisClient client = RedisClient.builder(proxy.uri()).build()) {
            server.command("SET", "ro:k", "v");
            var tx = client.asyncTransaction();
            assertEquals("PONG", tx.commands().ping().get(5, TimeUnit.SECONDS), "its connection is up");
            proxy.stall(Direction.TO_CLIENT);
            long before = proxy.bytesReceived(Direction.TO_SERVER);
            tx.multi();
            var queued = tx.queue().get("ro:k");
            var exec = tx.exec();
            assertTrue(proxy.awaitBytesReceived(Direction.TO_SERVER, before + resp("MULTI") + resp("GET", "ro:k")
                    + resp("EXEC"), Duration.ofSeconds(5)), "MULTI, the queued GET and EXEC are on the wire");
            awaitCalls(server, "exec", 1);
            assertEquals(1, calls(server, "get"), "the GET ran once, inside the transaction");
            proxy.cutAll();
            proxy.reset();
            ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                    () -> queued.toCompletableFuture().get(10, TimeUnit.SECONDS));
            assertInstanceOf(RedisConnectionException.class, e.getCause());
            org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                    () -> exec.toCompletableFuture().get(10, TimeUnit.SECONDS));
            assertEquals(0, client.endpoint().runtime().resentCommands());
            Thread.sleep(100);
            assertEquals(1, calls(server, "get"), "the queued GET was not sent again outside MULTI");
        }
    }

    /** The marks come from the server's flags, through the catalogue: typed and generic commands alike. */
    @Test
    void theCatalogueMarksReadsByTheServersFlags() {
        Commands<String, String> c = Commands.utf8();
        assertTrue(c.strings().get("k").isReadOnly());
        assertTrue(c.hashes().hgetall("k").isReadOnly());
        assertTrue(c.keys().objectFreq("k").isReadOnly());
        assertTrue(!c.strings().incr("k").isReadOnly());
        assertTrue(!c.strings().set("k", "v").isReadOnly());
        assertTrue(c.server().execute("get", "k").isReadOnly());
        assertTrue(c.server().execute("OBJECT", "encoding", "k").isReadOnly());
        assertTrue(!c.server().execute("OBJECT", "HELP").isReadOnly());
        assertTrue(!c.server().execute("EVAL", "return 1", "0").isReadOnly());
        assertTrue(ReadOnlyCommands.contains("EVAL_RO"));
    }

    /** Waits until the server has run {@code command} exactly {@code n} times (INFO commandstats). */
    static void awaitCalls(RedisServer server, String command, long n) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (calls(server, command) < n && System.nanoTime() < until) {
            Thread.sleep(5);
        }
        assertEquals(n, calls(server, command), command + " calls on the server");
    }

    static long calls(RedisServer server, String command) {
        String stats = server.info("commandstats");
        String prefix = "cmdstat_" + command + ":calls=";
        int at = stats.indexOf(prefix);
        if (at < 0) {
            return 0;
        }
        int from = at + prefix.length();
        int to = stats.indexOf(',', from);
        return Long.parseLong(stats.substring(from, to));
    }

    private static long resp(String... args) {
        long n = ("*" + args.length + "\r\n").length();
        for (String a : args) {
            n += ("$" + a.length() + "\r\n").length() + a.length() + 2;
        }
        return n;
    }
}
