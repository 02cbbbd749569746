package io.respin.engine.command;

import io.respin.engine.connection.CommandKind;
import io.respin.engine.resp.Reply;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;

/**
 * A command without a typed method, built from its arguments for {@link ServerCommands#execute}: recognised by its
 * name (and first argument) so that the transport treats it as it treats the typed ones — its
 * {@link CommandKind} (SUBSCRIBE, MULTI, ...), whether it blocks on the server and for how long (read from its
 * arguments), whether it only reads ({@link ReadOnlyCommands}). Its reply is a generic {@link Reply} tree.
 */
final class GenericCommand {
    private static final Duration UNREADABLE = Duration.ofNanos(-1);

    private GenericCommand() {
    }

    /** See {@link ServerCommands#execute(String...)}. */
    static Command<Reply> of(String... args) {
        nonEmpty(args);
        String name = args[0].toUpperCase(Locale.ROOT);
        Family.noNulls(name, "args", args);
        long weight = 0;
        for (String a : args) {
            weight += a.length();
        }
        return build(name, args, weight, w -> {
            w.array(args.length);
            for (String a : args) {
                w.arg(a);
            }
        });
    }

    /** See {@link ServerCommands#execute(byte[]...)}. */
    static Command<Reply> of(byte[]... args) {
        nonEmpty(args);
        String name = new String(args[0], StandardCharsets.ISO_8859_1).toUpperCase(Locale.ROOT);
        Family.noNulls(name, "args", args);
        String[] text = new String[args.length];
        long weight = 0;
        for (int i = 0; i < args.length; i++) {
            text[i] = new String(args[i], StandardCharsets.ISO_8859_1); // names and keywords are ASCII
            weight += args[i].length;
        }
        return build(name, text, weight, w -> {
            w.array(args.length);
            for (byte[] a : args) {
                w.arg(a);
            }
        });
    }

    /** execute's arguments start with the command's name: there is one, and it is not null. */
    private static void nonEmpty(Object[] args) {
        Family.nonNull("execute", "args", args);
        if (args.length == 0) {
            throw new IllegalArgumentException("execute needs at least the command name, e.g. execute(\"PING\")");
        }
        Family.nonNull("execute", "args[0] (the command name)", args[0]);
    }

    /** {@code text} is every argument as text, the name first; {@code args} writes them. */
    private static Command<Reply> build(String name, String[] text, long weight, Command.Args args) {
        String[] rest = Arrays.copyOfRange(text, 1, text.length);
        String sub = rest.length > 0 ? rest[0] : null;
        CommandKind kind = CommandKind.of(name, rest);
        int channels = kind == CommandKind.PLAIN ? 0 : text.length - 1;
        Command<Reply> c = new Command<>(name, kind, channels, args, Decoders.reply())
                .readOnly(ReadOnlyCommands.of(name, sub));
        if (isBlocking(name, rest)) {
            Duration blocking = blockTime(name, rest);
            c = blocking.isNegative() ? c.blocking() : c.blocking(blocking);
        }
        return c.weigh(weight);
    }

    /**
     * The block time a blocking command asks for, read from its arguments (seconds with decimals for the list and
     * sorted-set pops, milliseconds for XREAD BLOCK, WAIT and WAITAOF); negative when it cannot be read.
     */
    static Duration blockTime(String name, String[] rest) {
        try {
            return switch (name) {
                case "BLPOP", "BRPOP", "BRPOPLPUSH", "BLMOVE", "BZPOPMIN", "BZPOPMAX" -> seconds(rest[rest.length - 1]);
                case "BLMPOP", "BZMPOP" -> seconds(rest[0]);
                case "WAIT" -> millis(rest[1]);
                case "WAITAOF" -> millis(rest[2]);
                case "XREAD", "XREADGROUP" -> {
                    for (int i = 0; i < rest.length - 1; i++) {
                        if (rest[i].equalsIgnoreCase("BLOCK")) {
                            yield millis(rest[i + 1]);
                        }
                    }
                    yield UNREADABLE;
                }
                default -> UNREADABLE;
            };
        } catch (RuntimeException unreadable) { // the server will refuse it; the command timeout applies meanwhile
            return UNREADABLE;
        }
    }

    private static Duration seconds(String s) {
        double v = Double.parseDouble(s);
        return v < 0 ? UNREADABLE : Duration.ofNanos((long) (v * 1e9));
    }

    private static Duration millis(String s) {
        long v = Long.parseLong(s);
        return v < 0 ? UNREADABLE : Duration.ofMillis(v);
    }

    /** True for the commands that wait on the server. */
    static boolean isBlocking(String name, String[] rest) {
        return switch (name) {
            case "BLPOP", "BRPOP", "BRPOPLPUSH", "BLMOVE", "BLMPOP", "BZPOPMIN", "BZPOPMAX", "BZMPOP", "WAIT",
                 "WAITAOF" -> true;
            case "XREAD", "XREADGROUP" -> Arrays.stream(rest).anyMatch(a -> a.equalsIgnoreCase("BLOCK"));
            default -> false;
        };
    }
}
