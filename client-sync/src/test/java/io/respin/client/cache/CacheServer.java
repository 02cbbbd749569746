package io.respin.client.cache;

import io.respin.testkit.RedisServer;

/** One redis-server for the cache tests (DEBUG on: active expiry can be switched off), started on first use. */
public final class CacheServer {
    private static RedisServer server;

    private CacheServer() {
    }

    public static synchronized RedisServer get() {
        if (server == null) {
            server = RedisServer.builder().enableDebugCommand().start();
        }
        return server;
    }

    /** How many times the server ran {@code command} (lower case, e.g. "get") since the last CONFIG RESETSTAT. */
    public static long calls(String command) {
        String info = (String) get().command("INFO", "commandstats");
        for (String line : info.split("\r\n")) {
            if (line.startsWith("cmdstat_" + command + ":calls=")) {
                String rest = line.substring(("cmdstat_" + command + ":calls=").length());
                return Long.parseLong(rest.substring(0, rest.indexOf(',')));
            }
        }
        return 0;
    }
}
