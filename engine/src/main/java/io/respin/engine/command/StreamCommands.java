package io.respin.engine.command;

import io.respin.engine.resp.Reply;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The stream commands: XADD, XRANGE/XREVRANGE, XREAD, consumer groups (XGROUP, XREADGROUP, XACK, XPENDING,
 * XCLAIM, XAUTOCLAIM), XLEN, XDEL, XTRIM and XINFO. XREAD's reply is the same map on RESP2 and RESP3.
 *
 * <pre>{@code
 * Command<String> id = new StreamCommands<>(Codec.utf8()).xadd("events", new XAddArgs(), Map.of("k", "v"));
 * }</pre>
 */
@SuppressWarnings("varargs") // id arrays are only read, never stored or exposed
public final class StreamCommands<K, V> extends Family<K, V> {

    public StreamCommands(Codec<K, V> codec) {
        super(codec);
    }

    StreamCommands(Codec<K, V> codec, java.util.function.Supplier<CommandScratch> scratch) {
        super(codec, scratch);
    }

    private Decoder<List<StreamEntry<K, V>>> entries() {
        return Decoders.list(Decoders.streamEntry(codec));
    }

    private Decoder<Map<K, List<StreamEntry<K, V>>>> streams() {
        return Decoders.map(key(), entries());
    }

    /** XADD: the new entry's id; null with NOMKSTREAM when the stream does not exist. */
    public Command<String> xadd(K key, XAddArgs args, Map<K, V> fields) {
        nonNull("XADD", "key", key, "args", args);
        noNulls("XADD", "fields", fields, "field", "value");
        return cmd("XADD", w -> {
            codec.writeKey(w.array(2 + args.count() + 2 * fields.size()).arg("XADD"), key);
            args.write(w);
            fields.forEach((f, v) -> codec.writeValue(codec.writeKey(w, f), v));
        }, Decoders.utf8()).weigh(weight(fields));
    }

    public Command<List<StreamEntry<K, V>>> xrange(K key, String start, String end) {
        nonNull("XRANGE", "key", key, "start", start, "end", end);
        return cmd("XRANGE", w -> codec.writeKey(w.array(4).arg("XRANGE"), key).arg(start).arg(end), entries());
    }

    public Command<List<StreamEntry<K, V>>> xrange(K key, String start, String end, long count) {
        nonNull("XRANGE", "key", key, "start", start, "end", end);
        return cmd("XRANGE", w -> codec.writeKey(w.array(6).arg("XRANGE"), key).arg(start).arg(end)
                .arg("COUNT").arg(count), entries());
    }

    public Command<List<StreamEntry<K, V>>> xrevrange(K key, String end, String start, long count) {
        nonNull("XREVRANGE", "key", key, "end", end, "start", start);
        return cmd("XREVRANGE", w -> codec.writeKey(w.array(6).arg("XREVRANGE"), key).arg(end).arg(start)
                .arg("COUNT").arg(count), entries());
    }

    public Command<Long> xlen(K key) {
        return keyed("XLEN", key, integer());
    }

    public Command<Long> xdel(K key, String... ids) {
        nonNull("XDEL", "key", key);
        noNulls("XDEL", "ids", ids);
        return cmd("XDEL", w -> {
            codec.writeKey(w.array(2 + ids.length).arg("XDEL"), key);
            for (String id : ids) {
                w.arg(id);
            }
        }, integer());
    }

    /** XTRIM key MAXLEN [~] n: entries removed. */
    public Command<Long> xtrim(K key, long maxLen, boolean approximate) {
        nonNull("XTRIM", "key", key);
        return cmd("XTRIM", w -> {
            codec.writeKey(w.array(approximate ? 5 : 4).arg("XTRIM"), key).arg("MAXLEN");
            if (approximate) {
                w.arg("~");
            }
            w.arg(maxLen);
        }, integer());
    }

    /** XREAD [COUNT n] [BLOCK ms] STREAMS key... id...: stream → new entries; null when none (BLOCK timed out). */
    public Command<Map<K, List<StreamEntry<K, V>>>> xread(XReadArgs args, Map<K, String> offsets) {
        nonNull("XREAD", "args", args);
        noNulls("XREAD", "offsets", offsets, "key", "id");
        Command<Map<K, List<StreamEntry<K, V>>>> c = cmd("XREAD", w -> {
            w.array(2 + args.count(false) + 2 * offsets.size()).arg("XREAD");
            args.write(w, false);
            w.arg("STREAMS");
            offsets.keySet().forEach(k -> codec.writeKey(w, k));
            offsets.values().forEach(w::arg);
        }, streams());
        return args.blocks() ? c.blocking(args.blockTimeout()) : c;
    }

    /** XGROUP CREATE key group id [MKSTREAM]. */
    public Command<String> xgroupCreate(K key, String group, String id, boolean mkStream) {
        nonNull("XGROUP CREATE", "key", key, "group", group, "id", id);
        return cmd("XGROUP CREATE", w -> {
            codec.writeKey(w.array(mkStream ? 6 : 5).arg("XGROUP").arg("CREATE"), key).arg(group).arg(id);
            if (mkStream) {
                w.arg("MKSTREAM");
            }
        }, status());
    }

    public Command<Long> xgroupDestroy(K key, String group) {
        nonNull("XGROUP DESTROY", "key", key, "group", group);
        return cmd("XGROUP DESTROY", w -> codec.writeKey(w.array(4).arg("XGROUP").arg("DESTROY"), key).arg(group),
                integer());
    }

    /** XREADGROUP GROUP g c [COUNT] [BLOCK] [NOACK] STREAMS key... id... (">" for new entries). */
    public Command<Map<K, List<StreamEntry<K, V>>>> xreadgroup(String group, String consumer, XReadArgs args,
                                                              Map<K, String> offsets) {
        nonNull("XREADGROUP", "group", group, "consumer", consumer, "args", args);
        noNulls("XREADGROUP", "offsets", offsets, "key", "id");
        Command<Map<K, List<StreamEntry<K, V>>>> c = cmd("XREADGROUP", w -> {
            w.array(5 + args.count(true) + 2 * offsets.size()).arg("XREADGROUP").arg("GROUP").arg(group)
                    .arg(consumer);
            args.write(w, true);
            w.arg("STREAMS");
            offsets.keySet().forEach(k -> codec.writeKey(w, k));
            offsets.values().forEach(w::arg);
        }, streams());
        return args.blocks() ? c.blocking(args.blockTimeout()) : c;
    }

    public Command<Long> xack(K key, String group, String... ids) {
        nonNull("XACK", "key", key, "group", group);
        noNulls("XACK", "ids", ids);
        return cmd("XACK", w -> {
            codec.writeKey(w.array(3 + ids.length).arg("XACK"), key).arg(group);
            for (String id : ids) {
                w.arg(id);
            }
        }, integer());
    }

    /** XPENDING key group: the summary [count, smallest id, greatest id, [[consumer, count]...]]. */
    public Command<Reply> xpending(K key, String group) {
        nonNull("XPENDING", "key", key, "group", group);
        return cmd("XPENDING", w -> codec.writeKey(w.array(3).arg("XPENDING"), key).arg(group), Decoders.reply());
    }

    /** XCLAIM key group consumer min-idle-ms id...: the entries now owned by {@code consumer}. */
    public Command<List<StreamEntry<K, V>>> xclaim(K key, String group, String consumer, Duration minIdle,
                                                   String... ids) {
        nonNull("XCLAIM", "key", key, "group", group, "consumer", consumer);
        long minIdleMs = millis("XCLAIM", "minIdle", minIdle);
        noNulls("XCLAIM", "ids", ids);
        return cmd("XCLAIM", w -> {
            codec.writeKey(w.array(5 + ids.length).arg("XCLAIM"), key).arg(group).arg(consumer)
                    .arg(minIdleMs);
            for (String id : ids) {
                w.arg(id);
            }
        }, entries());
    }

    /** XAUTOCLAIM key group consumer min-idle-ms start [COUNT n]: the next start id and the claimed entries. */
    public Command<ScanPage<StreamEntry<K, V>>> xautoclaim(K key, String group, String consumer, Duration minIdle,
                                                           String start, long count) {
        nonNull("XAUTOCLAIM", "key", key, "group", group, "consumer", consumer);
        long minIdleMs = millis("XAUTOCLAIM", "minIdle", minIdle);
        nonNull("XAUTOCLAIM", "start", start);
        return cmd("XAUTOCLAIM", w -> codec.writeKey(w.array(8).arg("XAUTOCLAIM"), key).arg(group).arg(consumer)
                .arg(minIdleMs).arg(start).arg("COUNT").arg(count),
                Decoders.triple(status(), entries(), Decoders.reply(),
                        (next, claimed, deleted) -> new ScanPage<>(next, claimed)));
    }

    /** XGROUP CREATECONSUMER key group consumer: true when created. */
    public Command<Boolean> xgroupCreateconsumer(K key, String group, String consumer) {
        nonNull("XGROUP CREATECONSUMER", "key", key, "group", group, "consumer", consumer);
        return cmd("XGROUP CREATECONSUMER", w -> codec.writeKey(w.array(5).arg("XGROUP").arg("CREATECONSUMER"), key)
                .arg(group).arg(consumer), bool());
    }

    /** XGROUP DELCONSUMER key group consumer: the number of pending entries the consumer had. */
    public Command<Long> xgroupDelconsumer(K key, String group, String consumer) {
        nonNull("XGROUP DELCONSUMER", "key", key, "group", group, "consumer", consumer);
        return cmd("XGROUP DELCONSUMER", w -> codec.writeKey(w.array(5).arg("XGROUP").arg("DELCONSUMER"), key)
                .arg(group).arg(consumer), integer());
    }

    /** XGROUP SETID key group id: moves the group's last-delivered id. */
    public Command<String> xgroupSetid(K key, String group, String id) {
        nonNull("XGROUP SETID", "key", key, "group", group, "id", id);
        return cmd("XGROUP SETID", w -> codec.writeKey(w.array(5).arg("XGROUP").arg("SETID"), key).arg(group).arg(id),
                status());
    }

    /** XSETID key last-id: sets the stream's last id (replication and tooling). */
    public Command<String> xsetid(K key, String lastId) {
        nonNull("XSETID", "key", key, "lastId", lastId);
        return cmd("XSETID", w -> codec.writeKey(w.array(3).arg("XSETID"), key).arg(lastId), status());
    }

    /** XINFO CONSUMERS key group: one map per consumer (name, pending, idle...). */
    public Command<List<Map<String, Reply>>> xinfoConsumers(K key, String group) {
        nonNull("XINFO CONSUMERS", "key", key, "group", group);
        return cmd("XINFO CONSUMERS", w -> codec.writeKey(w.array(4).arg("XINFO").arg("CONSUMERS"), key).arg(group),
                Decoders.list(Decoders.map(Decoders.utf8(), Decoders.reply())));
    }

    /** XINFO STREAM key as a generic reply (a map in RESP3, a flat array in RESP2). */
    public Command<Reply> xinfoStream(K key) {
        nonNull("XINFO STREAM", "key", key);
        return cmd("XINFO STREAM", w -> codec.writeKey(w.array(3).arg("XINFO").arg("STREAM"), key), Decoders.reply());
    }

    public Command<Reply> xinfoGroups(K key) {
        nonNull("XINFO GROUPS", "key", key);
        return cmd("XINFO GROUPS", w -> codec.writeKey(w.array(3).arg("XINFO").arg("GROUPS"), key), Decoders.reply());
    }
}
