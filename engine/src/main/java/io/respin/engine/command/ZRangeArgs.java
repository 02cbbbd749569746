package io.respin.engine.command;

import io.respin.engine.resp.RespWriter;

/**
 * Options of ZRANGE (Redis 6.2+ form): by rank (default), BYSCORE or BYLEX, REV, and LIMIT offset count. With
 * BYSCORE, bounds are scores ("1", "(1", "-inf", "+inf"); with BYLEX, "[a", "(a", "-", "+".
 *
 * <pre>{@code
 * List<String> top = redis.zrange("board", "+inf", "0", new ZRangeArgs().byScore().rev().limit(0, 10));
 * }</pre>
 */
public final class ZRangeArgs {
    private String by;
    private boolean rev;
    private long offset = -1;
    private long limit;

    public ZRangeArgs byScore() {
        by = "BYSCORE";
        return this;
    }

    public ZRangeArgs byLex() {
        by = "BYLEX";
        return this;
    }

    public ZRangeArgs rev() {
        rev = true;
        return this;
    }

    public ZRangeArgs limit(long offset, long count) {
        this.offset = offset;
        this.limit = count;
        return this;
    }

    int count() {
        return (by == null ? 0 : 1) + (rev ? 1 : 0) + (offset < 0 ? 0 : 3);
    }

    void write(RespWriter w) {
        if (by != null) {
            w.arg(by);
        }
        if (rev) {
            w.arg("REV");
        }
        if (offset >= 0) {
            w.arg("LIMIT").arg(offset).arg(limit);
        }
    }
}
