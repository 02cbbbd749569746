package io.respin.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.respin.io.loop.OnIoThread;
import io.respin.RedisConnectionException;
import io.respin.RedisException;
import io.respin.RedisTimeoutException;
import io.respin.engine.connection.CommandKind;
import io.respin.engine.resp.Reply;
import io.respin.engine.resp.RespHandler;
import io.respin.engine.resp.RespWriter;
import io.respin.testkit.RedisServer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Blocking commands, transactions and async callbacks each go where they cannot hold up the shared pipeline. */
class RoutingTest {

    static RedisServer server;
    static IoRuntime io;
    static RedisEndpoint redis;

    @BeforeAll
    static void start() {
        server = RedisServer.builder().start();
        io = IoRuntime.start(IoSettings.defaults());
        redis = io.connect(RedisUri.parse(server.uri()), ConnectionOptions.builder().maxDedicatedConnections(2).build());
    }

    @AfterAll
    static void stop() {
        io.close();
        server.close();
    }

    @Test
    void blockingCommandsGetTheirOwnConnectionAndTheSharedOneKeepsFlowing() throws Exception {
        Cmd.Blocking blpop = new Cmd.Blocking("BLPOP", "queue", "5");
        redis.submit(blpop);
        // while BLPOP blocks on the server, the shared connection answers at once
        for (int i = 0; i < 100; i++) {
            assertEquals("PONG", Cmd.str(new Cmd.Generic("PING").run(redis)));
        }
        assertTrue(!blpop.isDone());
        new Cmd.Generic("LPUSH", "queue", "job-1").run(redis);
        blpop.await();
        Reply.Aggregate popped = (Reply.Aggregate) blpop.reply();
        assertEquals("job-1", popped.get(1).asString());
    }

    @Test
    void blockingCommandsBeyondThePoolWaitForAFreeConnection() throws Exception {
        Cmd.Blocking a = new Cmd.Blocking("BLPOP", "pool-a", "5");
        Cmd.Blocking b = new Cmd.Blocking("BLPOP", "pool-b", "5");
        Cmd.Blocking c = new Cmd.Blocking("BLPOP", "pool-c", "5");
        redis.submit(a);
        redis.submit(b);
        redis.submit(c); // the pool has 2: c waits until a or b is done
        assertTrue(OnIoThread.waitsForAPooledLink(io.loop(), c), "c waits at the endpoint, unsent: the pool of 2 is taken");
        awaitClients(3 + 2); // shared + 2 dedicated (+ the admin connection counting itself)
        new Cmd.Generic("RPUSH", "pool-c", "c").run(redis); // c is not on the server yet: the value waits
        new Cmd.Generic("RPUSH", "pool-a", "a").run(redis);
        a.await();
        c.await();
        assertEquals("c", ((Reply.Aggregate) c.reply()).get(1).asString());
        new Cmd.Generic("RPUSH", "pool-b", "b").run(redis);
        b.await();
    }

    private static void awaitClients(int n) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < until) {
            String list = (String) server.command("CLIENT", "LIST");
            if (list.lines().count() >= n - 1) {
                return;
            }
            Thread.sleep(10);
        }
    }

    @Test
    void timedOutBlockingCommandClosesItsConnectionSoNoValueIsLost() throws Exception {
        Cmd.Blocking blpop = new Cmd.Blocking("BLPOP", "lost", "0");
        blpop.timeout(Duration.ofMillis(200));
        redis.submit(blpop);
        assertThrows(RedisTimeoutException.class, blpop::await);
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (((String) server.command("CLIENT", "LIST")).contains("cmd=blpop") && System.nanoTime() < until) {
            Thread.sleep(10); // the server notices the closed socket
        }
        new Cmd.Generic("RPUSH", "lost", "kept").run(redis);
        assertEquals("kept", Cmd.str(new Cmd.Generic("LPOP", "lost").run(redis)),
                "nobody popped the value on the abandoned connection");
    }

    @Test
    void transactionsRunOnADedicatedConnectionAndAreRefusedOnTheSharedOne() {
        assertThrows(IllegalArgumentException.class, () -> redis.submit(new Cmd.Generic("MULTI")));
        for (String[] stateful : new String[][] {{"SELECT", "1"}, {"HELLO", "2"}, {"AUTH", "x"}, {"RESET"}, {"QUIT"},
                {"CLIENT", "REPLY", "OFF"}}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> redis.submit(new Cmd.Generic(stateful)));
            assertTrue(e.getMessage().contains("dedicated()"), e.getMessage());
        }
        try (DedicatedConnection own = redis.dedicated()) {
            run(own, new Cmd.Generic("SELECT", "3"));
            run(own, new Cmd.Generic("SET", "in-db-3", "yes"));
        }
        assertEquals(null, Cmd.str(new Cmd.Generic("GET", "in-db-3").run(redis)), "the shared connection stays on db 0");
        try (DedicatedConnection again = redis.dedicated()) {
            Cmd.Generic get = new Cmd.Generic("GET", "in-db-3");
            run(again, get);
            assertEquals(null, Cmd.str(get.reply()), "a connection that SELECTed was not pooled again");
        }
        try (DedicatedConnection tx = redis.dedicated()) {
            run(tx, new Cmd.Generic("WATCH", "balance"));
            run(tx, new Cmd.Generic("MULTI"));
            Cmd.Generic set = new Cmd.Generic("SET", "balance", "100");
            Cmd.Generic incr = new Cmd.Generic("INCRBY", "balance", "5");
            tx.submit(set);
            tx.submit(incr);
            Cmd.Generic exec = new Cmd.Generic("EXEC");
            tx.submit(exec);
            exec.await();
            set.await();
            incr.await();
        }
        assertEquals("105", server.command("GET", "balance"));
        // a WATCH abort: another client changes the key between WATCH and EXEC
        try (DedicatedConnection tx = redis.dedicated()) {
            run(tx, new Cmd.Generic("WATCH", "balance"));
            server.command("SET", "balance", "0");
            run(tx, new Cmd.Generic("MULTI"));
            Cmd.Generic set = new Cmd.Generic("SET", "balance", "999");
            tx.submit(set);
            Cmd.Generic exec = new Cmd.Generic("EXEC");
            tx.submit(exec);
            exec.await();
            RedisException e = assertThrows(RedisException.class, set::await);
            assertTrue(e.getMessage().contains("WATCH"), e.getMessage());
        }
        assertEquals("0", server.command("GET", "balance"));
    }

    private static void run(DedicatedConnection c, Cmd.Generic cmd) {
        c.submit(cmd);
        cmd.await();
    }

    /** An async PING that records the thread its callback ran on. */
    static final class AsyncPing extends AsyncCommand {
        final CompletableFuture<Thread> ranOn = new CompletableFuture<>();
        final CountDownLatch hold;

        AsyncPing(CountDownLatch hold) {
            this.hold = hold;
        }

        @Override public void encode(RespWriter w) { w.array(1).arg("PING"); }

        @Override public RespHandler replyHandler() { return new RespHandler.Adapter(); }

        @Override public CommandKind kind() { return CommandKind.PLAIN; }

        @Override protected void onCompleted() {
            ranOn.complete(Thread.currentThread());
            ClearErrorsTest.awaitQuietly(hold); // a callback that blocks
        }

        @Override protected void onFailed(RedisException error) { ranOn.completeExceptionally(error); }
    }

    @Test
    void asyncCallbacksRunOffTheIoThreadAndABlockedCallbackDelaysNoCommand() throws Exception {
        CountDownLatch hold = new CountDownLatch(1);
        AsyncPing ping = new AsyncPing(hold);
        redis.submit(ping);
        Thread t = ping.ranOn.get(5, TimeUnit.SECONDS);
        assertNotEquals(io.settings().threadName(), t.getName());
        assertTrue(t.getName().endsWith("-completions"), t.getName());
        // the completion thread is stuck in that callback; sync commands still complete
        for (int i = 0; i < 50; i++) {
            assertEquals("PONG", Cmd.str(new Cmd.Generic("PING").run(redis)));
        }
        hold.countDown();
    }

    @Test
    void closingTheRuntimeFailsWhatIsPendingAndRefusesNewCommands() throws Exception {
        IoRuntime own = IoRuntime.start(IoSettings.builder().threadName("respin-io-closing").build());
        RedisEndpoint e = own.connect(server.uri());
        Cmd.Blocking blpop = new Cmd.Blocking("BLPOP", "never", "0");
        e.submit(blpop);
        Thread.sleep(50);
        own.close();
        RedisConnectionException x = assertThrows(RedisConnectionException.class, blpop::await);
        assertTrue(x.getMessage().contains("closed"), x.getMessage());
        assertInstanceOf(RedisConnectionException.class,
                assertThrows(RedisException.class, () -> e.submit(new Cmd.Generic("PING"))));
        assertTrue(Thread.getAllStackTraces().keySet().stream().noneMatch(th -> th.getName().startsWith("respin-io-closing")),
                "both threads are gone");
    }

    @Test
    void gracefulCloseLetsSubmittedCommandsFinishAndRefusesNewOnes() throws Exception {
        IoRuntime own = IoRuntime.start(IoSettings.builder().threadName("respin-io-draining").build());
        RedisEndpoint e = own.connect(server.uri());
        Cmd.Blocking blpop = new Cmd.Blocking("BLPOP", "drain-me", "0");
        e.submit(blpop);
        Thread pusher = Thread.ofPlatform().start(() -> {
            ClearErrorsTest.sleep(200);
            server.command("RPUSH", "drain-me", "finished");
        });
        own.close(Duration.ofSeconds(10)); // returns once BLPOP got its value
        blpop.await();
        assertEquals("finished", ((Reply.Aggregate) blpop.reply()).get(1).asString());
        assertThrows(RedisConnectionException.class, () -> e.submit(new Cmd.Generic("PING")));
        pusher.join();
    }
}
