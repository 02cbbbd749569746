package io.respin.engine.command;

/**
 * The catalogue: every typed command respin knows, by family, each defined once for a codec. Both clients
 * submit these definitions; the sync client waits for the result, the async client returns a future.
 *
 * <pre>{@code
 * Commands<String, String> c = Commands.utf8();
 * Command<String> get = c.strings().get("greeting");
 * }</pre>
 */
public final class Commands<K, V> {
    private static final Commands<String, String> UTF8 = new Commands<>(Codec.utf8());

    private final Codec<K, V> codec;
    private final StringCommands<K, V> strings;
    private final KeyCommands<K, V> keys;
    private final HashCommands<K, V> hashes;
    private final ListCommands<K, V> lists;
    private final SetCommands<K, V> sets;
    private final SortedSetCommands<K, V> sortedSets;
    private final GeoCommands<K, V> geo;
    private final StreamCommands<K, V> streams;
    private final ScriptingCommands<K, V> scripting;
    private final ServerCommands<K, V> server;

    public Commands(Codec<K, V> codec) {
        this(codec, null);
    }

    private Commands(Codec<K, V> codec, java.util.function.Supplier<CommandScratch> scratch) {
        this.codec = codec;
        this.strings = new StringCommands<>(codec, scratch);
        this.keys = new KeyCommands<>(codec, scratch);
        this.hashes = new HashCommands<>(codec, scratch);
        this.lists = new ListCommands<>(codec, scratch);
        this.sets = new SetCommands<>(codec, scratch);
        this.sortedSets = new SortedSetCommands<>(codec, scratch);
        this.geo = new GeoCommands<>(codec, scratch);
        this.streams = new StreamCommands<>(codec, scratch);
        this.scripting = new ScriptingCommands<>(codec, scratch);
        this.server = new ServerCommands<>(codec, scratch);
    }

    /**
     * The same catalogue, building every command in {@code scratch}'s one reused object (with its scalar decoders)
     * instead of allocating them per call: for a blocking caller that runs each command to its end before it
     * builds the next. A command built from it is valid until the next is built from the same scratch.
     */
    public Commands<K, V> recycling(CommandScratch scratch) {
        java.util.Objects.requireNonNull(scratch, "recycling: scratch is null");
        return new Commands<>(codec, () -> scratch);
    }

    /**
     * {@link #recycling(CommandScratch)} with the scratch asked of {@code scratches} for each command: one catalogue
     * view for a thread that builds each command in the scratch of the object that will carry it (a pooled async
     * call). {@code scratches.get()} must not be null.
     */
    public Commands<K, V> recycling(java.util.function.Supplier<CommandScratch> scratches) {
        java.util.Objects.requireNonNull(scratches, "recycling: scratches is null");
        return new Commands<>(codec, scratches);
    }

    /** The catalogue for UTF-8 string keys and values. */
    public static Commands<String, String> utf8() {
        return UTF8;
    }

    public Codec<K, V> codec() { return codec; }

    public StringCommands<K, V> strings() { return strings; }

    public KeyCommands<K, V> keys() { return keys; }

    public HashCommands<K, V> hashes() { return hashes; }

    public ListCommands<K, V> lists() { return lists; }

    public SetCommands<K, V> sets() { return sets; }

    public SortedSetCommands<K, V> sortedSets() { return sortedSets; }

    public GeoCommands<K, V> geo() { return geo; }

    public StreamCommands<K, V> streams() { return streams; }

    public ScriptingCommands<K, V> scripting() { return scripting; }

    public ServerCommands<K, V> server() { return server; }
}
