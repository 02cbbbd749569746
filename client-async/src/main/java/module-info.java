/** CompletableFuture-based typed Redis client over the respin IO runtime. */
module io.respin.client.async {
    requires transitive io.respin.io;

    exports io.respin.client.async;
}
