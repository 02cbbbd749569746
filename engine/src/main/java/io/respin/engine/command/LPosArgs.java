package io.respin.engine.command;

import io.respin.engine.resp.RespWriter;

/**
 * Options of LPOS: RANK (which match, negative from the tail) and MAXLEN (compare at most this many elements).
 *
 * <pre>{@code
 * Long second = redis.lpos("l", "x", new LPosArgs().rank(2));
 * }</pre>
 */
public final class LPosArgs {
    private long rank;
    private long maxLen = -1;

    public LPosArgs rank(long rank) {
        this.rank = rank;
        return this;
    }

    public LPosArgs maxLen(long maxLen) {
        this.maxLen = maxLen;
        return this;
    }

    int count() {
        return (rank == 0 ? 0 : 2) + (maxLen < 0 ? 0 : 2);
    }

    void write(RespWriter w) {
        if (rank != 0) {
            w.arg("RANK").arg(rank);
        }
        if (maxLen >= 0) {
            w.arg("MAXLEN").arg(maxLen);
        }
    }
}
