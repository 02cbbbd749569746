/** Blocking, typed Redis client over the respin IO runtime. */
module io.respin.client.sync {
    requires transitive io.respin.io;

    exports io.respin.client.sync;
}
