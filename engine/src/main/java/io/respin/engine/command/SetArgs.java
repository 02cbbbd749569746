package io.respin.engine.command;

import io.respin.engine.resp.RespWriter;
import java.time.Duration;
import java.time.Instant;

/**
 * Options of SET: expiry (EX/PX/EXAT/PXAT/KEEPTTL) and condition (NX/XX). Build it fluently; it is a small
 * mutable value, so build one per call or share one you no longer change.
 *
 * <pre>{@code
 * boolean created = redis.set("lock", "me", new SetArgs().px(Duration.ofSeconds(30)).nx());
 * }</pre>
 */
public final class SetArgs {
    private String expiry;
    private long expiryValue;
    private String condition;

    /** EX seconds (whole seconds of the duration). */
    public SetArgs ex(Duration ttl) {
        return expiry("EX", ttl.toSeconds());
    }

    /** PX milliseconds. */
    public SetArgs px(Duration ttl) {
        return expiry("PX", ttl.toMillis());
    }

    /** EXAT unix-seconds. */
    public SetArgs exAt(Instant at) {
        return expiry("EXAT", at.getEpochSecond());
    }

    /** PXAT unix-milliseconds. */
    public SetArgs pxAt(Instant at) {
        return expiry("PXAT", at.toEpochMilli());
    }

    /** KEEPTTL: keep the key's current time to live. */
    public SetArgs keepTtl() {
        return expiry("KEEPTTL", -1);
    }

    /** NX: only set when the key does not exist. */
    public SetArgs nx() {
        condition = "NX";
        return this;
    }

    /** XX: only set when the key exists. */
    public SetArgs xx() {
        condition = "XX";
        return this;
    }

    private SetArgs expiry(String kind, long value) {
        expiry = kind;
        expiryValue = value;
        return this;
    }

    int count() {
        return (expiry == null ? 0 : expiryValue >= 0 ? 2 : 1) + (condition == null ? 0 : 1);
    }

    void write(RespWriter w) {
        if (expiry != null) {
            w.arg(expiry);
            if (expiryValue >= 0) {
                w.arg(expiryValue);
            }
        }
        if (condition != null) {
            w.arg(condition);
        }
    }
}
