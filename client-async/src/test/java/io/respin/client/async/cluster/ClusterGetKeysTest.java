package io.respin.client.async.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.respin.client.async.RedisClient;
import io.respin.engine.command.Commands;
import io.respin.testkit.RedisCluster;
import io.respin.testkit.RedisServer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Commands the catalogue does not know: the first of a name asks the server {@code COMMAND GETKEYS} (once, however
 * many are in flight), and every command of the name then goes straight to its key's owner — checked with the
 * nodes' own counts ({@code INFO commandstats} for the lookups, {@code errorstats} for MOVED). Every Redis 7.0
 * command is in {@code KeyPositions}, so the test makes APPEND, TOUCH and ECHO unknown with
 * {@link CommandSlots#forgotten}.
 */
class ClusterGetKeysTest {
    private static AsyncClusterFixture fx;
    private static RedisCluster cluster;
    private static RedisClient client;

    @BeforeAll
    static void start() {
        fx = AsyncClusterFixture.start();
        cluster = fx.cluster();
        client = fx.client();
    }

    @AfterAll
    static void stop() {
        AsyncClusterFixture.close(fx);
    }

    @AfterEach
    void remember() {
        CommandSlots.forgotten = Set.of();
    }

    /** The sum over the nodes of one INFO field ({@code section}: commandstats or errorstats). */
    private static long stat(String section, String prefix) {
        long n = 0;
        for (RedisServer node : cluster.nodes()) {
            for (String line : node.info(section).split("\r?\n")) {
                if (line.startsWith(prefix)) {
                    n += Long.parseLong(line.substring(prefix.length()).split(",")[0]);
                }
            }
        }
        return n;
    }

    /** A view of the client that reaches its router, for the blocking path. */
    private static final class Routed extends RedisClient {
        Routed(RedisClient c) {
            super(c);
        }

        ClusterRouter router() {
            return clusterRouter();
        }
    }

    @Test
    void anUnknownCommandIsLookedUpOnceAndThenRoutedByItsKey() {
        CommandSlots.forgotten = Set.of("APPEND", "TOUCH", "ECHO");
        int rulesBefore = new Routed(client).router().keyRules().size(); // another test's names may be kept
        for (RedisServer n : cluster.nodes()) {
            n.command("CONFIG", "RESETSTAT");
        }
        // 300 APPENDs in flight at once, before the lookup can have answered: one COMMAND GETKEYS for all
        List<CompletableFuture<?>> appends = new ArrayList<>();
        Set<Integer> owners = new HashSet<>();
        for (int i = 0; i < 300; i++) {
            owners.add(cluster.primaryForKey("gk:" + i).port());
            appends.add(client.async().execute("APPEND", "gk:" + i, "v" + i));
        }
        appends.forEach(CompletableFuture::join);
        assertEquals(3, owners.size(), "the keys cover every primary");
        for (int i = 0; i < 300; i++) {
            assertEquals("v" + i, cluster.primaryForKey("gk:" + i).command("GET", "gk:" + i));
        }
        // the blocking path uses the same rule
        ClusterRouter router = new Routed(client).router();
        for (int i = 0; i < 50; i++) {
            ClusterSyncCall.run(router, Commands.utf8().server().execute("APPEND", "gk:" + i, "w"), -1);
            assertEquals("v" + i + "w", cluster.primaryForKey("gk:" + i).command("GET", "gk:" + i));
        }
        // keys to the end of the command (learned from a sample of two), and a keyless command
        assertEquals("0", client.async().execute("TOUCH", "{t}a", "{t}b").join().asString());
        for (int i = 0; i < 20; i++) {
            assertEquals("e" + i, client.async().execute("ECHO", "e" + i).join().asString());
            assertEquals(String.valueOf(0), client.async().execute("TOUCH", "{u" + i + "}a", "{u" + i + "}b", "{u" + i
                    + "}c").join().asString());
        }
        assertEquals(3L, stat("commandstats", "cmdstat_command|getkeys:calls="),
                "one COMMAND GETKEYS per name (APPEND, TOUCH, ECHO), however many commands");
        assertEquals(3L, stat("commandstats", "cmdstat_command|info:calls="),
                "one COMMAND INFO per name, with the first GETKEYS: none of them has movablekeys");
        assertEquals(0L, stat("errorstats", "errorstat_MOVED:count="),
                "every command went straight to its key's owner");
        assertEquals(rulesBefore + 3, router.keyRules().size());
        assertTrue(stat("commandstats", "cmdstat_append:calls=") >= 350);
    }

    /**
     * Commands whose keys move with their arguments (COMMAND INFO says {@code movablekeys}): XREAD with and without
     * COUNT before STREAMS (the first key at 2 or at 4), EVAL with 0, 1 and 2 keys. A position learned from the first
     * sample would send most of them to the wrong node; each asks COMMAND GETKEYS for its own keys instead, so none
     * meets a MOVED.
     */
    @Test
    void aCommandWhoseKeysMoveWithItsArgumentsAsksForEachCommandsKeys() {
        CommandSlots.forgotten = Set.of("XREAD", "EVAL");
        List<String> streams = new ArrayList<>();
        Set<Integer> owners = new HashSet<>();
        for (int i = 0; i < 30; i++) {
            streams.add("mk:" + i);
            owners.add(cluster.primaryForKey("mk:" + i).port());
            client.async().execute("XADD", "mk:" + i, "*", "f", "v" + i).join();
        }
        assertEquals(3, owners.size(), "the streams cover every primary");
        for (RedisServer n : cluster.nodes()) {
            n.command("CONFIG", "RESETSTAT");
        }
        ClusterRouter router = new Routed(client).router();
        int calls = 0;
        for (String k : streams) {
            assertTrue(client.async().execute("XREAD", "STREAMS", k, "0").join().toString().contains("v"), k);
            assertTrue(client.async().execute("XREAD", "COUNT", "5", "STREAMS", k, "0").join().toString().contains("v"));
            assertTrue(ClusterSyncCall.run(router, Commands.utf8().server().execute("XREAD", "COUNT", "1", "STREAMS",
                    k, "0"), -1).toString().contains("v"));
            assertEquals(k, client.async().execute("EVAL", "return KEYS[1]", "1", k).join().asString());
            assertEquals("1", client.async().execute("EVAL", "return 1", "0").join().asString());
            assertEquals("2", client.async().execute("EVAL", "return #KEYS", "2", "{" + k + "}a", "{" + k + "}b")
                    .join().asString());
            calls += 6;
        }
        assertEquals(0L, stat("errorstats", "errorstat_MOVED:count="),
                "every command went straight to its keys' owner, wherever its keys were among its arguments");
        assertEquals(2L, stat("commandstats", "cmdstat_command|info:calls="), "one COMMAND INFO per name");
        assertEquals(calls + 2L, stat("commandstats", "cmdstat_command|getkeys:calls="),
                "COMMAND GETKEYS for every command of a movablekeys name (and the first sample of each name)");
    }

    @Test
    void learnedRulesReadTheKeyPositions() {
        List<byte[]> args = List.of(b("TOUCH"), b("a"), b("b"), b("c"));
        var reply = new io.respin.engine.resp.Reply.Aggregate(io.respin.engine.resp.RespType.ARRAY,
                List.of(text("a"), text("b"), text("c")));
        KeyRules.Rule r = KeyRules.learn(args, reply);
        assertEquals(new KeyRules.Rule(1, -1, 1), r, "keys to the end");
        assertEquals(1, r.firstKey(2));
        KeyRules.Rule one = KeyRules.learn(List.of(b("X.SET"), b("k"), b("v")), new io.respin.engine.resp.Reply.Aggregate(
                io.respin.engine.resp.RespType.ARRAY, List.of(text("k"))));
        assertEquals(new KeyRules.Rule(1, 1, 1), one);
        assertEquals(-1, KeyRules.Rule.KEYLESS.firstKey(3));
        // COMMAND INFO: [[name, arity, [flags...], ...]]; movablekeys among the flags
        assertTrue(KeyRules.movable(info("xread", "readonly", "blocking", "movablekeys")));
        assertEquals(false, KeyRules.movable(info("append", "write", "denyoom", "fast")));
        assertEquals(false, KeyRules.movable(new io.respin.engine.resp.Reply.Aggregate(
                io.respin.engine.resp.RespType.ARRAY, List.of(io.respin.engine.resp.Reply.Null.INSTANCE))));
    }

    private static io.respin.engine.resp.Reply info(String name, String... flags) {
        List<io.respin.engine.resp.Reply> f = new ArrayList<>();
        for (String x : flags) {
            f.add(new io.respin.engine.resp.Reply.Text(io.respin.engine.resp.RespType.SIMPLE_STRING, b(x)));
        }
        var entry = new io.respin.engine.resp.Reply.Aggregate(io.respin.engine.resp.RespType.ARRAY, List.of(text(name),
                text("-2"), new io.respin.engine.resp.Reply.Aggregate(io.respin.engine.resp.RespType.ARRAY, f)));
        return new io.respin.engine.resp.Reply.Aggregate(io.respin.engine.resp.RespType.ARRAY, List.of(entry));
    }

    private static byte[] b(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static io.respin.engine.resp.Reply text(String s) {
        return new io.respin.engine.resp.Reply.Text(io.respin.engine.resp.RespType.BULK_STRING, b(s));
    }
}
