package io.respin.engine.command;

import io.respin.engine.connection.CommandKind;
import io.respin.engine.connection.Request;
import io.respin.engine.resp.RespHandler;
import io.respin.engine.resp.RespWriter;

/**
 * One command, defined once and used by both clients: how its arguments are written and how its reply becomes a
 * Java value. It is sans-IO — a transport calls {@link #encode}, feeds the reply's tokens to
 * {@link #replyHandler()}, and then reads {@link #result()}. A command object is used for one request.
 *
 * <pre>{@code
 * Command<Long> incr = new Command<>("INCR", w -> w.array(2).arg("INCR").arg("hits"), Decoders.integer());
 * // transport: incr.encode(writer); parser.parse(in, off, len, incr.replyHandler()); ...
 * long hits = incr.result();
 * }</pre>
 *
 * @param <T> the Java value of the reply
 */
public final class Command<T> extends ReplyReader<T> implements Request {
    private String name;
    private CommandKind kind;
    private int channelCount;
    private Args args;
    private boolean blocking;
    private long blockNanos = -1;
    /** Bytes of argument values the command holds until it is written (see {@link #weight()}). */
    private long weight;
    /** 0: not asked yet (the name decides, looked up once); 1: read-only; 2: not. */
    private byte readOnly;

    public Command(String name, Args args, Decoder<T> decoder) {
        this(name, CommandKind.PLAIN, 0, args, decoder);
    }

    public Command(String name, CommandKind kind, int channelCount, Args args, Decoder<T> decoder) {
        super(name, decoder); // the command reads its own reply: no separate reader object per call
        this.name = name;
        this.kind = kind;
        this.channelCount = channelCount;
        this.args = args;
    }

    /** A {@link CommandScratch}'s command, made new for another plain command. */
    void rearm(String name, Args args, Decoder<T> decoder) {
        super.rearm(name, decoder);
        this.name = name;
        this.kind = CommandKind.PLAIN;
        this.channelCount = 0;
        this.args = args;
        this.blocking = false;
        this.blockNanos = -1;
        this.weight = 0;
        this.readOnly = 0;
    }

    /** The command's name, as in error messages ("GET", "CONFIG GET"). */
    public String name() {
        return name;
    }

    @Override public void encode(RespWriter w) {
        args.write(w);
    }

    @Override public RespHandler replyHandler() {
        return this;
    }

    @Override public CommandKind kind() {
        return kind;
    }

    @Override public int channelCount() {
        return channelCount;
    }

    /**
     * Marks the command as one that waits on the server (BLPOP, XREAD BLOCK, WAIT...), so that a transport runs
     * it on a connection of its own instead of stalling the shared pipeline. Returns this command.
     */
    public Command<T> blocking() {
        this.blocking = true;
        return this;
    }

    /**
     * {@link #blocking()} with the time the server may block for it ({@code 0}: until there is something to
     * return): the transport's deadline is then this block time plus the command timeout, or none for 0.
     */
    public Command<T> blocking(java.time.Duration block) {
        this.blocking = true;
        this.blockNanos = block.isNegative() ? -1 : block.toNanos();
        return this;
    }

    /** How long the server may block for this command: 0 = without limit, -1 = not known or not blocking. */
    public long blockNanos() {
        return blockNanos;
    }

    /**
     * True for a command the server flags read-only (GET, HGETALL, ZRANGE...; see {@link ReadOnlyCommands}): running
     * it twice has the outcome of running it once, so a transport may send it again after a connection loss
     * caught it on the wire. Looked up by name the first time it is asked (only a connection loss asks).
     */
    public boolean isReadOnly() {
        byte r = readOnly;
        if (r == 0) {
            r = ReadOnlyCommands.contains(name) ? (byte) 1 : (byte) 2;
            readOnly = r;
        }
        return r == 1;
    }

    /** Overrides what the name says about {@link #isReadOnly()}: for a generic command whose name is not enough. */
    public Command<T> readOnly(boolean readOnly) {
        this.readOnly = readOnly ? (byte) 1 : (byte) 2;
        return this;
    }

    /**
     * Roughly the bytes of argument values this command holds until a transport has written it (the values of SET,
     * MSET, HSET, RPUSH..., as their codec weighs them; 0 for commands whose arguments are small): what a transport
     * counts against its bound in bytes.
     */
    public long weight() {
        return weight;
    }

    /** Sets {@link #weight()}; returns this command. */
    public Command<T> weigh(long bytes) {
        this.weight = bytes;
        return this;
    }

    /** True for commands that wait on the server; see {@link #blocking()}. */
    public boolean isBlocking() {
        return blocking;
    }

    /**
     * The reply's value; throws when the reply did not decode (or held an error inside an aggregate). The
     * SUBSCRIBE family is confirmed by the connection itself (the confirmations are routed like pushes), so its
     * value is null when no tokens reached it.
     */
    @Override public T result() {
        if (!isDone() && confirmedByConnection()) {
            return null;
        }
        return super.result();
    }

    private boolean confirmedByConnection() {
        return switch (kind) {
            case SUBSCRIBE, PSUBSCRIBE, SSUBSCRIBE, UNSUBSCRIBE, PUNSUBSCRIBE, SUNSUBSCRIBE -> true;
            default -> false;
        };
    }

    @Override public String toString() {
        return name;
    }

    /** Writes a command's RESP array: {@code w -> w.array(2).arg("GET").arg(key)}. */
    @FunctionalInterface
    public interface Args {
        void write(RespWriter w);
    }
}
