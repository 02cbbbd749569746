package io.respin.engine.command;

import java.util.Map;

/**
 * One stream entry: its id ("1700000000000-0") and its fields in order (XRANGE, XREAD, XREADGROUP, XCLAIM).
 *
 * <pre>{@code
 * for (StreamEntry<String, String> e : redis.xrange("events", "-", "+")) handle(e.id(), e.fields());
 * }</pre>
 */
public record StreamEntry<K, V>(String id, Map<K, V> fields) {
}
