/**
 * respin's client for asynchronous code, usable alone: {@code io.respin.client.async.RedisClient.create(uri)}
 * gives {@code CompletableFuture} commands, pipelines, transactions, pub/sub (listeners and
 * {@link java.util.concurrent.Flow} publishers) and MONITOR over the respin IO runtime. client-sync adds the
 * blocking API on top.
 */
@SuppressWarnings("module") // client-sync, the module the cluster package is exported to, is built after this one
module io.respin.client.async {
    requires transitive io.respin.io;
    requires org.jctools.core; // the pool of reusable async calls

    exports io.respin.client.async;
    // the cluster router, for client-sync's blocking facade; not an API of its own
    exports io.respin.client.async.cluster to io.respin.client.sync;
    // the cache's reads, for client-sync's blocking facade
    exports io.respin.client.async.cache to io.respin.client.sync;
}
