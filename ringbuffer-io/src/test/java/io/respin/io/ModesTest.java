package io.respin.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.respin.RedisConnectionException;
import io.respin.RedisException;
import io.respin.engine.connection.CommandKind;
import io.respin.engine.resp.Reply;
import io.respin.engine.resp.RespHandler;
import io.respin.engine.resp.RespWriter;
import io.respin.testkit.FaultProxy;
import io.respin.testkit.RedisServer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** RESP2 and RESP3 endpoints, pub/sub, MONITOR, completion executors and the connect timeout. */
class ModesTest {

    @Test
    void pubSubWorksOnResp2AndResp3WhileTheSharedConnectionServesCommands() throws Exception {
        try (RedisServer server = RedisServer.builder().start();
             IoRuntime io = IoRuntime.start(IoSettings.defaults())) {
            for (int protocol : new int[] {2, 3}) {
                LinkedBlockingQueue<String> got = new LinkedBlockingQueue<>();
                ConnectionOptions opts = ConnectionOptions.builder().pushListener(push -> {
                    Reply.Aggregate a = (Reply.Aggregate) push;
                    got.add(a.get(0).asString() + ":" + a.get(a.size() - 1).asString());
                }).build();
                try (RedisEndpoint redis = io.connect(RedisUri.parse(server.uri()).withProtocol(protocol), opts)) {
                    new Cmd.Generic("SUBSCRIBE", "ch1", "ch2").run(redis);
                    new Cmd.Generic("PSUBSCRIBE", "p.*").run(redis);
                    // ordinary commands still go on the shared connection (RESP2 would refuse them when subscribed)
                    assertEquals("PONG", Cmd.str(new Cmd.Generic("PING").run(redis)));
                    assertEquals("1", Cmd.str(new Cmd.Generic("PUBLISH", "ch2", "hello").run(redis)));
                    new Cmd.Generic("PUBLISH", "p.x", "world").run(redis);
                    assertEquals("message:hello", got.poll(5, TimeUnit.SECONDS), "RESP" + protocol);
                    assertEquals("pmessage:world", got.poll(5, TimeUnit.SECONDS), "RESP" + protocol);
                    new Cmd.Generic("UNSUBSCRIBE", "ch2").run(redis);
                    assertEquals("0", Cmd.str(new Cmd.Generic("PUBLISH", "ch2", "nobody").run(redis)));
                }
            }
        }
    }

    @Test
    void monitorLinesReachThePushListener() throws Exception {
        LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
        PushListener l = new PushListener() {
            @Override public void onPush(Reply push) {
            }

            @Override public void onMonitor(String line) {
                lines.add(line);
            }
        };
        try (RedisServer server = RedisServer.builder().start();
             IoRuntime io = IoRuntime.start(IoSettings.defaults());
             RedisEndpoint redis = io.connect(RedisUri.parse(server.uri()), ConnectionOptions.builder().pushListener(l).build())) {
            new Cmd.Generic("MONITOR").run(redis);
            new Cmd.Generic("SET", "watched", "42").run(redis);
            String line;
            do {
                line = lines.poll(5, TimeUnit.SECONDS);
            } while (line != null && !line.contains("\"SET\""));
            assertTrue(line != null && line.contains("\"watched\""), String.valueOf(line));
        }
    }

    /** An async PING that completes a future with the callback's thread. */
    static final class AsyncPing extends AsyncCommand {
        final CompletableFuture<Thread> ranOn = new CompletableFuture<>();

        @Override public void encode(RespWriter w) { w.array(1).arg("PING"); }

        @Override public RespHandler replyHandler() { return new RespHandler.Adapter(); }

        @Override public CommandKind kind() { return CommandKind.PLAIN; }

        @Override protected void onCompleted() { ranOn.complete(Thread.currentThread()); }

        @Override protected void onFailed(RedisException error) { ranOn.completeExceptionally(error); }
    }

    @Test
    void completionExecutorRunsCallbacks() throws Exception {
        try (var executor = Executors.newVirtualThreadPerTaskExecutor();
             RedisServer server = RedisServer.builder().start();
             IoRuntime io = IoRuntime.start(IoSettings.builder().completionExecutor(executor).build());
             RedisEndpoint redis = io.connect(server.uri())) {
            AsyncPing ping = new AsyncPing();
            redis.submit(ping);
            assertTrue(ping.ranOn.get(5, TimeUnit.SECONDS).isVirtual(), "ran on the executor's virtual thread");
        }
    }

    @Test
    void aServerThatAcceptsButNeverAnswersFailsConnectAfterTheConnectTimeout() {
        try (RedisServer server = RedisServer.builder().start();
             FaultProxy proxy = FaultProxy.start(server);
             IoRuntime io = IoRuntime.start(IoSettings.builder().connectTimeout(Duration.ofMillis(300)).build())) {
            proxy.stall(FaultProxy.Direction.TO_CLIENT);
            RedisConnectionException e = assertThrows(RedisConnectionException.class, () -> io.connect(proxy.uri()));
            assertTrue(e.getMessage().contains("connect timeout of 300 ms"), e.getMessage());
        }
    }

    @Test
    void virtualThreadsShareOneConnection() throws Exception {
        try (RedisServer server = RedisServer.builder().start();
             IoRuntime io = IoRuntime.start(IoSettings.defaults());
             RedisEndpoint redis = io.connect(server.uri());
             var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            var results = new java.util.ArrayList<java.util.concurrent.Future<Long>>();
            for (int i = 0; i < 2_000; i++) {
                results.add(threads.submit(() -> {
                    Cmd.Incr incr = new Cmd.Incr("vt");
                    redis.submit(incr);
                    incr.await();
                    return incr.value;
                }));
            }
            java.util.Set<Long> seen = new java.util.HashSet<>();
            for (var f : results) {
                seen.add(f.get());
            }
            assertEquals(2_000, seen.size(), "each INCR got its own, distinct reply");
            assertEquals("2000", server.command("GET", "vt"));
        }
    }

    @Test
    void clientTrackingInvalidationsReachThePushListener() throws Exception {
        LinkedBlockingQueue<Reply> pushes = new LinkedBlockingQueue<>();
        try (RedisServer server = RedisServer.builder().start();
             IoRuntime io = IoRuntime.start(IoSettings.defaults());
             RedisEndpoint redis = io.connect(RedisUri.parse(server.uri()),
                     ConnectionOptions.builder().tracking().pushListener(pushes::add).build())) {
            new Cmd.Generic("GET", "cached").run(redis); // the server now tracks this key for us
            server.command("SET", "cached", "changed");
            Reply.Aggregate push = (Reply.Aggregate) pushes.poll(5, TimeUnit.SECONDS);
            assertEquals("invalidate", push.get(0).asString());
            assertTrue(push.get(1).toString().contains("cached"), push.toString());
        }
    }

    @Test
    void largeCommandsGrowTheBufferAndOnesOverItsMaximumAreStreamedThroughIt() {
        try (RedisServer server = RedisServer.builder().start();
             IoRuntime io = IoRuntime.start(IoSettings.builder().writeBuffer(4096, 8 << 20).build());
             RedisEndpoint redis = io.connect(server.uri())) {
            Cmd.Set set = new Cmd.Set();
            set.key = "large".getBytes();
            set.value = new byte[5 << 20];
            java.util.Arrays.fill(set.value, (byte) 'L');
            redis.submit(set);
            set.await();
            assertTrue(set.ok);
            assertEquals(5 << 20, Cmd.str(new Cmd.Generic("GET", "large").run(redis)).length());
            set.value = new byte[9 << 20]; // over the 8 MiB maximum: written in parts through the buffer
            java.util.Arrays.fill(set.value, (byte) 'M');
            redis.submit(set);
            set.await();
            assertTrue(set.ok);
            String v = Cmd.str(new Cmd.Generic("GET", "large").run(redis));
            assertEquals(9 << 20, v.length());
            assertTrue(v.chars().allMatch(ch -> ch == 'M'));
            assertEquals("PONG", Cmd.str(new Cmd.Generic("PING").run(redis)));
        }
    }

    @Test
    void aBurstOfLargePipelinedCommandsSurvivesPartialWritesAndBufferGrowth() {
        try (RedisServer server = RedisServer.builder().start();
             IoRuntime io = IoRuntime.start(IoSettings.builder().writeBuffer(4096, 64 << 20).build());
             RedisEndpoint redis = io.connect(server.uri())) {
            java.util.List<Cmd.Set> burst = new java.util.ArrayList<>();
            for (int i = 0; i < 400; i++) {
                Cmd.Set set = new Cmd.Set();
                set.key = ("burst:" + i).getBytes();
                set.value = new byte[20_000 + i];
                java.util.Arrays.fill(set.value, (byte) ('a' + i % 26));
                redis.submit(set); // 8 MB queued at once: the socket takes it in parts while the buffer grows
                burst.add(set);
            }
            for (Cmd.Set set : burst) {
                set.await();
                assertTrue(set.ok);
            }
            for (int i = 0; i < 400; i += 37) {
                String v = Cmd.str(new Cmd.Generic("GET", "burst:" + i).run(redis));
                assertEquals(20_000 + i, v.length());
                assertEquals('a' + i % 26, v.charAt(v.length() - 1));
            }
        }
    }
}
