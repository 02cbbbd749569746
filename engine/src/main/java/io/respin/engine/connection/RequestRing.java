package io.respin.engine.connection;

import java.util.Arrays;

/**
 * A growable FIFO ring of requests, each with two small pieces of bookkeeping: how many replies it still expects
 * (subscribe confirmations; -1 = "decide when the first arrives") and whether the caller abandoned it.
 * Capacity is a power of two and only grows, so steady-state add/poll allocate nothing.
 *
 * <pre>
 *   items: [ . . h0 h1 h2 h3 . . ]     head → h0 (oldest, the one the next reply belongs to)
 *                ^head       ^head+size
 * </pre>
 */
final class RequestRing {
    private Request[] items;
    private int[] expected;
    private boolean[] abandoned;
    private int head;
    private int size;

    RequestRing(int initialCapacity) {
        int cap = Integer.highestOneBit(Math.max(2, initialCapacity - 1)) << 1;
        items = new Request[cap];
        expected = new int[cap];
        abandoned = new boolean[cap];
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    void add(Request r, int expect) {
        add(r, expect, false);
    }

    void add(Request r, int expect, boolean isAbandoned) {
        if (size == items.length) {
            grow();
        }
        int i = (head + size) & (items.length - 1);
        items[i] = r;
        expected[i] = expect;
        abandoned[i] = isAbandoned;
        size++;
    }

    /** The i-th oldest request (0 = head). */
    Request get(int i) {
        return items[(head + i) & (items.length - 1)];
    }

    int expected(int i) {
        return expected[(head + i) & (items.length - 1)];
    }

    void setExpected(int i, int v) {
        expected[(head + i) & (items.length - 1)] = v;
    }

    boolean abandoned(int i) {
        return abandoned[(head + i) & (items.length - 1)];
    }

    /** Marks the first occurrence of {@code r}; false when it is not here. Cold path: a linear scan. */
    boolean abandon(Request r) {
        for (int i = 0; i < size; i++) {
            int j = (head + i) & (items.length - 1);
            if (items[j] == r && !abandoned[j]) {
                abandoned[j] = true;
                return true;
            }
        }
        return false;
    }

    /** Removes and returns the head. */
    Request poll() {
        int i = head;
        Request r = items[i];
        items[i] = null; // drop the reference: the transport may pool its command objects
        head = (head + 1) & (items.length - 1);
        size--;
        return r;
    }

    void clear() {
        Arrays.fill(items, null);
        head = 0;
        size = 0;
    }

    private void grow() {
        int cap = items.length;
        Request[] ni = new Request[cap << 1];
        int[] ne = new int[cap << 1];
        boolean[] na = new boolean[cap << 1];
        for (int k = 0; k < size; k++) {
            int j = (head + k) & (cap - 1);
            ni[k] = items[j];
            ne[k] = expected[j];
            na[k] = abandoned[j];
        }
        items = ni;
        expected = ne;
        abandoned = na;
        head = 0;
    }
}
