package io.respin.client.async.cluster;

import io.respin.engine.cluster.KeyPositions;
import io.respin.engine.cluster.Slots;
import io.respin.engine.resp.RespWriter;
import io.respin.io.IoCommand;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The hash slot a command must go to, found from the command's own encoding: the command is written once into a
 * scratch buffer of the calling thread, its arguments are located in place, and {@link KeyPositions} says which of
 * them are keys. Only the arguments the key rules look at are copied (the name, a {@code numkeys}, a keyword);
 * keys are hashed where they lie. For a command the catalogue does not know, {@link #slotOrUnknown} says so, and
 * its keys are found by a rule learned from the server ({@link KeyRules}: {@code COMMAND GETKEYS} once per name).
 *
 * <pre>{@code
 * int slot = CommandSlots.slot(call);   // 0..16383, ANY (keyless) or CROSS (keys in several slots)
 * }</pre>
 */
public final class CommandSlots {
    /** The command has no key: any node will do. */
    public static final int ANY = -1;
    /** The command's keys hash to more than one slot. */
    public static final int CROSS = -2;

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private CommandSlots() {
    }

    /** The catalogue does not know the command: its keys are learned from the server ({@link KeyRules}). */
    public static final int UNKNOWN = -3;

    /**
     * Command names treated as unknown to the catalogue (upper case), for tests of {@link KeyRules}: every Redis 7.0
     * command is in {@link KeyPositions}, so a test makes one unknown here. Empty outside such tests.
     */
    static volatile Set<String> forgotten = Set.of();

    /** The slot of {@code command}'s keys, {@link #ANY} or {@link #CROSS}; a command the catalogue does not know: ANY. */
    public static int slot(IoCommand command) {
        int s = slotOrUnknown(command);
        return s == UNKNOWN ? ANY : s;
    }

    /** {@link #slot}, or {@link #UNKNOWN} for a command the catalogue does not know. */
    static int slotOrUnknown(IoCommand command) {
        Scratch s = SCRATCH.get();
        Args args = s.encode(command);
        if (args == null) {
            return ANY;
        }
        if (!known(args)) {
            return UNKNOWN;
        }
        int slot = ANY;
        for (int i : KeyPositions.keyIndexes(args)) {
            int k = args.slotOf(i);
            if (slot == ANY) {
                slot = k;
            } else if (k != slot) {
                return CROSS;
            }
        }
        return slot;
    }

    private static boolean known(Args args) {
        if (!KeyPositions.known(args)) {
            return false;
        }
        Set<String> f = forgotten;
        return f.isEmpty() || !f.contains(new String(args.get(0), java.nio.charset.StandardCharsets.UTF_8)
                .toUpperCase(java.util.Locale.ROOT));
    }

    /**
     * The slot of {@code command} by a rule learned from the server: the first key's slot ({@link #ANY} when the rule
     * finds none). A key of another slot among the rest is the server's to refuse (CROSSSLOT).
     */
    static int slot(IoCommand command, KeyRules.Rule rule) {
        Args args = SCRATCH.get().encode(command);
        if (args == null) {
            return ANY;
        }
        int at = rule.firstKey(args.size());
        return at < 0 ? ANY : args.slotOf(at);
    }

    /** Every slot {@code command}'s keys hash to, in ascending order: for the message that refuses it. */
    public static TreeSet<Integer> slots(IoCommand command) {
        TreeSet<Integer> slots = new TreeSet<>();
        Args args = SCRATCH.get().encode(command);
        if (args != null && KeyPositions.known(args)) {
            for (int i : KeyPositions.keyIndexes(args)) {
                slots.add(args.slotOf(i));
            }
        }
        return slots;
    }

    /**
     * {@code command}'s keys (as UTF-8 text) and their slots, in argument order, at most {@code limit} of them: for
     * messages that must name the keys that do not fit one slot.
     */
    public static String keysAndSlots(IoCommand command, int limit) {
        Args args = SCRATCH.get().encode(command);
        if (args == null || !KeyPositions.known(args)) {
            return "";
        }
        StringBuilder b = new StringBuilder();
        int[] keys = KeyPositions.keyIndexes(args);
        for (int n = 0; n < keys.length; n++) {
            if (n == limit) {
                b.append(", ... (").append(keys.length - limit).append(" more)");
                break;
            }
            b.append(n == 0 ? "" : ", ").append('\'')
                    .append(new String(args.get(keys[n]), java.nio.charset.StandardCharsets.UTF_8))
                    .append("' → ").append(args.slotOf(keys[n]));
        }
        return b.toString();
    }

    /** Every argument of {@code command}, name first, copied out: for splitting a command by slot (a cold path). */
    public static List<byte[]> arguments(IoCommand command) {
        Args args = SCRATCH.get().encode(command);
        if (args == null) {
            throw new IllegalArgumentException(command.name() + " did not encode as one RESP array of bulk strings");
        }
        List<byte[]> copy = new java.util.ArrayList<>(args.size());
        for (int i = 0; i < args.size(); i++) {
            copy.add(args.get(i));
        }
        return copy;
    }

    /** One thread's buffer and argument offsets, reused from command to command. */
    private static final class Scratch {
        /** The largest scratch buffer a thread keeps between commands. */
        private static final int KEPT_BYTES = 1 << 20;
        private final RespWriter writer = new RespWriter();
        private byte[] buffer = new byte[4096];
        private final Args args = new Args();

        Args encode(IoCommand command) {
            writer.wrap(buffer, 0, buffer.length);
            command.encode(writer);
            byte[] into = buffer;
            if (writer.overflowed()) {
                into = new byte[Math.toIntExact(Math.max(writer.required(), buffer.length * 2L))];
                if (into.length <= KEPT_BYTES) {
                    buffer = into; // a large command once is no reason to keep a large buffer for good
                }
                writer.wrap(into, 0, into.length);
                command.encode(writer);
            }
            return args.parse(into, (int) writer.position()) ? args : null;
        }
    }

    /**
     * The arguments of one encoded command ({@code *N\r\n} then N times {@code $len\r\n bytes \r\n}), as offsets
     * into the scratch buffer; {@link #get} copies an argument out only when a key rule asks for it.
     */
    private static final class Args extends AbstractList<byte[]> {
        private byte[] bytes;
        private int[] start = new int[16];
        private int[] length = new int[16];
        private int count;

        boolean parse(byte[] b, int end) {
            bytes = b;
            int pos = 0;
            if (end < 4 || b[pos] != '*') {
                return false;
            }
            int[] cursor = {1};
            int n = number(b, cursor);
            pos = cursor[0] + 2;
            if (n <= 0) {
                return false;
            }
            if (n > start.length) {
                start = Arrays.copyOf(start, n);
                length = Arrays.copyOf(length, n);
            }
            for (int i = 0; i < n; i++) {
                if (pos >= end || b[pos] != '$') {
                    return false;
                }
                cursor[0] = pos + 1;
                int len = number(b, cursor);
                start[i] = cursor[0] + 2;
                length[i] = len;
                pos = start[i] + len + 2;
            }
            count = n;
            return true;
        }

        private static int number(byte[] b, int[] cursor) {
            int i = cursor[0];
            int n = 0;
            while (b[i] != '\r') {
                n = n * 10 + (b[i++] - '0');
            }
            cursor[0] = i;
            return n;
        }

        int slotOf(int i) {
            return Slots.slot(bytes, start[i], length[i]);
        }

        @Override public byte[] get(int i) {
            return Arrays.copyOfRange(bytes, start[i], start[i] + length[i]);
        }

        @Override public int size() {
            return count;
        }
    }
}
