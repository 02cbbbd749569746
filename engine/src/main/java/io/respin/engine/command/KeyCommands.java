package io.respin.engine.command;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The key commands: DEL/UNLINK/EXISTS, the EXPIRE family, TTL, TYPE, RENAME, COPY, KEYS and SCAN.
 *
 * <pre>{@code
 * Command<Long> ttl = new KeyCommands<>(Codec.utf8()).ttl("session:1");
 * }</pre>
 */
@SuppressWarnings("varargs") // key arrays are only read, never stored or exposed
public final class KeyCommands<K, V> extends Family<K, V> {

    public KeyCommands(Codec<K, V> codec) {
        super(codec);
    }

    KeyCommands(Codec<K, V> codec, java.util.function.Supplier<CommandScratch> scratch) {
        super(codec, scratch);
    }

    @SafeVarargs
    public final Command<Long> del(K... keys) {
        noNulls("DEL", "keys", keys);
        return cmd("DEL", w -> keys(w.array(1 + keys.length).arg("DEL"), keys), integer());
    }

    @SafeVarargs
    public final Command<Long> unlink(K... keys) {
        noNulls("UNLINK", "keys", keys);
        return cmd("UNLINK", w -> keys(w.array(1 + keys.length).arg("UNLINK"), keys), integer());
    }

    /** How many of the keys exist (a key named twice counts twice). */
    @SafeVarargs
    public final Command<Long> exists(K... keys) {
        noNulls("EXISTS", "keys", keys);
        return cmd("EXISTS", w -> keys(w.array(1 + keys.length).arg("EXISTS"), keys), integer());
    }

    @SafeVarargs
    public final Command<Long> touch(K... keys) {
        noNulls("TOUCH", "keys", keys);
        return cmd("TOUCH", w -> keys(w.array(1 + keys.length).arg("TOUCH"), keys), integer());
    }

    /** EXPIRE in whole seconds: true when the timeout was set. */
    public Command<Boolean> expire(K key, Duration ttl) {
        nonNull("EXPIRE", "key", key, "ttl", ttl);
        return cmd("EXPIRE", w -> codec.writeKey(w.array(3).arg("EXPIRE"), key).arg(ttl.toSeconds()), bool());
    }

    public Command<Boolean> expire(K key, Duration ttl, ExpireCondition condition) {
        nonNull("EXPIRE", "key", key, "ttl", ttl, "condition", condition);
        return cmd("EXPIRE", w -> codec.writeKey(w.array(4).arg("EXPIRE"), key).arg(ttl.toSeconds())
                .arg(condition.name()), bool());
    }

    public Command<Boolean> pexpire(K key, Duration ttl) {
        nonNull("PEXPIRE", "key", key);
        long ms = millis("PEXPIRE", "ttl", ttl);
        return cmd("PEXPIRE", w -> codec.writeKey(w.array(3).arg("PEXPIRE"), key).arg(ms), bool());
    }

    public Command<Boolean> pexpire(K key, Duration ttl, ExpireCondition condition) {
        nonNull("PEXPIRE", "key", key, "condition", condition);
        long ms = millis("PEXPIRE", "ttl", ttl);
        return cmd("PEXPIRE", w -> codec.writeKey(w.array(4).arg("PEXPIRE"), key).arg(ms)
                .arg(condition.name()), bool());
    }

    public Command<Boolean> expireat(K key, Instant at) {
        nonNull("EXPIREAT", "key", key, "at", at);
        return cmd("EXPIREAT", w -> codec.writeKey(w.array(3).arg("EXPIREAT"), key).arg(at.getEpochSecond()),
                bool());
    }

    public Command<Boolean> pexpireat(K key, Instant at) {
        nonNull("PEXPIREAT", "key", key);
        long ms = epochMillis("PEXPIREAT", "at", at);
        return cmd("PEXPIREAT", w -> codec.writeKey(w.array(3).arg("PEXPIREAT"), key).arg(ms),
                bool());
    }

    /** EXPIRETIME: unix seconds at which the key expires; -1 no expiry, -2 no such key. */
    public Command<Long> expiretime(K key) {
        return keyed("EXPIRETIME", key, integer());
    }

    /** PEXPIRETIME: unix milliseconds at which the key expires; -1 no expiry, -2 no such key. */
    public Command<Long> pexpiretime(K key) {
        return keyed("PEXPIRETIME", key, integer());
    }

    /** TTL in seconds; -1 when the key has no expiry, -2 when it does not exist. */
    public Command<Long> ttl(K key) {
        return keyed("TTL", key, integer());
    }

    public Command<Long> pttl(K key) {
        return keyed("PTTL", key, integer());
    }

    public Command<Boolean> persist(K key) {
        return keyed("PERSIST", key, bool());
    }

    /** TYPE: "string", "list", "set", "zset", "hash", "stream", or "none". */
    public Command<String> type(K key) {
        return keyed("TYPE", key, status());
    }

    public Command<String> rename(K key, K newKey) {
        nonNull("RENAME", "key", key, "newKey", newKey);
        return cmd("RENAME", w -> codec.writeKey(codec.writeKey(w.array(3).arg("RENAME"), key), newKey),
                status());
    }

    public Command<Boolean> renamenx(K key, K newKey) {
        nonNull("RENAMENX", "key", key, "newKey", newKey);
        return cmd("RENAMENX", w -> codec.writeKey(codec.writeKey(w.array(3).arg("RENAMENX"), key), newKey),
                bool());
    }

    /** COPY source destination [REPLACE]: true when copied. */
    public Command<Boolean> copy(K source, K destination, boolean replace) {
        nonNull("COPY", "source", source, "destination", destination);
        return cmd("COPY", w -> {
            codec.writeKey(codec.writeKey(w.array(replace ? 4 : 3).arg("COPY"), source), destination);
            if (replace) {
                w.arg("REPLACE");
            }
        }, bool());
    }

    /** KEYS pattern: blocks the server while it walks every key; prefer {@link #scan}. */
    public Command<List<K>> keys(String pattern) {
        nonNull("KEYS", "pattern", pattern);
        return cmd("KEYS", w -> w.array(2).arg("KEYS").arg(pattern), keyList());
    }

    public Command<K> randomkey() {
        return cmd("RANDOMKEY", w -> w.array(1).arg("RANDOMKEY"), key());
    }

    /** DUMP key: the value in Redis's serialization format (for RESTORE), null when the key does not exist. */
    public Command<byte[]> dump(K key) {
        return keyed("DUMP", key, Decoders.value(Codec.bytes()));
    }

    /** RESTORE key ttl-ms payload [REPLACE] (ttl 0: no expiry). */
    public Command<String> restore(K key, Duration ttl, byte[] payload, boolean replace) {
        nonNull("RESTORE", "key", key, "payload", payload);
        long ms = millis("RESTORE", "ttl", ttl);
        return cmd("RESTORE", w -> {
            codec.writeKey(w.array(replace ? 5 : 4).arg("RESTORE"), key).arg(ms).arg(payload);
            if (replace) {
                w.arg("REPLACE");
            }
        }, status());
    }

    /** OBJECT IDLETIME key: seconds since the key was last read or written; null when it does not exist. */
    public Command<Long> objectIdletime(K key) {
        nonNull("OBJECT IDLETIME", "key", key);
        return cmd("OBJECT IDLETIME", w -> codec.writeKey(w.array(3).arg("OBJECT").arg("IDLETIME"), key),
                integer());
    }

    /** MOVE key db: true when moved to the other database. */
    public Command<Boolean> move(K key, int db) {
        nonNull("MOVE", "key", key);
        return cmd("MOVE", w -> codec.writeKey(w.array(3).arg("MOVE"), key).arg(db), bool());
    }

    /** SORT key [ALPHA]: the list, set or sorted set's elements sorted numerically (or lexicographically). */
    public Command<List<V>> sort(K key, boolean alpha) {
        nonNull("SORT", "key", key);
        return cmd("SORT", w -> {
            codec.writeKey(w.array(alpha ? 3 : 2).arg("SORT"), key);
            if (alpha) {
                w.arg("ALPHA");
            }
        }, values());
    }

    /** One SCAN page from {@code cursor} ("0" to start). */
    public Command<ScanPage<K>> scan(String cursor, ScanArgs args) {
        nonNull("SCAN", "cursor", cursor, "args", args);
        return cmd("SCAN", w -> {
            w.array(2 + args.count()).arg("SCAN").arg(cursor);
            args.write(w);
        }, Decoders.scanPage(keyList()));
    }
    /** SORT_RO key [ALPHA]: SORT without STORE, allowed on replicas and in read-only scripts. */
    public Command<List<V>> sortRo(K key, boolean alpha) {
        nonNull("SORT_RO", "key", key);
        return cmd("SORT_RO", w -> {
            codec.writeKey(w.array(alpha ? 3 : 2).arg("SORT_RO"), key);
            if (alpha) {
                w.arg("ALPHA");
            }
        }, values());
    }

    /** OBJECT FREQ key: the LFU access counter; the server refuses it unless maxmemory-policy is an LFU one. */
    public Command<Long> objectFreq(K key) {
        nonNull("OBJECT FREQ", "key", key);
        return cmd("OBJECT FREQ", w -> codec.writeKey(w.array(3).arg("OBJECT").arg("FREQ"), key), integer());
    }

    /** OBJECT REFCOUNT key: references to the value (shared integers report a huge count); null for no key. */
    public Command<Long> objectRefcount(K key) {
        nonNull("OBJECT REFCOUNT", "key", key);
        return cmd("OBJECT REFCOUNT", w -> codec.writeKey(w.array(3).arg("OBJECT").arg("REFCOUNT"), key),
                integer());
    }
}
