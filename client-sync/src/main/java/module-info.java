/**
 * respin's client entry point and its blocking API: {@code RedisClient.create(uri)} gives {@code sync()} and
 * {@code async()} views over one IO runtime and one auto-pipelined connection.
 */
module io.respin.client.sync {
    requires transitive io.respin.client.async;

    exports io.respin.client;
    exports io.respin.client.sync;
}
