package io.respin;

/**
 * The command was cancelled by its caller (a cancelled future, an interrupted sync wait) before it had an outcome.
 * Cancelled before it was sent, it never ran. Cancelled after it was sent, it may have run, and its reply, when it
 * comes, is discarded; a blocking command (BLPOP, XREAD BLOCK...) also has its dedicated connection closed, so the
 * server stops blocking for it and pops nothing for nobody. The message says which case it was.
 *
 * <pre>{@code
 * CompletableFuture<KeyValue<String, String>> pop = redis.async().blpop(0, "jobs");
 * pop.cancel(true);   // the BLPOP's connection is closed: no element is popped for a future nobody reads
 * }</pre>
 */
public class RedisCancelledException extends RedisException {
    private static final long serialVersionUID = 1L;

    public RedisCancelledException(String message) {
        super(message);
    }
}
