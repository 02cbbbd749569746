package io.respin.engine.command;

import io.respin.engine.resp.RespWriter;

/**
 * Options of ZADD: NX/XX (only add / only update), GT/LT (only update when greater/less), CH (count changed
 * members, not only added ones).
 *
 * <pre>{@code
 * long changed = redis.zadd("board", new ZAddArgs().gt().ch(), 42.0, "ann");
 * }</pre>
 */
public final class ZAddArgs {
    private String exists;
    private String compare;
    private boolean ch;

    public ZAddArgs nx() {
        exists = "NX";
        return this;
    }

    public ZAddArgs xx() {
        exists = "XX";
        return this;
    }

    public ZAddArgs gt() {
        compare = "GT";
        return this;
    }

    public ZAddArgs lt() {
        compare = "LT";
        return this;
    }

    public ZAddArgs ch() {
        ch = true;
        return this;
    }

    int count() {
        return (exists == null ? 0 : 1) + (compare == null ? 0 : 1) + (ch ? 1 : 0);
    }

    void write(RespWriter w) {
        if (exists != null) {
            w.arg(exists);
        }
        if (compare != null) {
            w.arg(compare);
        }
        if (ch) {
            w.arg("CH");
        }
    }
}
