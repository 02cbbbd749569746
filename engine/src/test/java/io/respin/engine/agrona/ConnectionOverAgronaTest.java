package io.respin.engine.agrona;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.respin.RedisException;
import io.respin.RedisServerException;
import io.respin.engine.connection.CommandKind;
import io.respin.engine.connection.Connection;
import io.respin.engine.connection.ConnectionListener;
import io.respin.engine.connection.ConnectionSettings;
import io.respin.engine.connection.HandshakeResult;
import io.respin.engine.connection.Request;
import io.respin.engine.resp.Reply;
import io.respin.engine.resp.ReplyAssembler;
import io.respin.engine.resp.RespHandler;
import io.respin.engine.resp.RespWriter;
import io.respin.testkit.RedisServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.agrona.ExpandableDirectByteBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The same Connection driven through the Agrona adapter: commands are encoded into an
 * {@link ExpandableDirectByteBuffer} that starts far too small and grows on the connection's "needs n bytes"
 * answer; replies are read into another and parsed through {@link AgronaResp#view}.
 */
class ConnectionOverAgronaTest {

    record Cmd(CommandKind kind, ReplyAssembler replies, String... args) implements Request {
        Cmd(CommandKind kind, String... args) {
            this(kind, new ReplyAssembler(), args);
        }
        @Override public void encode(RespWriter w) {
            w.array(args.length);
            for (String a : args) {
                w.arg(a);
            }
        }
        @Override public RespHandler replyHandler() { return replies; }
        @Override public int channelCount() { return args.length - 1; }
        @Override public String toString() { return String.join(" ", args); }
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void handshakePipelineAndSubscriptionOverAgronaBuffers() throws IOException {
        List<String> log = new ArrayList<>();
        ConnectionListener listener = new ConnectionListener() {
            @Override public void onReply(Request r) {
                Reply v = ((Cmd) r).replies().poll();
                log.add(r + " -> " + (v == null ? "done" : v.asString()));
            }
            @Override public void onServerError(Request r, RedisServerException e) { log.add(r + " -> " + e.getMessage()); }
            @Override public void onFailed(Request r, RedisException e) { log.add(r + " failed " + e.getMessage()); }
            @Override public void onPush(Reply push) { log.add("push " + push.asString()); }
            @Override public void onReady(HandshakeResult h) { log.add("ready " + h.protocol()); }
        };
        AgronaResp agrona = new AgronaResp();
        ExpandableDirectByteBuffer out = new ExpandableDirectByteBuffer(64);
        ExpandableDirectByteBuffer in = new ExpandableDirectByteBuffer(64 * 1024);
        Connection conn = new Connection(ConnectionSettings.builder().protocol(2).build(), listener);

        List<Cmd> cmds = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            cmds.add(new Cmd(CommandKind.PLAIN, "SET", "agrona:" + i, "value-" + i));
            cmds.add(new Cmd(CommandKind.PLAIN, "GET", "agrona:" + i));
        }
        cmds.add(new Cmd(CommandKind.SUBSCRIBE, "SUBSCRIBE", "agrona-news"));

        try (RedisServer server = RedisServer.builder().start();
             SocketChannel socket = SocketChannel.open(new InetSocketAddress("127.0.0.1", server.port()));
             SocketChannel publisher = SocketChannel.open(new InetSocketAddress("127.0.0.1", server.port()))) {
            conn.startHandshake();
            int pos = 0;
            for (Cmd c : cmds) {
                long n;
                while ((n = conn.encode(c, agrona.view(out), pos, out.capacity())) < 0) {
                    assertTrue(n != Connection.REFUSED, "refused " + c);
                    assertTrue(AgronaResp.ensureCapacity(out, pos, -n)); // grow, then encode again
                }
                pos += (int) n;
            }
            assertTrue(out.capacity() > 64, "the buffer grew on demand");
            ByteBuffer bytes = out.byteBuffer().duplicate().clear().limit(pos);
            while (bytes.hasRemaining()) {
                socket.write(bytes);
            }
            int have = readUntil(conn, agrona, socket, in, 0, () -> conn.inFlight() == 0);
            publisher.write(ByteBuffer.wrap("PUBLISH agrona-news hi\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
            readUntil(conn, agrona, socket, in, have, () -> log.getLast().startsWith("push"));
        }
        assertEquals("ready 2", log.getFirst());
        for (int i = 0; i < 100; i++) {
            assertEquals("SET agrona:" + i + " value-" + i + " -> OK", log.get(1 + 2 * i));
            assertEquals("GET agrona:" + i + " -> value-" + i, log.get(2 + 2 * i));
        }
        assertEquals(List.of("SUBSCRIBE agrona-news -> done", "push [bulk \"message\", bulk \"agrona-news\", bulk \"hi\"]"),
                log.subList(201, 203));
        assertEquals(Connection.Mode.SUBSCRIBED, conn.mode());
    }

    private static int readUntil(Connection conn, AgronaResp agrona, SocketChannel socket, ExpandableDirectByteBuffer in,
                                 int have, java.util.function.BooleanSupplier done) throws IOException {
        while (!done.getAsBoolean()) {
            ByteBuffer free = in.byteBuffer().duplicate().limit(in.capacity()).position(have);
            if (socket.read(free) < 0) {
                conn.fail("server closed the connection");
            }
            have = free.position();
            long used = conn.receive(agrona.view(in), 0, have);
            if (used == Connection.FAILED) {
                throw conn.failure();
            }
            in.putBytes(0, in, (int) used, have - (int) used); // keep the unparsed tail at the front
            have -= (int) used;
        }
        return have;
    }
}
