package io.respin.engine.sentinel;

/** A node's address as Sentinel reports it. */
public record HostAndPort(String host, int port) {
    public HostAndPort {
        if (host == null || host.isEmpty() || port <= 0 || port > 65535) {
            throw new IllegalArgumentException("not an address: " + host + ":" + port);
        }
    }

    @Override public String toString() {
        return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }
}
