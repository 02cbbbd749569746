package io.respin.engine.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.respin.RedisException;
import io.respin.RedisServerException;
import io.respin.engine.resp.Reply;
import io.respin.engine.resp.ReplyAssembler;
import io.respin.engine.resp.RespHandler;
import io.respin.engine.resp.RespWriter;
import io.respin.testkit.RedisServer;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The embedding example of docs/connection.md, run against a real server: a plain blocking SocketChannel loop that
 * uses only the engine for the handshake, a pipeline of commands and a subscription (DocSnippetsTest keeps the
 * doc's copy equal to the region below).
 */
class EmbeddingExampleTest {

    // snippet: embedding-socketchannel
    /** A command: its arguments, and a ReplyAssembler that turns its reply's tokens into a Reply. */
    record Cmd(CommandKind kind, ReplyAssembler replies, String... args) implements Request {
        Cmd(String... args) {
            this(CommandKind.of(args[0], Arrays.copyOfRange(args, 1, args.length)), new ReplyAssembler(), args);
        }
        @Override public void encode(RespWriter w) {
            w.array(args.length);
            for (String a : args) w.arg(a);
        }
        @Override public RespHandler replyHandler() { return replies; }
        @Override public int channelCount() { return args.length - 1; } // read for (UN)SUBSCRIBE only
        @Override public String toString() { return String.join(" ", args); }
    }

    static List<String> run(int port) throws IOException {
        List<String> log = new ArrayList<>();
        Connection conn = new Connection(ConnectionSettings.builder().clientName("embedded").build(), new ConnectionListener() {
            @Override public void onReply(Request r) {
                Reply v = ((Cmd) r).replies().poll(); // SUBSCRIBE has no value: it ends at its confirmation
                log.add(r + " -> " + (v == null ? "done" : v.asString()));
            }
            @Override public void onServerError(Request r, RedisServerException e) { log.add(r + " -> " + e.getMessage()); }
            @Override public void onFailed(Request r, RedisException e) { log.add(r + " failed: " + e.getMessage()); }
            @Override public void onPush(Reply push) {
                log.add("push " + ((Reply.Aggregate) push).elements().stream().map(Reply::asString).toList());
            }
            @Override public void onReady(HandshakeResult h) { log.add("ready, RESP" + h.protocol()); }
        });
        ByteBuffer out = ByteBuffer.allocateDirect(64 * 1024), in = ByteBuffer.allocateDirect(64 * 1024);
        MemorySegment outSeg = MemorySegment.ofBuffer(out), inSeg = MemorySegment.ofBuffer(in);
        try (SocketChannel socket = SocketChannel.open(new InetSocketAddress("127.0.0.1", port))) {
            conn.startHandshake(); // HELLO 3 SETNAME embedded, CLIENT SETINFO ... go out with the first write
            long n = 0;
            for (Cmd c : List.of(new Cmd("SET", "greeting", "hello"), new Cmd("GET", "greeting"),
                    new Cmd("SUBSCRIBE", "news"), new Cmd("PUBLISH", "news", "extra!"), new Cmd("GET", "greeting"))) {
                n += conn.encode(c, outSeg, n, outSeg.byteSize()); // bytes written; < 0 would mean "needs -n bytes"
            }
            socket.write(out.clear().limit((int) n));
            long have = 0;
            while (conn.inFlight() > 0) {
                in.limit(in.capacity()).position((int) have);
                if (socket.read(in) < 0) conn.fail("server closed the connection");
                have = in.position();
                long used = conn.receive(inSeg, 0, have); // fires the listener's events
                if (used == Connection.FAILED) throw conn.failure();
                MemorySegment.copy(inSeg, used, inSeg, 0, have - used); // keep the unparsed tail
                have -= used;
            }
        }
        return log;
    }
    // end snippet

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void theExampleRunsAgainstARealServer() throws IOException {
        try (RedisServer server = RedisServer.builder().start()) {
            assertEquals(List.of(
                    "ready, RESP3",
                    "SET greeting hello -> OK",
                    "GET greeting -> hello",
                    "SUBSCRIBE news -> done",
                    "push [message, news, extra!]",
                    "PUBLISH news extra! -> 1",
                    "GET greeting -> hello"), run(server.port()));
        }
    }
}
