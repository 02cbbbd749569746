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
        this.codec = codec;
        this.strings = new StringCommands<>(codec);
        this.keys = new KeyCommands<>(codec);
        this.hashes = new HashCommands<>(codec);
        this.lists = new ListCommands<>(codec);
        this.sets = new SetCommands<>(codec);
        this.sortedSets = new SortedSetCommands<>(codec);
        this.geo = new GeoCommands<>(codec);
        this.streams = new StreamCommands<>(codec);
        this.scripting = new ScriptingCommands<>(codec);
        this.server = new ServerCommands<>(codec);
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
