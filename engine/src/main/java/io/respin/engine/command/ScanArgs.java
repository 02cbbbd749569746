package io.respin.engine.command;

import io.respin.engine.resp.RespWriter;

/**
 * Options of SCAN, SSCAN, HSCAN and ZSCAN: MATCH pattern, COUNT hint and (SCAN only) TYPE.
 *
 * <pre>{@code
 * redis.scanIterator(new ScanArgs().match("user:*").count(500)).forEachRemaining(this::visit);
 * }</pre>
 */
public final class ScanArgs {
    private String match;
    private long count = -1;
    private String type;

    /** MATCH pattern; null (the default) matches everything. */
    public ScanArgs match(String pattern) {
        this.match = pattern;
        return this;
    }

    public ScanArgs count(long hint) {
        this.count = hint;
        return this;
    }

    /** SCAN only: keys of this type ("string", "hash", "zset", ...); null (the default) is any type. */
    public ScanArgs type(String type) {
        this.type = type;
        return this;
    }

    int count() {
        return (match == null ? 0 : 2) + (count < 0 ? 0 : 2) + (type == null ? 0 : 2);
    }

    void write(RespWriter w) {
        if (match != null) {
            w.arg("MATCH").arg(match);
        }
        if (count >= 0) {
            w.arg("COUNT").arg(count);
        }
        if (type != null) {
            w.arg("TYPE").arg(type);
        }
    }
}
