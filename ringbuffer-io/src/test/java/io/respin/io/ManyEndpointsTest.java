package io.respin.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.respin.RedisException;
import io.respin.engine.command.Command;
import io.respin.engine.command.Commands;
import io.respin.engine.connection.CommandKind;
import io.respin.engine.resp.RespHandler;
import io.respin.engine.resp.RespWriter;
import io.respin.testkit.RedisServer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One runtime, several endpoints (what a cluster client has: one per node), thousands of async commands outstanding
 * from one thread, their callbacks all through the completion thread: every command ends, exactly once, and the
 * server ran each exactly once.
 */
class ManyEndpointsTest {
    static RedisServer a;
    static RedisServer b;
    static RedisServer c;

    @BeforeAll
    static void start() {
        a = RedisServer.builder().start();
        b = RedisServer.builder().start();
        c = RedisServer.builder().start();
    }

    @AfterAll
    static void stop() {
        a.close();
        b.close();
        c.close();
    }

    /** An async command around an engine command, as a cluster call is: callbacks on the completion thread. */
    static final class Call<T> extends AsyncCommand {
        final Command<T> command;
        final CompletableFuture<T> future = new CompletableFuture<>();
        int ends;

        Call(Command<T> command) {
            this.command = command;
        }

        @Override protected void onCompleted() {
            ends++;
            future.complete(command.result());
        }

        @Override protected void onFailed(RedisException error) {
            ends++;
            future.completeExceptionally(error);
        }

        @Override public void encode(RespWriter w) { command.encode(w); }
        @Override public RespHandler replyHandler() { return command.replyHandler(); }
        @Override public CommandKind kind() { return command.kind(); }
        @Override public int channelCount() { return command.channelCount(); }
        @Override public String name() { return command.name(); }
        @Override public boolean blocking() { return command.isBlocking(); }
        @Override public long blockNanos() { return command.blockNanos(); }
        @Override public boolean idempotent() { return command.isReadOnly(); }
        @Override public long weight() { return command.weight(); }
    }

    @Test
    void thousandsOfCommandsOverThreeEndpointsFromOneThreadAllEndOnce() throws Exception {
        Commands<String, String> commands = Commands.utf8();
        try (IoRuntime io = IoRuntime.start(IoSettings.defaults())) {
            RedisServer[] servers = {a, b, c};
            RedisEndpoint[] endpoints = {io.connect(a.uri()), io.connect(b.uri()), io.connect(c.uri())};
            for (int round = 0; round < 5; round++) {
                int n = 5_000;
                List<Call<Long>> calls = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    Call<Long> call = new Call<>(commands.strings().incr("k:" + (i % 100)));
                    calls.add(call);
                    call.timeout(java.time.Duration.ofSeconds(20));
                    endpoints[i % 3].submit(call);
                }
                try {
                    CompletableFuture.allOf(calls.stream().map(x -> x.future).toArray(CompletableFuture[]::new))
                            .get(30, TimeUnit.SECONDS);
                } catch (TimeoutException e) {
                    long done = calls.stream().filter(x -> x.future.isDone()).count();
                    StringBuilder st = new StringBuilder();
                    for (RedisEndpoint ep : endpoints) {
                        st.append('\n').append(ep.status());
                    }
                    fail("round " + round + ": " + done + " of " + n + " commands ended within 30 s" + st);
                }
                for (Call<Long> call : calls) {
                    assertEquals(1, call.ends, "each command ends exactly once");
                }
            }
            long ran = 0;
            for (RedisServer s : servers) {
                for (int i = 0; i < 100; i++) {
                    Object v = s.command("GET", "k:" + i);
                    ran += v == null ? 0 : Long.parseLong(v.toString());
                }
            }
            assertEquals(5 * 5_000, ran, "the servers ran each INCR once");
            for (RedisEndpoint ep : endpoints) {
                ep.close();
            }
        }
    }
}
