package io.respin.io;

import io.respin.engine.connection.CommandKind;
import io.respin.engine.resp.ReplyAssembler;
import io.respin.engine.resp.Reply;
import io.respin.engine.resp.RespHandler;
import io.respin.engine.resp.RespType;
import io.respin.engine.resp.RespWriter;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/** Small test-side commands: what a client would write, just enough to check values end to end. */
public final class Cmd {
    private Cmd() {
    }

    /** Any command; the reply is assembled into a {@link Reply} (allocates; fine for tests). */
    public static class Generic extends SyncCommand {
        final String[] args;
        final CommandKind kind;
        final ReplyAssembler assembler = new ReplyAssembler();
        Reply reply;

        public Generic(String... args) {
            this(CommandKind.of(args[0], java.util.Arrays.copyOfRange(args, 1, args.length)), args);
        }

        Generic(CommandKind kind, String... args) {
            this.kind = kind;
            this.args = args;
        }

        @Override public void encode(RespWriter w) {
            w.array(args.length);
            for (String a : args) {
                w.arg(a);
            }
        }

        @Override public RespHandler replyHandler() { return assembler; }

        @Override public CommandKind kind() { return kind; }

        @Override public String name() { return args[0].toUpperCase(java.util.Locale.ROOT); }

        @Override public int channelCount() {
            return kind == CommandKind.SUBSCRIBE || kind == CommandKind.PSUBSCRIBE || kind == CommandKind.SSUBSCRIBE
                    || kind == CommandKind.UNSUBSCRIBE || kind == CommandKind.PUNSUBSCRIBE
                    || kind == CommandKind.SUNSUBSCRIBE ? args.length - 1 : 0;
        }

        Reply run(RedisEndpoint e) {
            e.submit(this);
            await();
            return reply();
        }

        Reply reply() {
            if (reply == null) {
                reply = assembler.poll();
            }
            return reply;
        }
    }

    /** A blocking command (BLPOP ...): routed to a pooled dedicated connection. */
    static final class Blocking extends Generic {
        Blocking(String... args) {
            super(args);
        }

        @Override public boolean blocking() { return true; }
    }

    /** INCR key: the integer reply in {@link #value}; allocation-free. */
    static final class Incr extends SyncCommand {
        final byte[] key;
        long value;
        private final RespHandler handler = new RespHandler.Adapter() {
            @Override public void onInteger(long v) { value = v; }
        };

        Incr(String key) {
            this.key = key.getBytes(StandardCharsets.UTF_8);
        }

        @Override public void encode(RespWriter w) { w.array(2).arg("INCR").arg(key); }

        @Override public RespHandler replyHandler() { return handler; }

        @Override public CommandKind kind() { return CommandKind.PLAIN; }

        @Override public String name() { return "INCR"; }
    }

    /** SET key value with byte[] arguments that may be changed between submits; allocation-free. */
    static final class Set extends SyncCommand {
        byte[] key;
        byte[] value;
        boolean ok;
        private final RespHandler handler = new RespHandler.Adapter() {
            @Override public void onString(RespType type, MemorySegment data, long offset, long length) {
                ok = length == 2 && data.get(ValueLayout.JAVA_BYTE, offset) == 'O';
            }
        };

        @Override protected void onSubmit() {
            ok = false;
        }

        @Override public void encode(RespWriter w) { w.array(3).arg("SET").arg(key).arg(value); }

        @Override public RespHandler replyHandler() { return handler; }

        @Override public CommandKind kind() { return CommandKind.PLAIN; }

        @Override public String name() { return "SET"; }
    }

    /** GET key copying the value into a reusable byte[]; allocation-free once the buffer is large enough. */
    static final class Get extends SyncCommand {
        byte[] key;
        byte[] buffer = new byte[64];
        int length = -1;
        private final RespHandler handler = new RespHandler.Adapter() {
            @Override public void onString(RespType type, MemorySegment data, long offset, long len) {
                if (buffer.length < len) {
                    buffer = new byte[(int) len];
                }
                MemorySegment.copy(data, ValueLayout.JAVA_BYTE, offset, buffer, 0, (int) len);
                length = (int) len;
            }

            @Override public void onNull() { length = -1; }
        };

        @Override protected void onSubmit() {
            length = -1;
        }

        String text() {
            return length < 0 ? null : new String(buffer, 0, length, StandardCharsets.UTF_8);
        }

        @Override public void encode(RespWriter w) { w.array(2).arg("GET").arg(key); }

        @Override public RespHandler replyHandler() { return handler; }

        @Override public CommandKind kind() { return CommandKind.PLAIN; }

        @Override public String name() { return "GET"; }
    }

    static String str(Reply r) {
        return r == null ? null : r.asString();
    }
}
