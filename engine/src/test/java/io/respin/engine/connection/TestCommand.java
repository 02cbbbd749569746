package io.respin.engine.connection;

import io.respin.engine.resp.Reply;
import io.respin.engine.resp.ReplyAssembler;
import io.respin.engine.resp.RespHandler;
import io.respin.engine.resp.RespWriter;
import io.respin.engine.resp.CanonicalForm;

/** A generic command for tests: string arguments, a kind, and a ReplyAssembler that keeps its replies. */
final class TestCommand implements Request {
    final String[] args;
    final CommandKind kind;
    final ReplyAssembler replies = new ReplyAssembler();

    TestCommand(CommandKind kind, String... args) {
        this.kind = kind;
        this.args = args;
    }

    static TestCommand of(String... args) {
        String[] rest = new String[args.length - 1];
        System.arraycopy(args, 1, rest, 0, rest.length);
        return new TestCommand(CommandKind.of(args[0], rest), args);
    }

    @Override public void encode(RespWriter w) {
        w.array(args.length);
        for (String a : args) {
            w.arg(a);
        }
    }

    @Override public RespHandler replyHandler() {
        return replies;
    }

    @Override public CommandKind kind() {
        return kind;
    }

    @Override public int channelCount() {
        return switch (kind) {
            case SUBSCRIBE, PSUBSCRIBE, SSUBSCRIBE, UNSUBSCRIBE, PUNSUBSCRIBE, SUNSUBSCRIBE -> args.length - 1;
            default -> 0;
        };
    }

    /** The next reply delivered to this command, in the decode tool's canonical form, or null. */
    String reply() {
        Reply r = replies.poll();
        return r == null ? null : CanonicalForm.of(r);
    }

    @Override public String toString() {
        return String.join(" ", args);
    }
}
