/**
 * respin's client for asynchronous code, usable alone: {@code io.respin.client.async.RedisClient.create(uri)}
 * gives {@code CompletableFuture} commands, pipelines, transactions, pub/sub (listeners and
 * {@link java.util.concurrent.Flow} publishers) and MONITOR over the respin IO runtime. client-sync adds the
 * blocking API on top.
 */
module io.respin.client.async {
    requires transitive io.respin.io;
    requires org.jctools.core; // the pool of reusable async calls

    exports io.respin.client.async;
}
