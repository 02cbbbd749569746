package io.respin.engine.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.respin.engine.resp.RawClient;
import io.respin.engine.resp.Reply;
import io.respin.testkit.RedisServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link KeyPositions} against a real redis-server: every command and subcommand the server lists is known; for
 * every one whose keys do not move, the table's (first, last, step) is the server's; and for sample argument
 * lists — generated from each command's arity, and written by hand for every movable-keys rule with its edge
 * cases — the keys are exactly those {@code COMMAND GETKEYS} names (none where the server refuses).
 */
class KeyPositionsRedisTest {
    private static RedisServer server;

    /** name, arity, first, last, step, movable — of every command and subcommand the server has. */
    private record Info(String name, int arity, int first, int last, int step, boolean movable) {
    }

    private static List<Info> commands;

    @BeforeAll
    static void start() throws IOException {
        server = RedisServer.builder().start();
        commands = new ArrayList<>();
        try (RawClient c = new RawClient(server.port())) {
            for (Reply r : ((Reply.Aggregate) c.call("COMMAND")).elements()) {
                collect((Reply.Aggregate) r);
            }
        }
        assertTrue(commands.size() > 300, "commands and subcommands: " + commands.size());
    }

    private static void collect(Reply.Aggregate c) {
        List<Reply> e = c.elements();
        boolean movable = ((Reply.Aggregate) e.get(2)).elements().stream().anyMatch(f -> f.asString().equals("movablekeys"));
        commands.add(new Info(e.get(0).asString().toUpperCase(Locale.ROOT), (int) ((Reply.Int) e.get(1)).value(),
                (int) ((Reply.Int) e.get(3)).value(), (int) ((Reply.Int) e.get(4)).value(),
                (int) ((Reply.Int) e.get(5)).value(), movable));
        if (e.size() > 9 && e.get(9) instanceof Reply.Aggregate subs) {
            subs.elements().forEach(s -> collect((Reply.Aggregate) s));
        }
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void everyServerCommandIsKnownAndItsRangeIsTheServers() {
        for (Info i : commands) {
            assertTrue(KeyPositions.known(i.name), i.name);
            if (i.movable) {
                assertNull(KeyPositions.legacyRange(i.name), i.name + " has movable keys: it needs a rule");
            } else {
                assertArrayEquals(new int[] {i.first, i.last, i.step}, KeyPositions.legacyRange(i.name), i.name);
            }
        }
        assertTrue(KeyPositions.known("object encoding"));
        assertTrue(KeyPositions.known("get"));
    }

    @Test
    void generatedArgumentsOfEveryFixedRangeCommandGiveTheServersKeys() throws IOException {
        List<List<String>> samples = new ArrayList<>();
        for (Info i : commands) {
            if (i.movable || i.first == 0 && !i.name.contains("|") && commands.stream().anyMatch(
                    o -> o.name.startsWith(i.name + "|"))) {
                continue; // movable ones are below; a container alone is only its subcommands' prefix
            }
            List<String> name = List.of(i.name.split("\\|"));
            int n = Math.abs(i.arity);
            for (int argc = n; argc <= (i.arity < 0 ? n + 3 : n); argc++) {
                List<String> args = new ArrayList<>(name);
                while (args.size() < argc) {
                    args.add("a" + args.size());
                }
                samples.add(args);
            }
        }
        assertTrue(samples.size() > 400, "samples: " + samples.size());
        assertAgreeWithGetKeys(samples);
    }

    @Test
    void movableKeysRulesGiveTheServersKeys() throws IOException {
        assertAgreeWithGetKeys(List.of(
                List.of("EVAL", "return 1", "2", "k1", "k2", "arg"),
                List.of("EVAL", "return 1", "0", "arg"),
                List.of("EVAL", "return 1", "0"),
                List.of("EVALSHA", "abc", "1", "k1"),
                List.of("EVAL_RO", "return 1", "3", "k1", "k2", "k3"),
                List.of("EVALSHA_RO", "abc", "1", "k1", "a", "b"),
                List.of("EVAL", "return 1", "x", "k1"),               // not a number: the server refuses
                List.of("EVAL", "return 1", "3", "k1"),               // more keys than arguments
                List.of("EVAL", "return 1", "-1", "k1"),
                List.of("FCALL", "f", "2", "k1", "k2", "a"),
                List.of("FCALL_RO", "f", "1", "k1"),
                List.of("FCALL", "f", "0"),
                List.of("ZUNIONSTORE", "dst", "2", "k1", "k2", "WEIGHTS", "1", "2"),
                List.of("ZINTERSTORE", "dst", "1", "k1"),
                List.of("ZDIFFSTORE", "dst", "3", "k1", "k2", "k3"),
                List.of("ZUNION", "2", "k1", "k2", "WITHSCORES"),
                List.of("ZINTER", "1", "k1"),
                List.of("ZDIFF", "2", "k1", "k2"),
                List.of("ZINTERCARD", "2", "k1", "k2", "LIMIT", "5"),
                List.of("SINTERCARD", "3", "k1", "k2", "k3"),
                List.of("LMPOP", "2", "k1", "k2", "LEFT", "COUNT", "3"),
                List.of("ZMPOP", "1", "k1", "MIN"),
                List.of("BLMPOP", "0.5", "2", "k1", "k2", "RIGHT"),
                List.of("BZMPOP", "0", "1", "k1", "MAX", "COUNT", "2"),
                List.of("XREAD", "STREAMS", "s1", "s2", "0", "0"),
                List.of("XREAD", "COUNT", "5", "BLOCK", "100", "STREAMS", "s1", "$"),
                List.of("XREAD", "streams", "s1", "s2", "s3", "0", "0", "0"),
                List.of("XREADGROUP", "GROUP", "g", "c", "STREAMS", "s1", ">"),
                List.of("XREADGROUP", "GROUP", "STREAMS", "c", "COUNT", "1", "NOACK", "STREAMS", "s1", "s2", ">", ">"),
                List.of("XREADGROUP", "GROUP", "g", "STREAMS", "STREAMS", "s1", ">"),
                List.of("SORT", "k"),
                List.of("SORT", "k", "STORE", "dst"),
                List.of("SORT", "k", "BY", "w_*", "LIMIT", "0", "10", "GET", "#", "GET", "o_*", "ALPHA", "STORE", "dst"),
                List.of("SORT", "k", "STORE", "d1", "STORE", "d2"),
                List.of("SORT", "k", "GET", "STORE", "LIMIT", "STORE", "x"),  // a GET pattern named STORE
                List.of("SORT", "k", "store", "dst", "DESC"),
                List.of("SORT", "k", "LIMIT", "0", "STORE", "x"),                 // LIMIT takes two values
                List.of("SORT", "k", "BY", "STORE", "x"),
                List.of("SORT_RO", "k", "BY", "w_*", "GET", "#"),
                List.of("GEORADIUS", "k", "1", "2", "3", "km"),
                List.of("GEORADIUS", "k", "1", "2", "3", "km", "WITHDIST", "STORE", "dst"),
                List.of("GEORADIUS", "k", "1", "2", "3", "km", "STORE", "d1", "STOREDIST", "d2"),
                List.of("GEORADIUSBYMEMBER", "k", "m", "3", "km", "STOREDIST", "dst", "COUNT", "5"),
                List.of("GEORADIUSBYMEMBER", "k", "m", "3", "km"),
                List.of("GEORADIUS", "k", "1", "2", "3", "km", "STORE", "d1", "STORE", "d2"),
                List.of("GEORADIUS", "k", "1", "2", "3", "km", "STOREDIST", "d1", "STORE", "d2"),
                List.of("GEORADIUS", "k", "1", "2", "3", "km", "COUNT", "STORE", "STORE", "d1"),
                List.of("GEORADIUS", "k", "1", "2", "3", "STORE", "d1"),         // STORE where the unit goes
                List.of("GEORADIUS", "k", "1", "2", "3", "km", "STORE"),
                List.of("GEORADIUSBYMEMBER", "k", "m", "3", "STORE", "d1"),
                List.of("MIGRATE", "h", "6379", "k", "0", "1000"),
                List.of("MIGRATE", "h", "6379", "k", "0", "1000", "COPY", "REPLACE"),
                List.of("MIGRATE", "h", "6379", "", "0", "1000", "KEYS", "k1", "k2", "k3"),
                List.of("MIGRATE", "h", "6379", "", "0", "1000", "AUTH", "KEYS", "KEYS", "k1"),
                List.of("MIGRATE", "h", "6379", "", "0", "1000", "AUTH2", "u", "KEYS", "COPY", "KEYS", "k1", "k2"),
                List.of("MIGRATE", "h", "6379", "k", "0", "1000", "KEYS", "k1"),
                List.of("OBJECT", "ENCODING", "k"),
                List.of("object", "freq", "k"),
                List.of("MEMORY", "USAGE", "k", "SAMPLES", "5"),
                List.of("XINFO", "STREAM", "s", "FULL"),
                List.of("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM")));
    }

    @Test
    void explicitExamples() {
        assertArrayEquals(new int[] {3, 4}, keys("EVAL", "return 1", "2", "k1", "k2", "arg"));
        assertArrayEquals(new int[] {1, 3, 5}, keys("MSET", "k1", "v1", "k2", "v2", "k3", "v3"));
        assertArrayEquals(new int[] {1, 2}, keys("BLPOP", "k1", "k2", "0"));
        assertArrayEquals(new int[] {1, 8}, keys("SORT", "k", "LIMIT", "0", "1", "GET", "#", "STORE", "d"));
        assertArrayEquals(new int[] {}, keys("PING"));
        assertArrayEquals(new int[] {2}, keys("OBJECT", "ENCODING", "k"));
        assertArrayEquals(new int[] {}, keys("FLUSHALL"));
        assertTrue(!KeyPositions.known("NOSUCHCOMMAND") && !KeyPositions.known(bytes("OBJECT", "NOSUCH", "k")));
        assertTrue(KeyPositions.known(bytes("OBJECT")), "the container alone");
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> KeyPositions.keyIndexes(bytes("NOSUCHCOMMAND", "k")));
        assertTrue(e.getMessage().contains("COMMAND GETKEYS"), e.getMessage());
    }

    private static int[] keys(String... args) {
        return KeyPositions.keyIndexes(bytes(args));
    }

    private static List<byte[]> bytes(String... args) {
        return Arrays.stream(args).map(a -> a.getBytes(StandardCharsets.UTF_8)).toList();
    }

    /**
     * Where the table answers otherwise than GETKEYS on purpose: a shard channel routes by its slot though the
     * server does not call it a key; {@code PFMERGE dest} alone (7.0 refuses GETKEYS for it, as its sources'
     * key spec starts past the end, yet runs it) has its destination as its key.
     */
    private static boolean routesByDesign(List<String> args, Reply server, List<String> table) {
        String name = args.getFirst();
        if (name.equals("SSUBSCRIBE") || name.equals("SUNSUBSCRIBE")) {
            return server.asString().contains("no key arguments") && table.equals(args.subList(1, args.size()));
        }
        if (name.equals("SPUBLISH")) {
            return server.asString().contains("no key arguments") && table.equals(List.of(args.get(1)));
        }
        return name.equals("PFMERGE") && args.size() == 2 && server.type().isError() && table.equals(List.of(args.get(1)));
    }

    /** Sends COMMAND GETKEYS for every sample in one pipeline, then compares each answer with the table's. */
    private static void assertAgreeWithGetKeys(List<List<String>> samples) throws IOException {
        try (RawClient c = new RawClient(server.port())) {
            for (List<String> args : samples) {
                List<Object> cmd = new ArrayList<>(List.of("COMMAND", "GETKEYS"));
                cmd.addAll(args);
                c.send(cmd.toArray());
            }
            List<String> mismatches = new ArrayList<>();
            for (List<String> args : samples) {
                Reply r = c.read();
                List<String> expected = r instanceof Reply.Aggregate a
                        ? a.elements().stream().map(Reply::asString).toList() : List.of();
                List<String> actual = Arrays.stream(KeyPositions.keyIndexes(bytes(args.toArray(String[]::new))))
                        .mapToObj(args::get).toList();
                if (!expected.equals(actual) && !routesByDesign(args, r, actual)) {
                    mismatches.add(args + ": server " + (r.type().isError() ? r.asString() : expected) + ", table " + actual);
                }
            }
            assertEquals(List.of(), mismatches);
        }
    }
}
