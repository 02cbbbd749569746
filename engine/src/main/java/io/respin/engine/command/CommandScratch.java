package io.respin.engine.command;

/**
 * One reusable command object and the scalar decoders its reply needs, for a caller that runs each command to its
 * end before it builds the next — a blocking caller. A catalogue {@link Commands#recycling bound} to a scratch
 * builds every command in this one object instead of allocating a command, a reply reader and a decoder per call,
 * so that what a blocking command allocates is its argument lambda and its returned value.
 *
 * <pre>{@code
 * CommandScratch scratch = new CommandScratch();          // one per thread
 * Commands<String, String> mine = Commands.utf8().recycling(scratch);
 * Command<String> get = mine.strings().get("k");           // the scratch's command, re-armed
 * // send it, read its reply, take get.result() — and only then build the next one
 * }</pre>
 *
 * <p>The rule that makes it safe: a command built from a scratch is valid until the next command is built from the
 * same scratch. A transport that may still touch a command after its caller stopped waiting (a reply that arrives
 * after an interrupt) must give that caller a fresh scratch for its next command. Not thread-safe.
 */
public final class CommandScratch {
    /** How many decoders of one kind one command may take from the scratch (a pair of integers takes two). */
    private static final int PER_KIND = 4;

    private final Command<Object> command = new Command<>("?", w -> { }, null);
    private final ScalarDecoders.Int[] ints = new ScalarDecoders.Int[PER_KIND];
    private final ScalarDecoders.Status[] statuses = new ScalarDecoders.Status[PER_KIND];
    private final ScalarDecoders.Bool[] bools = new ScalarDecoders.Bool[PER_KIND];
    private final ScalarDecoders.Dbl[] dbls = new ScalarDecoders.Dbl[PER_KIND];
    @SuppressWarnings("rawtypes")
    private final ScalarDecoders.Value[] values = new ScalarDecoders.Value[PER_KIND];
    /** Decoders handed out since the last command was built: the next one of a kind is the next slot. */
    private int intsTaken;
    private int statusesTaken;
    private int boolsTaken;
    private int dblsTaken;
    private int valuesTaken;

    public CommandScratch() {
    }

    /** Whether {@code c} is this scratch's command (built from a catalogue bound to it). */
    public boolean built(Command<?> c) {
        return c == command;
    }

    /** The scratch's command, re-armed for {@code name}; the decoders taken for it stay taken until the next one. */
    @SuppressWarnings("unchecked")
    <T> Command<T> command(String name, Command.Args args, Decoder<T> decoder) {
        Command<T> c = (Command<T>) (Command<?>) command;
        c.rearm(name, args, decoder);
        intsTaken = statusesTaken = boolsTaken = dblsTaken = valuesTaken = 0;
        return c;
    }

    Decoder<Long> integer() {
        if (intsTaken == PER_KIND) {
            return Decoders.integer();
        }
        ScalarDecoders.Int d = ints[intsTaken];
        if (d == null) {
            d = ints[intsTaken] = new ScalarDecoders.Int();
        }
        intsTaken++;
        d.reset();
        return d;
    }

    Decoder<String> status() {
        if (statusesTaken == PER_KIND) {
            return Decoders.status();
        }
        ScalarDecoders.Status d = statuses[statusesTaken];
        if (d == null) {
            d = statuses[statusesTaken] = new ScalarDecoders.Status();
        }
        statusesTaken++;
        d.reset();
        return d;
    }

    Decoder<Boolean> bool() {
        if (boolsTaken == PER_KIND) {
            return Decoders.bool();
        }
        ScalarDecoders.Bool d = bools[boolsTaken];
        if (d == null) {
            d = bools[boolsTaken] = new ScalarDecoders.Bool();
        }
        boolsTaken++;
        d.reset();
        return d;
    }

    Decoder<Double> dbl() {
        if (dblsTaken == PER_KIND) {
            return Decoders.dbl();
        }
        ScalarDecoders.Dbl d = dbls[dblsTaken];
        if (d == null) {
            d = dbls[dblsTaken] = new ScalarDecoders.Dbl();
        }
        dblsTaken++;
        d.reset();
        return d;
    }

    @SuppressWarnings("unchecked")
    <V> Decoder<V> value(BytesDecoder<V> bytes) {
        if (valuesTaken == PER_KIND) {
            return Decoders.value(bytes);
        }
        ScalarDecoders.Value<V> d = values[valuesTaken];
        if (d == null) {
            d = new ScalarDecoders.Value<>(bytes);
            values[valuesTaken] = d;
        } else {
            d.decodeWith(bytes);
        }
        valuesTaken++;
        d.reset();
        return d;
    }
}
