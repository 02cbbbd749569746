package io.respin.engine.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.respin.engine.connection.CommandKind;
import io.respin.engine.resp.RespWriter;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The catalogue's argument writers, sans-IO: each command's exact bytes, options in the order Redis documents. */
class CommandEncodingTest {

    private static final Commands<String, String> C = Commands.utf8();

    /** The command's RESP array as text, with its arguments joined by spaces (for readable expectations). */
    private static String args(Command<?> c) {
        MemorySegment out = MemorySegment.ofArray(new byte[4096]);
        RespWriter w = new RespWriter().wrap(out, 0, out.byteSize());
        c.encode(w);
        assertFalse(w.overflowed());
        String resp = new String(out.asSlice(0, w.position()).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
        String[] lines = resp.split("\r\n");
        int n = Integer.parseInt(lines[0].substring(1));
        assertEquals(1 + 2 * n, lines.length, "declared argument count matches what was written: " + resp);
        StringBuilder sb = new StringBuilder();
        for (int i = 2; i < lines.length; i += 2) {
            assertEquals(lines[i].getBytes(StandardCharsets.UTF_8).length, Integer.parseInt(lines[i - 1].substring(1)));
            sb.append(i > 2 ? " " : "").append(lines[i]);
        }
        return sb.toString();
    }

    @Test
    void strings() {
        assertEquals("GET k", args(C.strings().get("k")));
        assertEquals("SET k v", args(C.strings().set("k", "v")));
        assertEquals("SET k v PX 1500 NX", args(C.strings().set("k", "v", new SetArgs().px(Duration.ofMillis(1500)).nx())));
        assertEquals("SET k v KEEPTTL XX GET", args(C.strings().setGet("k", "v", new SetArgs().keepTtl().xx())));
        assertEquals("SETEX k 60 v", args(C.strings().setex("k", Duration.ofSeconds(60), "v")));
        assertEquals("GETEX k PERSIST", args(C.strings().getex("k", new GetExArgs().persist())));
        assertEquals("GETEX k", args(C.strings().getex("k", new GetExArgs())));
        assertEquals("MGET a b c", args(C.strings().mget("a", "b", "c")));
        Map<String, String> m = new LinkedHashMap<>();
        m.put("a", "1");
        m.put("b", "2");
        assertEquals("MSET a 1 b 2", args(C.strings().mset(m)));
        assertEquals("INCRBYFLOAT k 0.5", args(C.strings().incrbyfloat("k", 0.5)));
        assertEquals("SET k é", args(C.strings().set("k", "é")));
    }

    @Test
    void commandsAddedForCoverageDeclareExactlyTheArgumentsTheyWrite() {
        assertEquals("SUBSTR k 0 -1", args(C.strings().substr("k", 0, -1)));
        assertEquals("BITFIELD k OVERFLOW FAIL INCRBY u8 0 1",
                args(C.strings().bitfield("k", "OVERFLOW", "FAIL", "INCRBY", "u8", "0", "1")));
        assertEquals("BITFIELD_RO k GET u8 0", args(C.strings().bitfieldRo("k", "GET", "u8", "0")));
        assertEquals("BRPOPLPUSH a b 1.5", args(C.lists().brpoplpush("a", "b", Duration.ofMillis(1500))));
        assertTrue(C.lists().brpoplpush("a", "b", Duration.ZERO).isBlocking());
        assertEquals("SORT_RO k", args(C.keys().sortRo("k", false)));
        assertEquals("SORT_RO k ALPHA", args(C.keys().sortRo("k", true)));
        assertEquals("OBJECT FREQ k", args(C.keys().objectFreq("k")));
        assertEquals("GEOSEARCHSTORE d s FROMLONLAT 15.0 37.0 BYRADIUS 200.0 km ASC",
                args(C.geo().geosearchstore("d", "s", 15, 37, 200, "km", false)));
        assertEquals("GEOSEARCHSTORE d s FROMLONLAT 15.0 37.0 BYRADIUS 200.0 km ASC STOREDIST",
                args(C.geo().geosearchstore("d", "s", 15, 37, 200, "km", true)));
        assertEquals("GEORADIUSBYMEMBER_RO k m 1.0 km ASC", args(C.geo().georadiusbymemberRo("k", "m", 1, "km")));
        assertEquals("CLIENT UNBLOCK 7", args(C.server().clientUnblock(7, false)));
        assertEquals("CLIENT UNBLOCK 7 ERROR", args(C.server().clientUnblock(7, true)));
        assertEquals("ACL SETUSER u on >pw +get", args(C.server().aclSetuser("u", "on", ">pw", "+get")));
        assertEquals("ACL LOG RESET", args(C.server().aclLogReset()));
        assertEquals("LATENCY RESET", args(C.server().latencyReset()));
        assertEquals("LATENCY RESET command fork", args(C.server().latencyReset("command", "fork")));
        assertEquals("PUBSUB SHARDNUMSUB a b", args(C.server().pubsubShardnumsub("a", "b")));
        assertEquals("FUNCTION RESTORE \u0001\u0002 FLUSH",
                args(C.scripting().functionRestore(new byte[] {1, 2}, "FLUSH")));
    }

    @Test
    void keysListsSortedSetsStreams() {
        assertEquals("EXPIRE k 10 GT", args(C.keys().expire("k", Duration.ofSeconds(10), ExpireCondition.GT)));
        assertEquals("COPY a b REPLACE", args(C.keys().copy("a", "b", true)));
        assertEquals("SCAN 0 MATCH u:* COUNT 100 TYPE hash",
                args(C.keys().scan("0", new ScanArgs().match("u:*").count(100).type("hash"))));
        assertEquals("LPOS l x RANK -1 MAXLEN 10 COUNT 0", args(C.lists().lpos("l", "x", 0, new LPosArgs().rank(-1).maxLen(10))));
        assertEquals("LMPOP 2 a b RIGHT COUNT 3", args(C.lists().lmpop(ListEnd.RIGHT, 3, "a", "b")));
        assertEquals("BLPOP a b 1.5", args(C.lists().blpop(Duration.ofMillis(1500), "a", "b")));
        assertEquals("ZADD z XX LT CH 1.5 m", args(C.sortedSets().zadd("z", new ZAddArgs().xx().lt().ch(), 1.5, "m")));
        assertEquals("ZADD z NX INCR 2.0 m", args(C.sortedSets().zaddIncr("z", new ZAddArgs().nx(), 2, "m")));
        assertEquals("ZRANGE z (1 +inf BYSCORE REV LIMIT 0 10 WITHSCORES",
                args(C.sortedSets().zrangeWithScores("z", "(1", "+inf", new ZRangeArgs().byScore().rev().limit(0, 10))));
        assertEquals("XADD s NOMKSTREAM MAXLEN ~ 1000 * f v",
                args(C.streams().xadd("s", new XAddArgs().noMkStream().maxLen(1000, true), Map.of("f", "v"))));
        assertEquals("XREADGROUP GROUP g c COUNT 5 BLOCK 100 NOACK STREAMS s >",
                args(C.streams().xreadgroup("g", "c", new XReadArgs().count(5).block(Duration.ofMillis(100)).noAck(),
                        Map.of("s", ">"))));
        assertEquals("EVALSHA abc 1 k a", args(C.scripting().evalsha("abc", List.of("k"), List.of("a"))));
        assertEquals("CONFIG GET maxmemory", args(C.server().configGet("maxmemory")));
    }

    @Test
    void blockingAndKindsAreDeclared() {
        assertTrue(C.lists().blpop(Duration.ZERO, "a").isBlocking());
        assertFalse(C.lists().lpop("a").isBlocking());
        assertTrue(C.streams().xread(new XReadArgs().block(Duration.ZERO), Map.of("s", "$")).isBlocking());
        assertFalse(C.streams().xread(new XReadArgs(), Map.of("s", "$")).isBlocking());
        assertTrue(C.server().execute("brpop", "q", "0").isBlocking());
        assertTrue(C.server().execute("XREAD", "BLOCK", "0", "STREAMS", "s", "$").isBlocking());
        assertEquals(CommandKind.SUBSCRIBE, C.server().execute("subscribe", "a", "b").kind());
        assertEquals(2, C.server().execute("subscribe", "a", "b").channelCount());
        assertEquals(CommandKind.PLAIN, C.server().execute("GET", "k").kind());
    }

    @Test
    void scriptShaIsTheServersSha() {
        // SHA1 of "return 1", as SCRIPT LOAD reports it
        assertEquals("e0e1f9fabfc9d4800c877a703b823ac0578ff8db", Script.of("return 1").sha1());
    }
}
