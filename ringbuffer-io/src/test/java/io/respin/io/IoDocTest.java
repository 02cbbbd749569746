package io.respin.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.respin.RedisException;
import io.respin.engine.connection.CommandKind;
import io.respin.engine.resp.RespHandler;
import io.respin.engine.resp.RespType;
import io.respin.engine.resp.RespWriter;
import io.respin.testkit.RedisServer;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The Java blocks of docs/io.md, run against a real server (client-sync's DocSnippetsTest keeps them equal). */
class IoDocTest {

    /** The doc's "your IoCommand subclass": GET, its value decoded as UTF-8 (null for a missing key). */
    static final class Get extends SyncCommand {
        final String key;
        String value;
        private final RespHandler handler = new RespHandler.Adapter() {
            @Override public void onString(RespType type, MemorySegment data, long offset, long length) {
                value = new String(data.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
            }
        };
        Get(String key) { this.key = key; }
        @Override public void encode(RespWriter w) { w.array(2).arg("GET").arg(key); }
        @Override public RespHandler replyHandler() { return handler; }
        @Override public CommandKind kind() { return CommandKind.PLAIN; }
        @Override public String name() { return "GET"; }
    }

    // snippet: io-sync-command
    final class Incr extends SyncCommand {
        final byte[] key; long value;
        private final RespHandler handler = new RespHandler.Adapter() {
            @Override public void onInteger(long v) { value = v; }
        };
        Incr(byte[] key) { this.key = key; }
        @Override public void encode(RespWriter w) { w.array(2).arg("INCR").arg(key); }
        @Override public RespHandler replyHandler() { return handler; }
        @Override public CommandKind kind() { return CommandKind.PLAIN; }
        @Override public String name() { return "INCR"; }
    }
    // end snippet

    // snippet: io-async-command
    final class AsyncIncr extends AsyncCommand {
        final CompletableFuture<Long> future = new CompletableFuture<>();
        final byte[] key; long value;
        private final RespHandler handler = new RespHandler.Adapter() {
            @Override public void onInteger(long v) { value = v; }
        };
        AsyncIncr(byte[] key) { this.key = key; }
        @Override public void encode(RespWriter w) { w.array(2).arg("INCR").arg(key); }
        @Override public RespHandler replyHandler() { return handler; }
        @Override public CommandKind kind() { return CommandKind.PLAIN; }
        @Override protected void onCompleted() { future.complete(value); }
        @Override protected void onFailed(RedisException e) { future.completeExceptionally(e); }
    }
    // end snippet

    @Test
    void usingItAndWritingCommands() throws Exception {
        try (RedisServer server = RedisServer.builder().start()) {
            server.command("SET", "greeting", "hello");
            String uri = server.uri();
            Get seen;
            // snippet: io-using-it
            try (IoRuntime io = IoRuntime.start(IoSettings.defaults());
                 RedisEndpoint redis = io.connect(uri)) {          // e.g. "redis://localhost:6379"
                Get get = new Get("greeting");   // your IoCommand subclass, e.g. extends SyncCommand
                redis.submit(get);
                get.await();                     // returns, or throws the RedisException the command failed with
                // end snippet
                seen = get;
                byte[] key = "hits".getBytes(StandardCharsets.US_ASCII);
                Incr incr = new Incr(key);
                redis.submit(incr);
                incr.await();
                assertEquals(1, incr.value);
                AsyncIncr async = new AsyncIncr(key);
                redis.submit(async);
                assertEquals(2L, async.future.get(10, TimeUnit.SECONDS));
                // snippet: io-using-it
            }
            // end snippet
            assertEquals("hello", seen.value);
        }
    }
}
