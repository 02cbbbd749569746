package io.respin.client.async;

import io.respin.testkit.RedisServer;

/**
 * One redis-server for the whole test run and one client per RESP version over it, started on first use and
 * stopped when the JVM exits (the test kit's hook). Tests use their own key names, so they can share them.
 */
final class Redis {
    private static RedisServer server;
    private static RedisClient resp2;
    private static RedisClient resp3;

    private Redis() {
    }

    static synchronized RedisServer server() {
        if (server == null) {
            server = RedisServer.builder().enableDebugCommand().start(); // DEBUG SLEEP for fault tests
        }
        return server;
    }

    /** The shared client speaking RESP {@code protocol} (2 or 3). */
    static synchronized RedisClient client(int protocol) {
        if (protocol == 2) {
            if (resp2 == null) {
                resp2 = RedisClient.builder(server().uri()).protocol(2).build();
            }
            return resp2;
        }
        if (resp3 == null) {
            resp3 = RedisClient.builder(server().uri()).protocol(3).build();
        }
        return resp3;
    }
}
