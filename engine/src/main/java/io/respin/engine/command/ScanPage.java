package io.respin.engine.command;

import java.util.List;

/**
 * One reply of SCAN, SSCAN, HSCAN or ZSCAN: the cursor to continue from ("0" when the iteration is over) and
 * the items of this page. Most users iterate with {@code scanIterator} instead.
 *
 * <pre>{@code
 * String cursor = "0";
 * do { ScanPage<String> p = redis.scan(cursor, ScanArgs.match("user:*")); cursor = p.cursor(); use(p.items()); }
 * while (!p.isLast());
 * }</pre>
 */
public record ScanPage<T>(String cursor, List<T> items) {
    /** True when the server returned cursor 0: the iteration is complete. */
    public boolean isLast() {
        return "0".equals(cursor);
    }
}
