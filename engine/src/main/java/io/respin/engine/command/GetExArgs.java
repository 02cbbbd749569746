package io.respin.engine.command;

import io.respin.engine.resp.RespWriter;
import java.time.Duration;
import java.time.Instant;

/**
 * Options of GETEX: set a new expiry (EX/PX/EXAT/PXAT) or remove it (PERSIST).
 *
 * <pre>{@code
 * String v = redis.getex("session", new GetExArgs().ex(Duration.ofMinutes(30)));
 * }</pre>
 */
public final class GetExArgs {
    private String kind;
    private long value = -1;

    public GetExArgs ex(Duration ttl) {
        return set("EX", ttl.toSeconds());
    }

    public GetExArgs px(Duration ttl) {
        return set("PX", ttl.toMillis());
    }

    public GetExArgs exAt(Instant at) {
        return set("EXAT", at.getEpochSecond());
    }

    public GetExArgs pxAt(Instant at) {
        return set("PXAT", at.toEpochMilli());
    }

    public GetExArgs persist() {
        return set("PERSIST", -1);
    }

    private GetExArgs set(String k, long v) {
        kind = k;
        value = v;
        return this;
    }

    int count() {
        return kind == null ? 0 : value >= 0 ? 2 : 1;
    }

    void write(RespWriter w) {
        if (kind != null) {
            w.arg(kind);
            if (value >= 0) {
                w.arg(value);
            }
        }
    }
}
