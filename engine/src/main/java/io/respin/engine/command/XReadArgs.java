package io.respin.engine.command;

import io.respin.engine.resp.RespWriter;
import java.time.Duration;

/**
 * Options of XREAD and XREADGROUP: COUNT, BLOCK milliseconds, and (XREADGROUP) NOACK.
 *
 * <pre>{@code
 * var batch = redis.xread(new XReadArgs().count(100).block(Duration.ofSeconds(1)), Map.of("events", "$"));
 * }</pre>
 */
public final class XReadArgs {
    private long count = -1;
    private long blockMillis = -1;
    private boolean noAck;

    public XReadArgs count(long n) {
        count = n;
        return this;
    }

    /** BLOCK: wait up to this long for entries (0 waits forever). The command goes on a dedicated connection. */
    public XReadArgs block(Duration timeout) {
        blockMillis = timeout.toMillis();
        return this;
    }

    public XReadArgs noAck() {
        noAck = true;
        return this;
    }

    /** How long the read may block on the server (0: until an entry comes); meaningful when {@link #blocks()}. */
    public java.time.Duration blockTimeout() {
        return java.time.Duration.ofMillis(Math.max(0, blockMillis));
    }

    /** True when the read blocks on the server. */
    public boolean blocks() {
        return blockMillis >= 0;
    }

    int count(boolean group) {
        return (count < 0 ? 0 : 2) + (blockMillis < 0 ? 0 : 2) + (group && noAck ? 1 : 0);
    }

    void write(RespWriter w, boolean group) {
        if (count >= 0) {
            w.arg("COUNT").arg(count);
        }
        if (blockMillis >= 0) {
            w.arg("BLOCK").arg(blockMillis);
        }
        if (group && noAck) {
            w.arg("NOACK");
        }
    }
}
