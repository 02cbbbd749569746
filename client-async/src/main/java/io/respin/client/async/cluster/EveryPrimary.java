package io.respin.client.async.cluster;

import io.respin.RedisConnectionException;
import io.respin.RedisException;
import io.respin.engine.command.Command;
import io.respin.engine.command.Decoders;
import io.respin.engine.resp.Reply;
import io.respin.engine.resp.RespHandler;
import io.respin.engine.resp.RespType;
import io.respin.io.RedisEndpoint;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Keyless commands whose answer is about the whole data set, run on every primary that serves slots and their
 * answers combined as one node's would be: {@code DBSIZE} and {@code KEYS} (the sum, the union), {@code FLUSHALL},
 * {@code FLUSHDB}, {@code SCRIPT LOAD}, {@code SCRIPT FLUSH} and {@code FUNCTION LOAD} (every primary must have it:
 * the first answer, once all agreed). {@code SCAN} walks every primary in turn with one cursor: {@code "i:c"} is
 * cursor {@code c} on the {@code i}-th primary (in address order), and the cursor is {@code "0"} only once the last
 * primary's walk has ended — so {@code scanIterator}, {@code scanEach} and the SCAN publishers cover the cluster.
 * As on one node, SCAN returns every key present for the whole walk at least once; keys of slots that move during
 * the walk may be missed or repeated.
 *
 * <pre>{@code
 * long keys = redis.dbsize();        // the cluster's key count
 * }</pre>
 */
public final class EveryPrimary {
    private static final Set<String> FANNED = Set.of("DBSIZE", "KEYS", "FLUSHALL", "FLUSHDB", "SCRIPT", "FUNCTION");
    private static final Set<String> SUBCOMMANDS = Set.of("SCRIPT LOAD", "SCRIPT FLUSH", "SCRIPT EXISTS",
            "FUNCTION LOAD", "FUNCTION FLUSH", "FUNCTION DELETE");

    private EveryPrimary() {
    }

    /** The command's fan-out name ({@code "SCAN"}, {@code "DBSIZE"}, {@code "SCRIPT LOAD"}...), or null when it has none. */
    static String fanned(List<byte[]> args) {
        String name = new String(args.getFirst(), StandardCharsets.UTF_8).toUpperCase(Locale.ROOT);
        if (name.equals("SCAN")) {
            return name;
        }
        if (!FANNED.contains(name)) {
            return null;
        }
        if (name.equals("SCRIPT") || name.equals("FUNCTION")) {
            String sub = args.size() > 1 ? name + " " + new String(args.get(1), StandardCharsets.UTF_8)
                    .toUpperCase(Locale.ROOT) : name;
            return SUBCOMMANDS.contains(sub) ? sub : null;
        }
        return name;
    }

    /** The primaries that serve slots, in address order: the order a cluster SCAN walks them. */
    private static List<RedisEndpoint> primaries(ClusterRouter router, String name) {
        List<RedisEndpoint> all = new ArrayList<>();
        for (var node : router.nodes().servingPrimaries()) {
            RedisEndpoint e = router.nodes().endpoint(node);
            if (e == null) {
                throw new RedisConnectionException(name + " runs on every primary, and " + node.host() + ":"
                        + node.port() + " is not connected right now (a failover or a new node); try again shortly",
                        false);
            }
            all.add(e);
        }
        return all;
    }

    /** Runs {@code command} ({@link #fanned} is {@code name}) across the primaries; the answer goes to {@code command}. */
    static <T> CompletableFuture<T> run(ClusterRouter router, Command<T> command, String name, List<byte[]> args,
                                        long timeoutNanos) {
        try {
            List<RedisEndpoint> primaries = primaries(router, name);
            if (name.equals("SCAN")) {
                return scan(router, command, args, primaries, timeoutNanos);
            }
            List<CompletableFuture<Reply>> parts = new ArrayList<>();
            for (RedisEndpoint e : primaries) {
                parts.add(part(router, e, command.name(), args, timeoutNanos));
            }
            return all(parts).thenCompose(replies -> replay(command, h -> combine(name, h, replies)));
        } catch (RedisException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static CompletableFuture<Reply> part(ClusterRouter router, RedisEndpoint e, String name, List<byte[]> args,
                                                 long timeoutNanos) {
        Command<Reply> part = new Command<>(name, w -> {
            w.array(args.size());
            for (byte[] a : args) {
                w.arg(a);
            }
        }, Decoders.reply());
        ClusterCall<Reply> call = new ClusterCall<>(router, part).pinned(e);
        if (timeoutNanos > 0) {
            call.timeout(Duration.ofNanos(timeoutNanos));
        }
        return call.start();
    }

    private static CompletableFuture<List<Reply>> all(List<CompletableFuture<Reply>> parts) {
        return CompletableFuture.allOf(parts.toArray(new CompletableFuture<?>[0]))
                .handle((ok, error) -> {
                    if (error != null) {
                        throw error instanceof CompletionException c ? c : new CompletionException(error);
                    }
                    return parts.stream().map(CompletableFuture::join).toList();
                });
    }

    private static void combine(String name, RespHandler h, List<Reply> replies) {
        switch (name) {
            case "DBSIZE" -> {
                long sum = 0;
                for (Reply r : replies) {
                    sum += ((Reply.Int) r).value();
                }
                h.onInteger(sum);
            }
            case "KEYS" -> {
                List<Reply> keys = new ArrayList<>();
                for (Reply r : replies) {
                    keys.addAll(((Reply.Aggregate) r).elements());
                }
                h.onAggregateStart(RespType.ARRAY, keys.size());
                keys.forEach(k -> text(h, (Reply.Text) k));
                h.onAggregateEnd(RespType.ARRAY);
            }
            default -> feed(h, replies.getFirst());
        }
    }

    /** SCAN cursor {@code "i:c"} (or {@code "0"}: the start) on the i-th primary; the next page's cursor likewise. */
    private static <T> CompletableFuture<T> scan(ClusterRouter router, Command<T> command, List<byte[]> args,
                                                 List<RedisEndpoint> primaries, long timeoutNanos) {
        String cursor = new String(args.get(1), StandardCharsets.UTF_8);
        int node = 0;
        String nodeCursor = cursor;
        int colon = cursor.indexOf(':');
        if (colon > 0) {
            try {
                node = Integer.parseInt(cursor.substring(0, colon));
            } catch (NumberFormatException e) {
                node = -1;
            }
            nodeCursor = cursor.substring(colon + 1);
        }
        if (node < 0 || node >= primaries.size()) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("SCAN cursor '" + cursor + "' is not "
                    + "one this cluster client gave out (node:cursor, with " + primaries.size() + " primaries)"));
        }
        List<byte[]> mine = new ArrayList<>(args);
        mine.set(1, nodeCursor.getBytes(StandardCharsets.UTF_8));
        int at = node;
        return part(router, primaries.get(node), command.name(), mine, timeoutNanos).thenCompose(page -> {
            List<Reply> e = ((Reply.Aggregate) page).elements();
            String next = ((Reply.Text) e.get(0)).asString();
            String whole = !next.equals("0") ? at + ":" + next : at + 1 < primaries.size() ? (at + 1) + ":0" : "0";
            return replay(command, h -> {
                h.onAggregateStart(RespType.ARRAY, 2);
                byte[] c = whole.getBytes(StandardCharsets.US_ASCII);
                h.onString(RespType.BULK_STRING, MemorySegment.ofArray(c), 0, c.length);
                feed(h, e.get(1));
                h.onAggregateEnd(RespType.ARRAY);
            });
        });
    }

    /** Feeds a whole reply, made by {@code tokens}, to {@code command} and completes with its value. */
    private static <T> CompletableFuture<T> replay(Command<T> command, java.util.function.Consumer<RespHandler> tokens) {
        RespHandler h = command.replyHandler();
        tokens.accept(h);
        h.onReplyEnd();
        RedisException f = command.failure();
        return f != null ? CompletableFuture.failedFuture(f) : CompletableFuture.completedFuture(command.result());
    }

    private static void text(RespHandler h, Reply.Text t) {
        h.onString(t.type(), MemorySegment.ofArray(t.bytes()), 0, t.bytes().length);
    }

    /** The tokens of a reply tree. */
    static void feed(RespHandler h, Reply r) {
        switch (r) {
            case Reply.Text t -> text(h, t);
            case Reply.Int i -> h.onInteger(i.value());
            case Reply.Dbl d -> h.onDouble(d.value());
            case Reply.Bool b -> h.onBoolean(b.value());
            case Reply.Null n -> h.onNull();
            case Reply.Aggregate a -> {
                h.onAggregateStart(a.type(), a.type() == RespType.MAP || a.type() == RespType.ATTRIBUTE
                        ? a.elements().size() / 2 : a.elements().size());
                a.elements().forEach(x -> feed(h, x));
                h.onAggregateEnd(a.type());
            }
        }
    }
}
