package io.respin.engine.connection;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The channels, patterns and shard channels the server has confirmed, in confirmation order: the connection
 * knows from them when it leaves subscribed mode, and a reconnect subscribes to them again. Names are raw bytes
 * (keyed by their Latin-1 reading, which maps every byte sequence to a distinct string). Cold path: it changes
 * only on (un)subscribe confirmations.
 *
 * <pre>{@code
 * int before = subscriptions.apply("unsubscribe", "news".getBytes(UTF_8));
 * }</pre>
 */
final class Subscriptions {
    static final int CHANNEL = 0, PATTERN = 1, SHARD = 2;
    static final String SUBSCRIBE = "subscribe", PSUBSCRIBE = "psubscribe", SSUBSCRIBE = "ssubscribe",
            UNSUBSCRIBE = "unsubscribe", PUNSUBSCRIBE = "punsubscribe", SUNSUBSCRIBE = "sunsubscribe";

    private final List<Map<String, byte[]>> families =
            List.of(new LinkedHashMap<>(), new LinkedHashMap<>(), new LinkedHashMap<>());

    /** All confirmed subscriptions; the connection is in subscribed mode while this is above zero. */
    int count() {
        return families.get(CHANNEL).size() + families.get(PATTERN).size() + families.get(SHARD).size();
    }

    /**
     * Applies a confirmation ({@code kind} as the server spells it) for {@code name} (null when an
     * unsubscribe-all found nothing to drop); returns how many subscriptions of that family there were before.
     */
    int apply(String kind, byte[] name) {
        Map<String, byte[]> family = families.get(switch (kind) {
            case SUBSCRIBE, UNSUBSCRIBE -> CHANNEL;
            case PSUBSCRIBE, PUNSUBSCRIBE -> PATTERN;
            default -> SHARD;
        });
        int before = family.size();
        if (name != null) {
            String key = new String(name, StandardCharsets.ISO_8859_1);
            if (kind.contains(UNSUBSCRIBE)) {
                family.remove(key);
            } else {
                family.put(key, name);
            }
        }
        return before;
    }

    /** The raw names of one family, for re-subscribing. */
    List<byte[]> names(int family) {
        return new ArrayList<>(families.get(family).values());
    }

    /** The names of one family as UTF-8 text. */
    List<String> texts(int family) {
        List<String> out = new ArrayList<>();
        for (byte[] b : families.get(family).values()) {
            out.add(new String(b, StandardCharsets.UTF_8));
        }
        return out;
    }

    void clear() {
        for (Map<String, byte[]> m : families) {
            m.clear();
        }
    }

    /** The confirmation kind a command is answered with, or "" for commands that are not (un)subscribes. */
    static String confirmationOf(CommandKind k) {
        return switch (k) {
            case SUBSCRIBE -> SUBSCRIBE;
            case PSUBSCRIBE -> PSUBSCRIBE;
            case SSUBSCRIBE -> SSUBSCRIBE;
            case UNSUBSCRIBE -> UNSUBSCRIBE;
            case PUNSUBSCRIBE -> PUNSUBSCRIBE;
            case SUNSUBSCRIBE -> SUNSUBSCRIBE;
            default -> "";
        };
    }
}
