package io.respin.engine.connection;

import java.util.Arrays;

/**
 * A growable FIFO ring of requests, each with three small pieces of bookkeeping: its {@link CommandKind} (read once,
 * when it is recorded), how many replies it still expects (subscribe confirmations; -1 = "decide when the first
 * arrives") and whether the caller abandoned it. An abandoned slot drops its reference to the request: the caller
 * may reuse or clear that object at once (a timed-out sync call does), so the engine never calls it again — the
 * late reply is framed by the kind kept here and discarded.
 * Capacity is a power of two and only grows, so steady-state add/poll allocate nothing.
 *
 * <pre>
 *   items: [ . . h0 h1 h2 h3 . . ]     head → h0 (oldest, the one the next reply belongs to)
 *                ^head       ^head+size
 * </pre>
 */
final class RequestRing {
    private Request[] items;
    private CommandKind[] kinds;
    private int[] expected;
    private boolean[] abandoned;
    private int head;
    private int size;
    /** Requests polled (ended) since the ring was made: a reply boundary counter. */
    private long polled;

    RequestRing(int initialCapacity) {
        int cap = Integer.highestOneBit(Math.max(2, initialCapacity - 1)) << 1;
        items = new Request[cap];
        kinds = new CommandKind[cap];
        expected = new int[cap];
        abandoned = new boolean[cap];
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    void add(Request r, CommandKind kind, int expect) {
        add(r, kind, expect, false);
    }

    void add(Request r, CommandKind kind, int expect, boolean isAbandoned) {
        if (size == items.length) {
            grow();
        }
        int i = (head + size) & (items.length - 1);
        items[i] = isAbandoned ? null : r;
        kinds[i] = kind;
        expected[i] = expect;
        abandoned[i] = isAbandoned;
        size++;
    }

    /** The i-th oldest request's kind, as recorded (also for an abandoned one). */
    CommandKind kind(int i) {
        return kinds[(head + i) & (items.length - 1)];
    }

    /** The i-th oldest request (0 = head); null when it was abandoned. */
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
                items[j] = null; // the caller may reuse or clear it from now on: never touch it again
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
        kinds[i] = null;
        head = (head + 1) & (items.length - 1);
        size--;
        polled++;
        return r;
    }

    /** How many requests have been polled so far. */
    long polled() {
        return polled;
    }

    void clear() {
        Arrays.fill(items, null);
        Arrays.fill(kinds, null);
        head = 0;
        size = 0;
    }

    private void grow() {
        int cap = items.length;
        Request[] ni = new Request[cap << 1];
        CommandKind[] nk = new CommandKind[cap << 1];
        int[] ne = new int[cap << 1];
        boolean[] na = new boolean[cap << 1];
        for (int k = 0; k < size; k++) {
            int j = (head + k) & (cap - 1);
            ni[k] = items[j];
            nk[k] = kinds[j];
            ne[k] = expected[j];
            na[k] = abandoned[j];
        }
        items = ni;
        kinds = nk;
        expected = ne;
        abandoned = na;
        head = 0;
    }
}
