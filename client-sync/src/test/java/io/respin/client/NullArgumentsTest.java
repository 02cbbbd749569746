package io.respin.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.respin.client.async.AsyncCommandMethods;
import io.respin.client.async.RedisAsyncCommands;
import io.respin.client.sync.RedisCommands;
import io.respin.client.sync.SyncCommandMethods;
import io.respin.engine.command.Command;
import io.respin.engine.command.Commands;
import io.respin.engine.command.Script;
import io.respin.testkit.RedisServer;
import java.lang.foreign.MemorySegment;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 14 item 3: a null argument fails at once, on the caller's thread, before anything is queued. Every public
 * method of the sync facade ({@link RedisCommands}) and of the async one ({@link RedisAsyncCommands}) is called
 * reflectively with each reference parameter set to null in turn — and each array, list or map given one null
 * element (a null key, a null value) — the other arguments valid. Each call must throw
 * {@code NullPointerException("<COMMAND>: <argument> is null")} synchronously (the async method throws; it does
 * not return a failed future), and the server must have seen nothing: its own redis-server, whose
 * {@code INFO commandstats} does not move (but for the INFO probes and idle PINGs), and the same CLIENT ID on the
 * shared connection before and after (no reconnect). Nothing may be reported as an uncaught exception either.
 */
class NullArgumentsTest {
    private static RedisServer server;
    private static RedisClient client;
    private static final List<String> uncaught = new CopyOnWriteArrayList<>();
    private static Thread.UncaughtExceptionHandler previous;

    @BeforeAll
    static void start() {
        server = RedisServer.builder().start(); // alone on it: its command counts are ours
        // short: on code that lets a null reach the IO thread, each such call waits its whole timeout
        client = RedisClient.builder(server.uri()).commandTimeout(Duration.ofMillis(300)).build();
        previous = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> uncaught.add(t.getName() + ": " + e));
    }

    @AfterAll
    static void stop() {
        Thread.setDefaultUncaughtExceptionHandler(previous);
        client.close();
        server.close();
    }

    @Test
    void everySyncMethodRefusesEachNullOnTheCallersThreadAndSendsNothing() throws Exception {
        RedisCommands<String, String> redis = client.sync();
        sweep(redis, RedisCommands.class, SyncCommandMethods.class, Map.of(
                "run", "run", "evalScript", "EVALSHA", "scanIterator", "SCAN", "scanStream", "SCAN",
                "hscanIterator", "HSCAN", "sscanIterator", "SSCAN", "zscanIterator", "ZSCAN",
                "withTimeout", "withTimeout"));
    }

    @Test
    void everyAsyncMethodThrowsRatherThanReturningAFailedFuture() throws Exception {
        RedisAsyncCommands<String, String> redis = client.async();
        Map<String, String> extra = new HashMap<>(Map.of("submit", "submit", "evalScript", "EVALSHA",
                "withTimeout", "withTimeout"));
        for (String kind : List.of("Each", "Cursor", "Publisher")) {
            extra.put("scan" + kind, "SCAN");
            extra.put("hscan" + kind, "HSCAN");
            extra.put("sscan" + kind, "SSCAN");
            extra.put("zscan" + kind, "ZSCAN");
        }
        sweep(redis, RedisAsyncCommands.class, AsyncCommandMethods.class, extra);
    }

    @Test
    void subscribeMonitorAndWatchRefuseNullsToo() {
        long id = client.sync().clientId();
        Map<String, Long> before = commandStats();
        refused("SUBSCRIBE: listener is null", () -> client.subscribe(null, "ch"));
        refused("SUBSCRIBE: channels[1] is null", () -> client.subscribe(m -> { }, "ch", null));
        refused("PSUBSCRIBE: patterns is null", () -> client.pubSub().psubscribeAsync(m -> { }, (String[]) null));
        refused("SSUBSCRIBE: channels[0] is null", () -> client.pubSub().ssubscribeAsync(m -> { }, (String) null));
        refused("MONITOR: listener is null", () -> client.monitor(null));
        assertEquals(before, commandStats(), "the server ran commands");
        assertEquals(id, client.sync().clientId(), "the shared connection was replaced");
        try (var tx = client.transaction()) { // its own connection: its handshake is not counted above
            refused("WATCH: keys[1] is null", () -> tx.watch("k", null));
            tx.watch("k"); // and the transaction's connection still works
        }
        assertEquals(List.of(), uncaught, "uncaught exceptions were reported");
    }

    @Test
    void theMessagesNameTheCommandAndTheArgument() {
        var redis = client.sync();
        Map<String, String> nullValue = new HashMap<>(Map.of("k1", "v1"));
        nullValue.put("k1", null);
        Map<String, String> nullField = new HashMap<>();
        nullField.put(null, "v");
        refused("SET: key is null", () -> redis.set(null, "v"));
        refused("GET: key is null", () -> redis.get(null));
        refused("GET: args[1] is null", () -> redis.execute("GET", null));
        refused("execute: args[0] (the command name) is null", () -> redis.execute((String) null));
        refused("MSET: value for key 'k1' is null", () -> redis.mset(nullValue));
        refused("HSET: fields has a null field", () -> client.async().hset("h", nullField));
        refused("MGET: keys[1] is null", () -> redis.mget("a", null));
        refused("EVAL: args[0] is null", () -> redis.eval("return 1", List.of(), Arrays.asList((String) null)));
        var tooLong = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> redis.pexpire("k", Duration.ofSeconds(Long.MAX_VALUE)));
        assertTrue(tooLong.getMessage().startsWith("PEXPIRE: ttl PT"), tooLong.getMessage());
    }

    private static void refused(String message, org.junit.jupiter.api.function.Executable call) {
        var e = org.junit.jupiter.api.Assertions.assertThrows(NullPointerException.class, call);
        assertEquals(message, e.getMessage());
    }

    /**
     * Calls every public method of {@code facade} declared by {@code concrete} or {@code generated} with one null at
     * a time. {@code extraNames}: the command each method of {@code concrete} names in its messages; the generated
     * methods name what the catalogue builds.
     */
    private void sweep(Object facade, Class<?> concrete, Class<?> generated, Map<String, String> extraNames)
            throws Exception {
        long id = client.sync().clientId();
        Map<String, Long> before = commandStats();
        List<String> failures = new ArrayList<>();
        int calls = 0;
        int methods = 0;
        for (Method m : facade.getClass().getMethods()) {
            if (m.getDeclaringClass() != concrete && m.getDeclaringClass() != generated
                    || Modifier.isStatic(m.getModifiers())) {
                continue;
            }
            Object[] valid = validArguments(m);
            boolean any = false;
            for (int i = 0; i < valid.length; i++) {
                Class<?> type = m.getParameterTypes()[i];
                if (type.isPrimitive()) {
                    continue;
                }
                any = true;
                for (Object bad : nullVariants(type, m.getGenericParameterTypes()[i], valid[i])) {
                    Object[] args = valid.clone();
                    args[i] = bad;
                    calls++;
                    String expected = expectedName(m, args, generated, extraNames);
                    String problem = nullRefused(facade, m, args, expected);
                    if (problem != null) {
                        failures.add(m.getName() + Arrays.toString(m.getParameterTypes()).replace("class ", "")
                                + " with " + describe(bad) + " as argument " + i + ": " + problem);
                    }
                }
            }
            methods += any ? 1 : 0;
        }
        assertTrue(methods > 200, "only " + methods + " methods with reference parameters were found");
        assertTrue(failures.isEmpty(), failures.size() + " of " + calls + " calls did not throw "
                + "NullPointerException(\"<COMMAND>: ... is null\") at once:\n  " + String.join("\n  ",
                failures.subList(0, Math.min(40, failures.size()))));
        Map<String, Long> after = commandStats();
        assertEquals(before, after, "the server ran commands during the sweep");
        assertEquals(id, client.sync().clientId(), "the shared connection was replaced");
        assertEquals(List.of(), uncaught, "uncaught exceptions were reported");
    }

    /** Null when {@code m(args)} threw the NullPointerException wanted, else what happened instead. */
    private static String nullRefused(Object facade, Method m, Object[] args, String command) {
        Object returned;
        try {
            returned = m.invoke(facade, args);
        } catch (InvocationTargetException e) {
            Throwable t = e.getCause();
            if (!(t instanceof NullPointerException)) {
                return "threw " + t;
            }
            String msg = String.valueOf(t.getMessage());
            boolean named = msg.startsWith(command + ": ") && (msg.endsWith(" is null") || msg.contains(" has a null "));
            return named ? null : "threw NullPointerException(\"" + msg + "\"), which does not start with \""
                    + command + ": \" and say what is null";
        } catch (IllegalAccessException e) {
            return "could not be called: " + e;
        }
        if (returned instanceof java.util.concurrent.CompletableFuture<?> f) {
            try {
                f.join();
                return "returned a future, which completed";
            } catch (RuntimeException e) {
                return "returned a failed future (" + e.getCause() + ") instead of throwing";
            }
        }
        return "returned " + returned;
    }

    /** The command a call names in its message: what the catalogue builds from valid arguments, or execute's name. */
    private static String expectedName(Method m, Object[] args, Class<?> generated, Map<String, String> extra)
            throws Exception {
        if (m.getDeclaringClass() != generated) {
            return extra.getOrDefault(m.getName(), "?" + m.getName());
        }
        if (m.getName().equals("execute")) {
            Object[] a = (Object[]) args[0];
            return a == null || a[0] == null ? "execute" : "GET"; // valid: execute("GET", "k")
        }
        Commands<String, String> c = Commands.utf8();
        for (Method family : Commands.class.getDeclaredMethods()) {
            if (family.getParameterCount() != 0 || !family.getReturnType().getSimpleName().endsWith("Commands")
                    || family.getReturnType() == Commands.class) {
                continue;
            }
            try {
                Method def = family.getReturnType().getMethod(m.getName(), m.getParameterTypes());
                return ((Command<?>) def.invoke(family.invoke(c), validArguments(m))).name();
            } catch (NoSuchMethodException notInThisFamily) {
                // next family
            }
        }
        return "?" + m.getName();
    }

    /** Valid arguments for {@code m}: none of them null, all of the declared types. */
    private static Object[] validArguments(Method m) {
        Type[] types = m.getGenericParameterTypes();
        Object[] args = new Object[types.length];
        for (int i = 0; i < args.length; i++) {
            args[i] = sample(m.getParameterTypes()[i], types[i], m.getName());
        }
        return args;
    }

    private static Object sample(Class<?> t, Type generic, String method) {
        if (t == long.class) return 1L;
        if (t == int.class) return 1;
        if (t == double.class) return 1.0;
        if (t == boolean.class) return false;
        if (t == String[].class && method.equals("execute")) return new String[] {"GET", "k"};
        if (t == byte[][].class) return new byte[][] {"GET".getBytes(StandardCharsets.US_ASCII), {'k'}};
        if (t == byte[].class) return new byte[] {'x'};
        if (t == String[].class) return new String[] {"a", "b"};
        if (t == Object[].class) return new Object[] {"a", "b"}; // K... and V...: String here
        if (t == String.class || t == Object.class) return "x";
        if (t == Duration.class) return Duration.ofSeconds(1);
        if (t == Instant.class) return Instant.EPOCH.plusSeconds(1);
        if (t == List.class) return List.of("a", "b");
        if (t == Map.class) {
            Type valueType = ((ParameterizedType) generic).getActualTypeArguments()[1];
            return Map.of("k1", valueType == Double.class ? (Object) 1.0 : "v1");
        }
        if (t == MemorySegment.class) return MemorySegment.ofArray(new byte[8]);
        if (t == ByteBuffer.class) return ByteBuffer.allocate(8);
        if (t == Script.class) return Script.of("return 1");
        if (t == Command.class) return Commands.utf8().server().ping();
        if (t == Consumer.class) return (Consumer<Object>) x -> { };
        if (t.isEnum()) return t.getEnumConstants()[0];
        try {
            return t.getDeclaredConstructor().newInstance(); // the *Args option classes
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("no sample value for " + t + " in " + method + "; add one", e);
        }
    }

    /** The argument itself null, then (for arrays, lists and maps) one null inside a valid one. */
    private static List<Object> nullVariants(Class<?> t, Type generic, Object valid) {
        List<Object> out = new ArrayList<>();
        out.add(null);
        if (valid instanceof Object[] a) {
            for (int i = 0; i < a.length; i++) {
                Object[] copy = a.clone();
                copy[i] = null;
                out.add(copy);
            }
        } else if (valid instanceof List<?> l) {
            out.add(Arrays.asList(l.get(0), null));
        } else if (valid instanceof Map<?, ?> m) {
            Map<Object, Object> nullValue = new HashMap<>(m);
            nullValue.put("k2", null);
            out.add(nullValue);
            Map<Object, Object> nullKey = new HashMap<>(m);
            nullKey.put(null, m.values().iterator().next());
            out.add(nullKey);
        }
        return out;
    }

    private static String describe(Object bad) {
        if (bad instanceof Object[] a) {
            return Arrays.deepToString(a);
        }
        return String.valueOf(bad);
    }

    /** Each command's calls (including failed and rejected ones), but for our INFO probes and idle PINGs. */
    private static Map<String, Long> commandStats() {
        Map<String, Long> stats = new TreeMap<>();
        for (String line : server.info("commandstats").split("\r?\n")) {
            if (!line.startsWith("cmdstat_") || line.startsWith("cmdstat_info:") || line.startsWith("cmdstat_ping:")) {
                continue;
            }
            String name = line.substring("cmdstat_".length(), line.indexOf(':'));
            long total = 0;
            for (String field : line.substring(line.indexOf(':') + 1).split(",")) {
                String[] kv = field.split("=");
                if (kv[0].equals("calls") || kv[0].equals("rejected_calls") || kv[0].equals("failed_calls")) {
                    total += Long.parseLong(kv[1]);
                }
            }
            stats.put(name, total);
        }
        return Collections.unmodifiableMap(stats);
    }
}
