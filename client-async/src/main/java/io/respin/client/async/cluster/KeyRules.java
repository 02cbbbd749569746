package io.respin.client.async.cluster;

import io.respin.RedisServerException;
import io.respin.client.async.RedisAsyncCommands;
import io.respin.engine.command.Command;
import io.respin.engine.command.Commands;
import io.respin.engine.command.Decoders;
import io.respin.engine.resp.Reply;
import io.respin.io.IoCommand;
import io.respin.io.RedisEndpoint;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where the keys are in commands the catalogue ({@code KeyPositions}) does not know — a module's, or a server's
 * newer than the catalogue: the first such command of a name is sent to the server as {@code COMMAND GETKEYS}
 * (to any primary), the key positions it answers are turned into a rule and kept for that name, so later commands
 * of the name route by their key with no round trip. Single-flight: commands of a name that arrive while its
 * lookup runs wait for the same answer, so a name costs one {@code COMMAND GETKEYS} per client.
 *
 * <p>The rule is COMMAND's (first, last, step): the positions of the keys in the sample, and, when the keys run to
 * the end of it, "to the end" — so a command with one key at 1 (most module commands) and one with many keys to
 * the end both route right. A command without keys (the server says "no key arguments") or one the server does not
 * know either goes to any primary.
 *
 * <p>Keys that move with the arguments: together with the sample's {@code COMMAND GETKEYS}, the first command of a
 * name sends {@code COMMAND INFO name} (the same single flight). A name whose flags say {@code movablekeys} (a
 * {@code numkeys} that may be 0, options before the keys as in {@code XREAD COUNT n STREAMS ...}) gets the rule
 * {@link Rule#MOVABLE}: no position is kept, and every command of the name asks {@code COMMAND GETKEYS} for its
 * own keys ({@link #slotOf}) before it is routed — one round trip more per command, and no MOVED.
 *
 * <pre>{@code
 * KeyRules.Rule r = rules.rule(call).join();   // COMMAND GETKEYS once per name
 * int slot = CommandSlots.slot(call, r);
 * }</pre>
 */
final class KeyRules {
    /**
     * Keys at {@code first}, {@code first + step}, ... up to {@code last} (negative: counted from the end, -1 the
     * last argument); {@code first == 0}: no keys.
     */
    record Rule(int first, int last, int step) {
        static final Rule KEYLESS = new Rule(0, 0, 1);
        /** The keys move with the arguments (COMMAND INFO says {@code movablekeys}): ask for each command's own. */
        static final Rule MOVABLE = new Rule(0, 0, 0);

        boolean movable() {
            return step == 0;
        }

        /** The first key's index in a command of {@code argc} arguments, or -1 when it has none there. */
        int firstKey(int argc) {
            int end = last < 0 ? argc + last : last;
            return first == 0 || first >= argc || first > end ? -1 : first;
        }
    }

    private final ClusterNodes nodes;
    private final Map<String, CompletableFuture<Rule>> rules = new ConcurrentHashMap<>();

    KeyRules(ClusterNodes nodes) {
        this.nodes = nodes;
    }

    /**
     * The rule for {@code command}'s name: known (a completed future), being learned (the same future for every
     * command of the name), or learned now from this command's own arguments. Never blocks; never fails (a failed
     * lookup is "any node", not cached, so a later command asks again).
     */
    CompletableFuture<Rule> rule(IoCommand command) {
        List<byte[]> args = CommandSlots.arguments(command);
        String name = new String(args.getFirst(), StandardCharsets.UTF_8).toUpperCase(Locale.ROOT);
        CompletableFuture<Rule> known = rules.get(name);
        if (known != null) {
            return known;
        }
        CompletableFuture<Rule> mine = new CompletableFuture<>();
        CompletableFuture<Rule> raced = rules.putIfAbsent(name, mine);
        if (raced != null) {
            return raced;
        }
        RedisEndpoint any = nodes.anyPrimary();
        if (any == null) {
            rules.remove(name, mine);
            mine.complete(Rule.KEYLESS);
            return mine;
        }
        Command<Reply> ask = getKeys(args);
        Command<Reply> info = new Command<>("COMMAND INFO", w -> w.array(3).arg("COMMAND").arg("INFO").arg(args.getFirst()),
                Decoders.reply());
        try {
            RedisAsyncCommands<String, String> on = new RedisAsyncCommands<>(any::submit, Commands.utf8());
            CompletableFuture<Boolean> movable = on.submit(info).handle((reply, e) -> e == null && movable(reply));
            on.submit(ask).whenComplete((reply, e) -> movable.thenAccept(moves -> {
                if (e == null) {
                    mine.complete(moves ? Rule.MOVABLE : learn(args, reply));
                } else if (cause(e) instanceof RedisServerException s
                        && (s.getMessage().contains("no key arguments") || s.getMessage().contains("Invalid command"))) {
                    mine.complete(Rule.KEYLESS); // the server says so: kept
                } else {
                    rules.remove(name, mine); // a lost connection, a timeout: ask again next time
                    mine.complete(Rule.KEYLESS);
                }
            }));
        } catch (RuntimeException e) {
            rules.remove(name, mine);
            mine.complete(Rule.KEYLESS);
        }
        return mine;
    }

    /**
     * The slot of {@code command} (a name the catalogue does not know): by its name's kept rule — a completed future
     * when the rule is known and fixed — or, for a {@link Rule#MOVABLE} name, by its own {@code COMMAND GETKEYS}.
     * Never fails.
     */
    CompletableFuture<Integer> slot(IoCommand command) {
        CompletableFuture<Rule> rule = rule(command);
        if (rule.isDone() && !rule.join().movable()) {
            return CompletableFuture.completedFuture(CommandSlots.slot(command, rule.join()));
        }
        return rule.thenCompose(r -> r.movable() ? slotOf(command)
                : CompletableFuture.completedFuture(CommandSlots.slot(command, r)));
    }

    /**
     * The slot of {@code command}'s own keys, asked with {@code COMMAND GETKEYS} (a {@link Rule#MOVABLE} name):
     * {@link CommandSlots#CROSS} when they are in several slots, {@link CommandSlots#ANY} when it has none or the
     * question failed (then a MOVED sends it on). Never fails.
     */
    CompletableFuture<Integer> slotOf(IoCommand command) {
        List<byte[]> args = CommandSlots.arguments(command);
        RedisEndpoint any = nodes.anyPrimary();
        if (any == null) {
            return CompletableFuture.completedFuture(CommandSlots.ANY);
        }
        try {
            return new RedisAsyncCommands<>(any::submit, Commands.utf8()).submit(getKeys(args)).handle((reply, e) -> {
                int slot = CommandSlots.ANY;
                if (e == null && reply instanceof Reply.Aggregate keys) {
                    for (Reply k : keys.elements()) {
                        int s = io.respin.engine.cluster.Slots.slot(k instanceof Reply.Text t ? t.bytes() : new byte[0]);
                        if (slot != CommandSlots.ANY && s != slot) {
                            return CommandSlots.CROSS;
                        }
                        slot = s;
                    }
                }
                return slot;
            });
        } catch (RuntimeException closed) {
            return CompletableFuture.completedFuture(CommandSlots.ANY);
        }
    }

    /** {@code COMMAND GETKEYS <args>}. */
    private static Command<Reply> getKeys(List<byte[]> args) {
        byte[][] getkeys = new byte[args.size() + 2][];
        getkeys[0] = "COMMAND".getBytes(StandardCharsets.US_ASCII);
        getkeys[1] = "GETKEYS".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < args.size(); i++) {
            getkeys[i + 2] = args.get(i);
        }
        return new Command<>("COMMAND GETKEYS", w -> {
            w.array(getkeys.length);
            for (byte[] a : getkeys) {
                w.arg(a);
            }
        }, Decoders.reply());
    }

    /** True when a {@code COMMAND INFO} reply's flags (its third field) include {@code movablekeys}. */
    static boolean movable(Reply info) {
        if (info instanceof Reply.Aggregate outer && outer.size() > 0 && outer.get(0) instanceof Reply.Aggregate entry
                && entry.size() > 2 && entry.get(2) instanceof Reply.Aggregate flags) {
            for (Reply f : flags.elements()) {
                if ("movablekeys".equalsIgnoreCase(f.asString())) {
                    return true;
                }
            }
        }
        return false;
    }

    private static Throwable cause(Throwable e) {
        return e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
    }

    /** The (first, last, step) of the keys {@code reply} names in {@code args}. */
    static Rule learn(List<byte[]> args, Reply reply) {
        if (!(reply instanceof Reply.Aggregate keys) || keys.size() == 0) {
            return Rule.KEYLESS;
        }
        int[] at = new int[keys.size()];
        int from = 1;
        for (int k = 0; k < keys.size(); k++) {
            byte[] key = keys.elements().get(k) instanceof Reply.Text t ? t.bytes() : new byte[0];
            int i = from;
            while (i < args.size() && !Arrays.equals(args.get(i), key)) {
                i++;
            }
            if (i == args.size()) {
                return Rule.KEYLESS; // a key that is not an argument as given: nothing to learn a position from
            }
            at[k] = i;
            from = i + 1;
        }
        int step = at.length > 1 ? at[1] - at[0] : 1;
        for (int k = 2; k < at.length; k++) {
            if (at[k] - at[k - 1] != step) {
                return new Rule(at[0], at[0], 1); // irregular: route by the first key
            }
        }
        int lastIndex = at[at.length - 1];
        boolean toTheEnd = at.length > 1 && args.size() - 1 - lastIndex < step;
        return new Rule(at[0], toTheEnd ? lastIndex - args.size() : lastIndex, step);
    }

    /** Names with a rule kept so far (tests). */
    int size() {
        return rules.size();
    }
}
