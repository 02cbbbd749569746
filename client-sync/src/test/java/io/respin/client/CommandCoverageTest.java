package io.respin.client;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.respin.engine.command.Command;
import io.respin.engine.command.Commands;
import io.respin.engine.command.Decoders;
import io.respin.engine.resp.Reply;
import java.lang.foreign.MemorySegment;
import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Command coverage report: asks the real server for every command it knows ({@code COMMAND DOCS}) and prints
 * which have typed methods in respin's catalogue. Every command is reachable through {@code execute}; this
 * counts the typed ones. Run: {@code ./mvnw -pl client-sync -am test -Dtest=CommandCoverageTest} and read
 * {@code client-sync/target/command-coverage.txt}.
 */
class CommandCoverageTest {

    @Test
    void report() throws Exception {
        var redis = Redis.client(3).sync();
        Map<String, Map<String, Reply>> docs = redis.run(new Command<>("COMMAND DOCS",
                w -> w.array(2).arg("COMMAND").arg("DOCS"),
                Decoders.map(Decoders.utf8(), Decoders.map(Decoders.utf8(), Decoders.reply()))));
        Set<String> typed = typedCommandNames();
        // typed outside the catalogue: RedisClient (pub/sub, MONITOR), RedisTransaction, and the builder/URI whose
        // settings the IO layer's handshake sends on every connection
        typed.addAll(List.of("SUBSCRIBE", "PSUBSCRIBE", "SSUBSCRIBE", "UNSUBSCRIBE", "PUNSUBSCRIBE", "SUNSUBSCRIBE",
                "MONITOR", "MULTI", "EXEC", "DISCARD", "WATCH", "UNWATCH", "HELLO", "AUTH", "SELECT"));

        Map<String, List<String>> byGroup = new TreeMap<>();
        Map<String, List<String>> missingByGroup = new TreeMap<>();
        int total = 0;
        int covered = 0;
        for (var e : new TreeMap<>(docs).entrySet()) {
            String name = e.getKey().toUpperCase(Locale.ROOT);
            String group = e.getValue().get("group").asString();
            Reply subs = e.getValue().get("subcommands");
            List<String> names = subs instanceof Reply.Aggregate a
                    ? evenElements(a).stream().map(s -> s.toUpperCase(Locale.ROOT).replace('|', ' ')).toList()
                    : List.of(name);
            for (String n : names) {
                total++;
                if (typed.contains(n)) {
                    covered++;
                    byGroup.computeIfAbsent(group, g -> new java.util.ArrayList<>()).add(n);
                } else {
                    missingByGroup.computeIfAbsent(group, g -> new java.util.ArrayList<>()).add(n);
                }
            }
        }
        StringBuilder out = new StringBuilder();
        out.append(String.format("respin typed command coverage against redis %s: %d of %d commands "
                        + "(subcommands counted one by one) = %.0f%%; every command is reachable through execute()%n",
                redis.info("server").get("redis_version"), covered, total, 100.0 * covered / total));
        out.append(String.format("%-14s %7s  %s%n", "group", "typed", "missing"));
        Set<String> groups = new TreeSet<>(byGroup.keySet());
        groups.addAll(missingByGroup.keySet());
        for (String g : groups) {
            List<String> have = byGroup.getOrDefault(g, List.of());
            List<String> miss = missingByGroup.getOrDefault(g, List.of());
            out.append(String.format("%-14s %3d/%-3d  %s%n", g, have.size(), have.size() + miss.size(),
                    String.join(" ", miss)));
        }
        System.out.print(out);
        java.nio.file.Files.writeString(java.nio.file.Path.of("target", "command-coverage.txt"), out);
        // the families issue 7 names must be there
        for (String must : List.of("GET", "SET", "SETEX", "MGET", "INCR", "GETEX", "DEL", "EXPIRE", "SCAN", "COPY",
                "HGETALL", "LPOS", "LMPOP", "SMEMBERS", "ZADD", "ZRANGE", "XADD", "XREADGROUP", "XAUTOCLAIM",
                "EVALSHA", "FCALL", "CONFIG GET", "INFO", "TIME", "PFADD", "SETBIT", "BLPOP")) {
            assertTrue(typed.contains(must), must + " has no typed method");
        }
        assertTrue(covered > 180, "typed commands: " + covered);
    }

    private static List<String> evenElements(Reply.Aggregate a) {
        List<String> keys = new java.util.ArrayList<>();
        for (int i = 0; i < a.size(); i += 2) {
            keys.add(a.get(i).asString());
        }
        return keys;
    }

    /** The name of every command the catalogue can build, found by building each one with placeholder args. */
    static Set<String> typedCommandNames() throws Exception {
        Commands<String, String> c = Commands.utf8();
        Set<String> names = new TreeSet<>();
        for (Method family : Commands.class.getDeclaredMethods()) {
            if (family.getParameterCount() != 0 || !family.getReturnType().getSimpleName().endsWith("Commands")
                    || family.getReturnType() == Commands.class) {
                continue;
            }
            Object f = family.invoke(c);
            for (Method m : family.getReturnType().getDeclaredMethods()) {
                if (!Modifier.isPublic(m.getModifiers()) || m.getReturnType() != Command.class
                        || m.getName().equals("execute")) {
                    continue;
                }
                Object[] args = new Object[m.getParameterCount()];
                for (int i = 0; i < args.length; i++) {
                    args[i] = placeholder(m.getParameterTypes()[i]);
                }
                names.add(((Command<?>) m.invoke(f, args)).name());
            }
        }
        return names.stream().map(n -> n.toUpperCase(Locale.ROOT)).collect(Collectors.toCollection(TreeSet::new));
    }

    private static Object placeholder(Class<?> t) throws Exception {
        if (t == long.class) return 0L;
        if (t == int.class) return 0;
        if (t == double.class) return 0.0;
        if (t == boolean.class) return false;
        if (t.isArray()) { // one element, not null: the catalogue refuses null elements
            Object a = Array.newInstance(t.getComponentType(), 1);
            Array.set(a, 0, placeholder(t.getComponentType()));
            return a;
        }
        if (t == byte.class) return (byte) 'x';
        if (t == String.class || t == Object.class) return "x";
        if (t == Duration.class) return Duration.ZERO;
        if (t == Instant.class) return Instant.EPOCH;
        if (t == List.class) return List.of();
        if (t == Map.class) return Map.of();
        if (t == MemorySegment.class) return MemorySegment.ofArray(new byte[1]);
        if (t == ByteBuffer.class) return ByteBuffer.allocate(1);
        if (t.isEnum()) return t.getEnumConstants()[0];
        return t.getDeclaredConstructor().newInstance(); // the *Args option classes
    }
}
