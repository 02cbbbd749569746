package io.respin.perf.client;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.SequencedMap;
import java.util.function.BiFunction;

/**
 * Every client the harness knows, by command-line name, in the order they appear in the table. {@code
 * redis-benchmark} is listed too: it is not a JVM client but a process the harness runs with the same key space.
 *
 * <pre>{@code
 * BenchClient c = ClientCatalog.open("lettuce-async", "redis://127.0.0.1:6390", settings);
 * }</pre>
 */
public final class ClientCatalog {

    /** The name of the {@code redis-benchmark} process contender. */
    public static final String REDIS_BENCHMARK = "redis-benchmark";

    /**
     * {@code respin-sync} with a counting {@code IoListener} set: run next to {@code respin-sync} it shows what the
     * event hook costs. Not in the default list (it would lengthen the quick suite): pick it with {@code --clients}.
     */
    public static final String RESPIN_SYNC_LISTENER = "respin-sync-listener";

    /** Clients only run when named with {@code --clients}. */
    private static final List<String> OPT_IN = List.of(RESPIN_SYNC_LISTENER);

    /** What an adapter may need to know when it is opened. */
    public record Settings(int maxConcurrency) {
    }

    private static final SequencedMap<String, BiFunction<String, Settings, BenchClient>> FACTORIES = factories();

    private ClientCatalog() {
    }

    private static SequencedMap<String, BiFunction<String, Settings, BenchClient>> factories() {
        SequencedMap<String, BiFunction<String, Settings, BenchClient>> m = new LinkedHashMap<>();
        m.put("respin-async", (uri, s) -> new RespinAsyncClient(uri));
        m.put("respin-sync", (uri, s) -> new RespinSyncClient(uri, false));
        m.put(RESPIN_SYNC_LISTENER, (uri, s) -> RespinSyncClient.listened(uri));
        m.put("respin-sync-vt", (uri, s) -> new RespinSyncClient(uri, true));
        m.put("respin-pipelined", (uri, s) -> new RespinPipelinedClient(uri));
        m.put("lettuce-async", (uri, s) -> new LettuceAsyncClient(uri));
        m.put("lettuce-sync", (uri, s) -> new LettuceSyncClient(uri));
        m.put("jedis-pooled", (uri, s) -> new JedisPooledClient(uri, s.maxConcurrency()));
        m.put("jedis-pipelined", (uri, s) -> new JedisPipelinedClient(uri));
        return m;
    }

    /** The JVM clients' names, then {@value #REDIS_BENCHMARK}. */
    public static List<String> names() {
        List<String> all = new java.util.ArrayList<>(FACTORIES.keySet());
        all.add(REDIS_BENCHMARK);
        return List.copyOf(all);
    }

    /** The clients a run has when {@code --clients} is not given: {@link #names()} but the opt-in ones. */
    public static List<String> defaults() {
        return names().stream().filter(n -> !OPT_IN.contains(n)).toList();
    }

    /** True for the clients this project is about (their figures are the numerators of the ratio column). */
    public static boolean isRespin(String name) {
        return name.startsWith("respin");
    }

    /** Opens the named JVM client against {@code uri}. */
    public static BenchClient open(String name, String uri, Settings settings) {
        var factory = FACTORIES.get(name);
        if (factory == null) {
            throw new IllegalArgumentException("unknown client '" + name + "'; known: " + String.join(", ", names()));
        }
        return factory.apply(uri, settings);
    }
}
