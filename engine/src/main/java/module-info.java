/**
 * respin's sans-IO engine: RESP2/RESP3 parsing and encoding over {@link java.lang.foreign.MemorySegment}s and the
 * connection state machine that gives replies their meaning. No threads, sockets or clocks; no required dependency.
 */
module io.respin.engine {
    requires static org.agrona;

    exports io.respin;
    exports io.respin.engine.resp;
    exports io.respin.engine.connection;
    exports io.respin.engine.agrona;
    exports io.respin.engine.command;
    exports io.respin.engine.cluster;
    exports io.respin.engine.cache;
    exports io.respin.engine.sentinel;
}
