package io.respin.io.loop;

import io.respin.RedisException;
import io.respin.RedisTimeoutException;
import io.respin.engine.connection.CommandKind;
import io.respin.engine.resp.RespHandler;
import io.respin.engine.resp.RespWriter;

/**
 * The PING a link sends after the idle-ping setting's time without a byte from the server: a reply proves
 * the peer alive; no reply by the deadline means the socket is dead without having said so (a pulled cable, a
 * silent middlebox), and the link reconnects instead of letting commands time out one by one.
 */
final class IdlePing extends Submission { // armed and ended by the duty holder; never counted in maxPendingCommands
    private static final RespHandler IGNORE = new RespHandler.Adapter();
    private final Link owner;

    IdlePing(Link owner) {
        super(false);
        this.owner = owner;
    }

    @Override protected long timeoutNanos() { return -1; } // armed with its own timeout as the default

    @Override protected boolean blocking() { return false; }

    @Override protected long blockNanos() { return -1; }

    @Override protected boolean idempotent() { return false; }

    @Override protected long weight() { return 0; }

    @Override protected void onSubmit() {
    }

    @Override protected void onResend() {
    }

    @Override public void encode(RespWriter w) { w.array(1).arg("PING"); }

    @Override public RespHandler replyHandler() { return IGNORE; }

    @Override public CommandKind kind() { return CommandKind.PING; } // allowed on a RESP2-subscribed link too

    @Override public String name() { return "PING (idle check)"; }

    @Override protected void completed() {
    }

    @Override protected void failed(RedisException error) {
        if (error instanceof RedisTimeoutException) {
            owner.lost("the server did not answer an idle PING in time; the connection is presumed dead", error,
                    System.nanoTime());
        }
    }
}
