package io.respin.engine.resp;

/**
 * Limits the parser enforces while it reads, so that a broken or hostile server cannot make the client allocate
 * or recurse without bound. Each limit allows exactly its value and refuses one more; exceeding one is a
 * protocol error that names the limit and this setting.
 *
 * <pre>{@code
 * RespLimits limits = RespLimits.DEFAULT.withMaxBulk(64 << 20);
 * }</pre>
 *
 * @param maxDepth    nesting depth of aggregates of any kind (default 128)
 * @param maxElements declared element count of one aggregate (pairs count as declared; a streamed aggregate's
 *                    elements are counted as they arrive) (default 2^31-1)
 * @param maxBulk     length of one bulk, verbatim, blob error or streamed chunk in bytes (default 512 MiB)
 */
public record RespLimits(int maxDepth, long maxElements, long maxBulk) {

    public static final RespLimits DEFAULT = new RespLimits(128, Integer.MAX_VALUE, 512L * 1024 * 1024);

    public RespLimits {
        if (maxDepth < 1 || maxElements < 0 || maxBulk < 0) {
            throw new IllegalArgumentException("limits must be positive: " + maxDepth + ", " + maxElements + ", " + maxBulk);
        }
    }

    public RespLimits withMaxDepth(int v) { return new RespLimits(v, maxElements, maxBulk); }

    public RespLimits withMaxElements(long v) { return new RespLimits(maxDepth, v, maxBulk); }

    public RespLimits withMaxBulk(long v) { return new RespLimits(maxDepth, maxElements, v); }
}
