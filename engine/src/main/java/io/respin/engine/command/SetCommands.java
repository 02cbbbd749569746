package io.respin.engine.command;

import java.util.List;
import java.util.Set;

/**
 * The set commands. SMEMBERS and friends give a {@code Set} from RESP3 sets and RESP2 arrays alike.
 *
 * <pre>{@code
 * Command<Long> added = new SetCommands<>(Codec.utf8()).sadd("tags", "a", "b");
 * }</pre>
 */
@SuppressWarnings("varargs") // member and key arrays are only read, never stored or exposed
public final class SetCommands<K, V> extends Family<K, V> {

    public SetCommands(Codec<K, V> codec) {
        super(codec);
    }

    SetCommands(Codec<K, V> codec, java.util.function.Supplier<CommandScratch> scratch) {
        super(codec, scratch);
    }

    private Decoder<Set<V>> members() {
        return Decoders.set(value());
    }

    @SafeVarargs
    public final Command<Long> sadd(K key, V... members) {
        nonNull("SADD", "key", key);
        noNulls("SADD", "members", members);
        return cmd("SADD", w -> vals(codec.writeKey(w.array(2 + members.length).arg("SADD"), key), members),
                integer()).weigh(weight(members));
    }

    @SafeVarargs
    public final Command<Long> srem(K key, V... members) {
        nonNull("SREM", "key", key);
        noNulls("SREM", "members", members);
        return cmd("SREM", w -> vals(codec.writeKey(w.array(2 + members.length).arg("SREM"), key), members),
                integer());
    }

    public Command<Set<V>> smembers(K key) {
        return keyed("SMEMBERS", key, members());
    }

    public Command<Boolean> sismember(K key, V member) {
        nonNull("SISMEMBER", "key", key, "member", member);
        return cmd("SISMEMBER", w -> codec.writeValue(codec.writeKey(w.array(3).arg("SISMEMBER"), key), member),
                bool());
    }

    @SafeVarargs
    public final Command<List<Boolean>> smismember(K key, V... members) {
        nonNull("SMISMEMBER", "key", key);
        noNulls("SMISMEMBER", "members", members);
        return cmd("SMISMEMBER", w -> vals(codec.writeKey(w.array(2 + members.length).arg("SMISMEMBER"), key),
                members), Decoders.list(bool()));
    }

    public Command<Long> scard(K key) {
        return keyed("SCARD", key, integer());
    }

    public Command<V> spop(K key) {
        return keyed("SPOP", key, value());
    }

    public Command<Set<V>> spop(K key, long count) {
        nonNull("SPOP", "key", key);
        return cmd("SPOP", w -> codec.writeKey(w.array(3).arg("SPOP"), key).arg(count), members());
    }

    public Command<V> srandmember(K key) {
        return keyed("SRANDMEMBER", key, value());
    }

    /** SRANDMEMBER key count: distinct members when count is positive, possibly repeated when negative. */
    public Command<List<V>> srandmember(K key, long count) {
        nonNull("SRANDMEMBER", "key", key);
        return cmd("SRANDMEMBER", w -> codec.writeKey(w.array(3).arg("SRANDMEMBER"), key).arg(count), values());
    }

    public Command<Boolean> smove(K source, K destination, V member) {
        nonNull("SMOVE", "source", source, "destination", destination, "member", member);
        return cmd("SMOVE", w -> codec.writeValue(codec.writeKey(codec.writeKey(w.array(4).arg("SMOVE"), source),
                destination), member), bool());
    }

    @SafeVarargs
    public final Command<Set<V>> sinter(K... keys) {
        noNulls("SINTER", "keys", keys);
        return cmd("SINTER", w -> keys(w.array(1 + keys.length).arg("SINTER"), keys), members());
    }

    @SafeVarargs
    public final Command<Set<V>> sunion(K... keys) {
        noNulls("SUNION", "keys", keys);
        return cmd("SUNION", w -> keys(w.array(1 + keys.length).arg("SUNION"), keys), members());
    }

    @SafeVarargs
    public final Command<Set<V>> sdiff(K... keys) {
        noNulls("SDIFF", "keys", keys);
        return cmd("SDIFF", w -> keys(w.array(1 + keys.length).arg("SDIFF"), keys), members());
    }

    @SafeVarargs
    public final Command<Long> sinterstore(K destination, K... keys) {
        return store("SINTERSTORE", destination, keys);
    }

    @SafeVarargs
    public final Command<Long> sunionstore(K destination, K... keys) {
        return store("SUNIONSTORE", destination, keys);
    }

    @SafeVarargs
    public final Command<Long> sdiffstore(K destination, K... keys) {
        return store("SDIFFSTORE", destination, keys);
    }

    private Command<Long> store(String name, K destination, K[] keys) {
        nonNull(name, "destination", destination);
        noNulls(name, "keys", keys);
        return cmd(name, w -> keys(codec.writeKey(w.array(2 + keys.length).arg(name), destination), keys),
                integer());
    }

    /** SINTERCARD numkeys key... [LIMIT n] (0 = no limit). */
    @SafeVarargs
    public final Command<Long> sintercard(long limit, K... keys) {
        noNulls("SINTERCARD", "keys", keys);
        return cmd("SINTERCARD", w -> keys(w.array(4 + keys.length).arg("SINTERCARD").arg(keys.length), keys)
                .arg("LIMIT").arg(limit), integer());
    }

    public Command<ScanPage<V>> sscan(K key, String cursor, ScanArgs args) {
        nonNull("SSCAN", "key", key, "cursor", cursor, "args", args);
        return cmd("SSCAN", w -> {
            codec.writeKey(w.array(3 + args.count()).arg("SSCAN"), key).arg(cursor);
            args.write(w);
        }, Decoders.scanPage(values()));
    }
}
