package io.respin.engine.command;

import io.respin.engine.resp.RespWriter;
import java.util.Objects;

/**
 * Options of XADD: the entry id (default "*", the server picks), NOMKSTREAM, and trimming (MAXLEN or MINID,
 * exact or approximate "~").
 *
 * <pre>{@code
 * String id = redis.xadd("events", new XAddArgs().maxLen(10_000, true), Map.of("type", "click"));
 * }</pre>
 */
public final class XAddArgs {
    private String id = "*";
    private boolean noMkStream;
    private String trim;
    private boolean approximate;
    private String threshold;

    public XAddArgs id(String id) {
        this.id = Objects.requireNonNull(id, "XADD: id is null (leave it unset for \"*\", the server picks)");
        return this;
    }

    public XAddArgs noMkStream() {
        noMkStream = true;
        return this;
    }

    /** MAXLEN [~] n: keep at most about n entries when {@code approximate}. */
    public XAddArgs maxLen(long n, boolean approximate) {
        return trim("MAXLEN", Long.toString(n), approximate);
    }

    /** MINID [~] id: drop entries with smaller ids. */
    public XAddArgs minId(String minId, boolean approximate) {
        return trim("MINID", Objects.requireNonNull(minId, "XADD: minId is null"), approximate);
    }

    private XAddArgs trim(String kind, String value, boolean approx) {
        trim = kind;
        threshold = value;
        approximate = approx;
        return this;
    }

    int count() {
        return 1 + (noMkStream ? 1 : 0) + (trim == null ? 0 : approximate ? 3 : 2);
    }

    void write(RespWriter w) {
        if (noMkStream) {
            w.arg("NOMKSTREAM");
        }
        if (trim != null) {
            w.arg(trim);
            if (approximate) {
                w.arg("~");
            }
            w.arg(threshold);
        }
        w.arg(id);
    }
}
