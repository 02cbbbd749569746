/**
 * The asynchronous respin client: typed commands returning {@code CompletableFuture}s, over the respin IO
 * runtime. The command definitions come from the engine's catalogue ({@code io.respin.engine.command}).
 */
module io.respin.client.async {
    requires transitive io.respin.io;

    exports io.respin.client.async;
}
