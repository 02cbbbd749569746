/**
 * respin's blocking API on top of client-async: {@code io.respin.client.RedisClient.create(uri)} gives
 * {@code sync()} besides everything client-async's client has ({@code async()}, pub/sub, pipelines), over one IO
 * runtime and one auto-pipelined connection.
 */
module io.respin.client.sync {
    requires transitive io.respin.client.async;

    exports io.respin.client;
    exports io.respin.client.sync;
}
