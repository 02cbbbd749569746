package io.respin.client.async.cluster;

import io.respin.RedisException;
import io.respin.engine.command.Command;
import io.respin.engine.command.Decoders;
import io.respin.engine.resp.Reply;
import io.respin.engine.resp.RespHandler;
import io.respin.engine.resp.RespType;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A multi-key command whose keys are in several slots, run as one command per slot (all sent at once, each to its
 * slot's owner, each following redirects), its answer put back together as if one node had run it: MGET's values
 * in the caller's key order; DEL, UNLINK, EXISTS and TOUCH's counts added up; MSET's OK. The answer is fed, token
 * by token, to the caller's own command, so its decoder and codec make the Java value exactly as they would for
 * one node's reply. Per slot, not per node: a node refuses keys of two slots in one command even when it serves
 * both.
 *
 * <p>Atomicity: each slot's part is atomic, the whole is not (as with every cluster client): if one part fails,
 * the others may have run; the caller gets that part's failure.
 *
 * <pre>{@code
 * CompletableFuture<List<String>> values = MultiSlot.run(router, commands.strings().mget("a", "b", "c"), -1);
 * }</pre>
 */
public final class MultiSlot {
    /** The commands split by slot; anything else with keys in several slots is refused. */
    private static final Set<String> SPLIT = Set.of("MGET", "MSET", "DEL", "UNLINK", "EXISTS", "TOUCH");

    private MultiSlot() {
    }

    /** True when {@code name} is one of the commands this class splits. */
    static boolean splits(String name) {
        return SPLIT.contains(name.toUpperCase(Locale.ROOT));
    }

    /**
     * Runs {@code command} (one of {@link #splits}, its keys in several slots) as one command per slot.
     *
     * @param timeoutNanos each part's timeout, or -1 for the client's
     */
    public static <T> CompletableFuture<T> run(ClusterRouter router, Command<T> command, long timeoutNanos) {
        String name = command.name().toUpperCase(Locale.ROOT);
        List<byte[]> args = CommandSlots.arguments(new ClusterCall<>(router, command));
        int width = name.equals("MSET") ? 2 : 1;
        // slot -> positions (0-based, in units of width) of its keys, slots in order of first appearance
        Map<Integer, List<Integer>> bySlot = new LinkedHashMap<>();
        int entries = (args.size() - 1) / width;
        for (int i = 0; i < entries; i++) {
            byte[] key = args.get(1 + i * width);
            bySlot.computeIfAbsent(io.respin.engine.cluster.Slots.slot(key), s -> new ArrayList<>()).add(i);
        }
        byte[] nameBytes = args.getFirst();
        List<List<Integer>> groups = new ArrayList<>(bySlot.values());
        List<CompletableFuture<Reply>> parts = new ArrayList<>();
        for (List<Integer> group : groups) {
            Command<Reply> part = new Command<>(command.name(), w -> {
                w.array(1 + group.size() * width).arg(nameBytes);
                for (int i : group) {
                    for (int j = 0; j < width; j++) {
                        w.arg(args.get(1 + i * width + j));
                    }
                }
            }, Decoders.reply());
            ClusterCall<Reply> call = new ClusterCall<>(router, part);
            if (timeoutNanos > 0) {
                call.timeout(Duration.ofNanos(timeoutNanos));
            }
            parts.add(call.start());
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        CompletableFuture.allOf(parts.toArray(new CompletableFuture<?>[0])).whenComplete((ok, error) -> {
            if (error != null) {
                result.completeExceptionally(error instanceof CompletionException c && c.getCause() != null
                        ? c.getCause() : error);
                return;
            }
            try {
                replay(name, command.replyHandler(), groups, parts.stream().map(CompletableFuture::join).toList(), entries);
            } catch (RuntimeException e) {
                result.completeExceptionally(new RedisException(command.name() + ": its parts' replies could not be "
                        + "put together: " + e, e));
                return;
            }
            RedisException f = command.failure();
            if (f != null) {
                result.completeExceptionally(f);
            } else {
                result.complete(command.result());
            }
        });
        return result;
    }

    /** Feeds the whole command's reply, assembled from its parts', to the caller's command. */
    private static void replay(String name, RespHandler h, List<List<Integer>> groups, List<Reply> replies, int entries) {
        switch (name) {
            case "MGET" -> {
                Reply[] inOrder = new Reply[entries];
                for (int g = 0; g < groups.size(); g++) {
                    List<Reply> values = ((Reply.Aggregate) replies.get(g)).elements();
                    for (int j = 0; j < groups.get(g).size(); j++) {
                        inOrder[groups.get(g).get(j)] = values.get(j);
                    }
                }
                h.onAggregateStart(RespType.ARRAY, entries);
                for (Reply r : inOrder) {
                    if (r instanceof Reply.Text t) {
                        h.onString(t.type(), MemorySegment.ofArray(t.bytes()), 0, t.bytes().length);
                    } else {
                        h.onNull();
                    }
                }
                h.onAggregateEnd(RespType.ARRAY);
            }
            case "MSET" -> {
                byte[] ok = "OK".getBytes(StandardCharsets.US_ASCII);
                h.onString(RespType.SIMPLE_STRING, MemorySegment.ofArray(ok), 0, ok.length);
            }
            default -> {
                long sum = 0;
                for (Reply r : replies) {
                    sum += ((Reply.Int) r).value();
                }
                h.onInteger(sum);
            }
        }
        h.onReplyEnd();
    }
}
