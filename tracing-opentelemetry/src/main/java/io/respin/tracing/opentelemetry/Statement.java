package io.respin.tracing.opentelemetry;

import io.respin.engine.cluster.KeyPositions;
import io.respin.engine.resp.RespHandler;
import io.respin.engine.resp.RespParser;
import io.respin.engine.resp.RespType;
import io.respin.engine.resp.RespWriter;
import io.respin.io.IoCommand;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A command's {@code db.query.text} with its values hidden, as the semantic conventions recommend for sanitising a
 * statement: the name, then each key as it is, every other argument as {@code ?} — {@code SET user:1 ?},
 * {@code HSET h ? ?}, {@code MGET a b}. Which arguments are keys comes from the engine's key table
 * ({@link KeyPositions}, the one the cluster client routes by); a command it does not know shows its name and a
 * {@code ?} per argument. The command is encoded once into a scratch buffer of the calling thread to read its
 * arguments; a command over {@value #LARGEST} bytes is not encoded for it (its text is its name and {@code ...}).
 *
 * <pre>{@code
 * String text = Statement.of(command);   // "SET user:1 ?"
 * }</pre>
 */
final class Statement {

    /** Commands larger than this are not encoded to find their keys. */
    static final int LARGEST = 1 << 20;
    /** A key longer than this is cut (with "..."): a statement is for reading, not for the data. */
    static final int KEY_CHARS = 256;

    private static final ThreadLocal<RespWriter> WRITER = ThreadLocal.withInitial(RespWriter::new);
    private static final ThreadLocal<byte[][]> BUFFER = ThreadLocal.withInitial(() -> new byte[][] {new byte[4096]});

    private Statement() {
    }

    /** The text of {@code command}, values hidden. */
    static String of(IoCommand command) {
        List<byte[]> args = arguments(command);
        String name = command.name();
        if (args == null) {
            return name + " ...";
        }
        int nameWords = name.isEmpty() ? 1 : name.split(" ").length;
        boolean[] key = new boolean[args.size()];
        if (KeyPositions.known(args)) {
            for (int i : KeyPositions.keyIndexes(args)) {
                key[i] = true;
            }
        }
        StringBuilder b = new StringBuilder(name);
        for (int i = Math.min(nameWords, args.size()); i < args.size(); i++) {
            b.append(' ');
            if (key[i]) {
                String k = new String(args.get(i), StandardCharsets.UTF_8);
                b.append(k.length() > KEY_CHARS ? k.substring(0, KEY_CHARS) + "..." : k);
            } else {
                b.append('?');
            }
        }
        return b.toString();
    }

    /** The arguments of {@code command}'s encoding (one RESP array of bulk strings), or null if not that or too large. */
    private static List<byte[]> arguments(IoCommand command) {
        RespWriter w = WRITER.get();
        byte[][] held = BUFFER.get();
        byte[] buf = held[0];
        w.wrap(buf, 0, buf.length);
        command.encode(w);
        if (w.overflowed()) {
            if (w.required() > LARGEST) {
                return null;
            }
            buf = held[0] = new byte[(int) w.required()];
            w.wrap(buf, 0, buf.length);
            command.encode(w);
        }
        return parse(buf, (int) w.position());
    }

    /**
     * The bulk strings of one encoded command, read back with the engine's own parser (a command is a RESP array of
     * bulk strings); null for anything else.
     */
    private static List<byte[]> parse(byte[] b, int end) {
        List<byte[]> args = new ArrayList<>();
        boolean[] other = {false};
        RespHandler collect = new RespHandler.Adapter() {
            @Override public void onString(RespType type, MemorySegment data, long offset, long length) {
                args.add(data.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE));
            }

            @Override public void onInteger(long value) {
                other[0] = true;
            }
        };
        long used = new RespParser().parse(b, 0, end, collect);
        return used == end && !other[0] && !args.isEmpty() ? args : null;
    }
}
