package io.respin.client.async;

import io.respin.testkit.RedisServer;
import java.util.HashMap;
import java.util.Map;

/**
 * The redis-server of this module's tests (DEBUG enabled, for fault tests) and one shared client per RESP version
 * over it, made on first use; the test kit stops the server when the JVM exits. Tests use their own key names.
 * client-sync's tests have the same pair, with its client type.
 */
final class Redis {
    private static final Map<Integer, RedisClient> CLIENTS = new HashMap<>();
    private static RedisServer server;

    private Redis() {
    }

    static synchronized RedisServer server() {
        server = server != null ? server : RedisServer.builder().enableDebugCommand().start();
        return server;
    }

    /** The shared client speaking RESP {@code protocol} (2 or 3). */
    static synchronized RedisClient client(int protocol) {
        return CLIENTS.computeIfAbsent(protocol, p -> RedisClient.builder(server().uri()).protocol(p).build());
    }
}
