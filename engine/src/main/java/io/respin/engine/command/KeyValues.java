package io.respin.engine.command;

import java.util.List;

/**
 * Values popped from one key (LMPOP, ZMPOP's members, BLPOP's single value): which key they came from and what.
 *
 * <pre>{@code
 * KeyValues<String, String> p = redis.lmpop(ListEnd.LEFT, 10, "q1", "q2");
 * if (p != null) handle(p.key(), p.values());
 * }</pre>
 */
public record KeyValues<K, V>(K key, List<V> values) {
}
