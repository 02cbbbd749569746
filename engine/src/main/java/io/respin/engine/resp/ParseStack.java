package io.respin.engine.resp;

/**
 * The parser's open aggregates, preallocated for the depth limit so that nesting allocates nothing. Level
 * {@code d} is the aggregate whose elements are at depth {@code d + 1}.
 *
 * <pre>
 *   level:      0            1           ...   depth-1
 *   type[]:     ARRAY        MAP               SET
 *   left[]:     elements     elements (2 per   for a streamed aggregate: elements seen so far
 *               still due    pair) still due
 *   streamed[]: false        false             true   (ended by '.', not by a count)
 * </pre>
 */
final class ParseStack {
    private final RespType[] type;
    private final long[] left;
    private final boolean[] streamed;
    private int depth;

    ParseStack(int maxDepth) {
        type = new RespType[maxDepth];
        left = new long[maxDepth];
        streamed = new boolean[maxDepth];
    }

    int depth() {
        return depth;
    }

    int capacity() {
        return type.length;
    }

    void push(RespType t, long elements, boolean isStreamed) {
        type[depth] = t;
        left[depth] = elements;
        streamed[depth] = isStreamed;
        depth++;
    }

    /** Removes the innermost aggregate and returns its type. */
    RespType pop() {
        return type[--depth];
    }

    RespType top() {
        return type[depth - 1];
    }

    boolean topStreamed() {
        return streamed[depth - 1];
    }

    /** For a streamed aggregate, the number of elements seen so far. */
    long topSeen() {
        return left[depth - 1];
    }

    /** Counts one complete element of the innermost aggregate; true when that completes a counted aggregate. */
    boolean element() {
        int top = depth - 1;
        if (streamed[top]) {
            left[top]++;
            return false;
        }
        return --left[top] == 0;
    }

    void clear() {
        java.util.Arrays.fill(type, null);
        depth = 0;
    }
}
