package io.respin.engine.resp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.respin.testkit.RedisServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Replies captured from a real redis-server over a plain socket, parsed as they arrive: RESP2 and RESP3,
 * {@code DEBUG PROTOCOL} for every type, pub/sub and client-tracking pushes, an 8 MiB bulk (whole and streamed
 * through a small buffer), and a 10,000-command pipelined burst.
 */
class RespParserRedisTest {

    private static final String[] TYPES = {"string", "integer", "double", "bignum", "null", "array", "set", "map",
        "attrib", "push", "verbatim", "true", "false"};

    private static RedisServer server;

    @BeforeAll
    static void start() {
        server = RedisServer.builder().config("enable-debug-command", "yes").start();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static RawClient connect(boolean resp3) throws IOException {
        RawClient c = new RawClient(server.port());
        if (resp3) {
            Reply hello = c.call("HELLO", "3");
            assertTrue(CanonicalForm.of(hello).contains("bulk \"proto\": int 3"), CanonicalForm.of(hello));
        }
        return c;
    }

    private static List<String> debugProtocolEveryType(RawClient c) throws IOException {
        List<String> lines = new ArrayList<>();
        for (String t : TYPES) {
            lines.add(CanonicalForm.of(c.call("DEBUG", "PROTOCOL", t)));
            if (t.equals("push") && lines.getLast().startsWith("push")) {
                lines.add(CanonicalForm.of(c.read())); // the push is followed by the command's real reply
            }
        }
        return lines;
    }

    @Test
    void debugProtocolEveryTypeResp3() throws IOException {
        try (RawClient c = connect(true)) {
            List<String> lines = debugProtocolEveryType(c);
            assertEquals(List.of(
                    "bulk \"Hello World\"",
                    "int 12345",
                    "double 3.141",
                    "bignum 1234567999999999999999999999999999999",
                    "null",
                    "array [int 0, int 1, int 2]",
                    "set [int 0, int 1, int 2]",
                    "map {int 0: bool false, int 1: bool true, int 2: bool false}",
                    "attr {bulk \"key-popularity\": array [bulk \"key:123\", int 90]} bulk \"Some real reply following the attribute\"",
                    "push [bulk \"server-cpu-usage\", int 42]",
                    "bulk \"Some real reply following the push reply\"",
                    "verbatim \"txt\" \"This is a verbatim\\nstring\"",
                    "bool true",
                    "bool false"), lines);
            assertReplaysTheSame(c.captured());
        }
    }

    @Test
    void debugProtocolEveryTypeResp2() throws IOException {
        try (RawClient c = connect(false)) {
            List<String> lines = debugProtocolEveryType(c);
            assertEquals(List.of(
                    "bulk \"Hello World\"",
                    "int 12345",
                    "bulk \"3.141\"",
                    "bulk \"1234567999999999999999999999999999999\"",
                    "null",
                    "array [int 0, int 1, int 2]",
                    "array [int 0, int 1, int 2]",
                    "array [int 0, int 0, int 1, int 1, int 2, int 0]",
                    "bulk \"Some real reply following the attribute\"",
                    "error \"ERR RESP2 is not supported by this command\"",
                    "bulk \"This is a verbatim\\nstring\"",
                    "int 1",
                    "int 0"), lines);
            assertReplaysTheSame(c.captured());
        }
    }

    /** The captured bytes print the same fed whole, byte at a time and in pieces. */
    private static void assertReplaysTheSame(byte[] capture) {
        Feed.Outcome whole = Feed.whole(capture, RespLimits.DEFAULT, Long.MAX_VALUE);
        assertEquals("ok", whole.end());
        assertEquals(whole.withoutPosition(), Feed.compacting(capture, RespLimits.DEFAULT, 0, () -> 1).withoutPosition());
        assertEquals(whole.withoutPosition(), Feed.compacting(capture, RespLimits.DEFAULT, 5, () -> 13).withoutPosition());
    }

    @Test
    void commonCommandsInBothProtocols() throws IOException {
        for (boolean resp3 : new boolean[] {false, true}) {
            try (RawClient c = connect(resp3)) {
                String k = "common:" + resp3;
                assertEquals("simple \"OK\"", CanonicalForm.of(c.call("SET", k, "v\r\n\u0000")));
                assertEquals("bulk \"v\\r\\n\\x00\"", CanonicalForm.of(c.call("GET", k)));
                assertEquals("null", CanonicalForm.of(c.call("GET", k + ":missing")));
                assertEquals("int 3", CanonicalForm.of(c.call("RPUSH", k + ":l", "a", "b", "c")));
                assertEquals("array [bulk \"a\", bulk \"b\", bulk \"c\"]", CanonicalForm.of(c.call("LRANGE", k + ":l", "0", "-1")));
                c.call("HSET", k + ":h", "f", "1");
                assertEquals(resp3 ? "map {bulk \"f\": bulk \"1\"}" : "array [bulk \"f\", bulk \"1\"]",
                        CanonicalForm.of(c.call("HGETALL", k + ":h")));
                c.call("ZADD", k + ":z", "3.14", "m");
                Reply score = c.call("ZSCORE", k + ":z", "m"); // 7.0 sends 3.1400000000000001, 7.2+ the shortest form
                assertEquals(resp3 ? new Reply.Dbl(3.14) : new Reply.Text(RespType.BULK_STRING, score.asString().getBytes()), score);
                assertEquals(3.14, Double.parseDouble(score.asString()));
                assertTrue(CanonicalForm.of(c.call("NOSUCHCOMMAND")).startsWith("error \"ERR unknown command"));
                assertEquals("null", CanonicalForm.of(c.call("LPOP", k + ":none")));
            }
        }
    }

    @Test
    void pubSubPushesInBothProtocols() throws IOException {
        for (boolean resp3 : new boolean[] {false, true}) {
            String kind = resp3 ? "push" : "array";
            try (RawClient sub = connect(resp3); RawClient pub = connect(false)) {
                assertEquals(kind + " [bulk \"subscribe\", bulk \"news\", int 1]", CanonicalForm.of(sub.call("SUBSCRIBE", "news")));
                assertEquals(kind + " [bulk \"psubscribe\", bulk \"n*\", int 2]", CanonicalForm.of(sub.call("PSUBSCRIBE", "n*")));
                assertEquals("int 2", CanonicalForm.of(pub.call("PUBLISH", "news", "hello")));
                List<String> got = List.of(CanonicalForm.of(sub.read()), CanonicalForm.of(sub.read()));
                assertTrue(got.contains(kind + " [bulk \"message\", bulk \"news\", bulk \"hello\"]"), got.toString());
                assertTrue(got.contains(kind + " [bulk \"pmessage\", bulk \"n*\", bulk \"news\", bulk \"hello\"]"), got.toString());
            }
        }
    }

    @Test
    void clientTrackingInvalidationPush() throws IOException {
        try (RawClient tracked = connect(true); RawClient writer = connect(false)) {
            assertEquals("simple \"OK\"", CanonicalForm.of(tracked.call("CLIENT", "TRACKING", "ON")));
            assertEquals("null", CanonicalForm.of(tracked.call("GET", "tracked:k")));
            assertEquals("simple \"OK\"", CanonicalForm.of(writer.call("SET", "tracked:k", "v")));
            assertEquals("push [bulk \"invalidate\", array [bulk \"tracked:k\"]]", CanonicalForm.of(tracked.read()));
        }
    }

    @Test
    void eightMebibyteBulkWholeAndInPieces() throws IOException {
        byte[] payload = new byte[8 << 20];
        new Random(8).nextBytes(payload);
        try (RawClient c = connect(true)) {
            assertEquals("simple \"OK\"", CanonicalForm.of(c.call("SET", "big", payload)));
        }
        // whole: the buffer grows to what bytesNeeded() asks for, and the payload arrives as one slice
        try (RawClient whole = new RawClient(server.port(), Long.MAX_VALUE, 4096)) {
            Reply r = whole.call("GET", "big");
            assertArrayEquals(payload, ((Reply.Text) r).bytes());
            assertTrue(whole.bufferSize() >= payload.length + 2, "grown to " + whole.bufferSize());
        }
        // in pieces: a 16 KiB buffer that never grows carries the whole value
        try (RawClient pieces = new RawClient(server.port(), 4096, 16 * 1024)) {
            Reply r = pieces.call("GET", "big");
            assertArrayEquals(payload, ((Reply.Text) r).bytes());
            assertEquals(16 * 1024, pieces.bufferSize(), "the buffer never had to grow");
        }
    }

    @Test
    void tenThousandPipelinedReplies() throws IOException {
        try (RawClient c = connect(true)) {
            ByteArrayOutputStream burst = new ByteArrayOutputStream();
            for (int i = 0; i < 10_000; i++) {
                burst.writeBytes(i % 2 == 0 ? RawClient.command("INCR", "burst") : RawClient.command("ECHO", "e" + "x".repeat(i % 50) + i));
            }
            c.sendRaw(burst.toByteArray());
            List<Reply> replies = c.read(10_000);
            for (int i = 0; i < 10_000; i++) {
                Reply r = replies.get(i);
                if (i % 2 == 0) {
                    assertEquals(new Reply.Int(i / 2 + 1), r, "reply " + i);
                } else {
                    assertEquals("e" + "x".repeat(i % 50) + i, r.asString(), "reply " + i);
                }
            }
            assertTrue(c.parser.atReplyBoundary());
        }
    }
}
