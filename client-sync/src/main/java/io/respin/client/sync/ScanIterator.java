package io.respin.client.sync;

import io.respin.engine.command.ScanPage;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Function;

/**
 * Walks a SCAN-family cursor lazily: fetches the next page only when the current one is used up, and ends when
 * the server returns cursor 0. Redis guarantees every element present for the whole iteration is returned at
 * least once (an element may come twice if the keyspace is rehashed meanwhile).
 *
 * <pre>{@code
 * Iterator<String> it = redis.scanIterator(new ScanArgs().match("user:*"));
 * while (it.hasNext()) visit(it.next());
 * }</pre>
 */
final class ScanIterator<T> implements Iterator<T> {
    private final Function<String, ScanPage<T>> fetch;
    private String cursor = "0";
    private boolean started;
    private List<T> page = List.of();
    private int index;

    ScanIterator(Function<String, ScanPage<T>> fetch) {
        this.fetch = fetch;
    }

    @Override
    public boolean hasNext() {
        while (index == page.size()) {
            if (started && "0".equals(cursor)) {
                return false;
            }
            ScanPage<T> p = fetch.apply(cursor);
            started = true;
            cursor = p.cursor();
            page = p.items();
            index = 0;
        }
        return true;
    }

    @Override
    public T next() {
        if (!hasNext()) {
            throw new NoSuchElementException("the SCAN iteration is complete");
        }
        return page.get(index++);
    }
}
