package io.respin.io.loop;

import io.respin.engine.connection.ConnectionSettings;
import io.respin.io.handoff.PushReceiver;
import io.respin.io.net.TlsPeer;
import java.net.SocketAddress;

/**
 * One endpoint's server and options as the loop needs them, made once from the URI and the connection options
 * when the endpoint is opened. Immutable; it holds the password only inside {@code engine}, whose
 * {@code toString()} hides it.
 *
 * @param name                    how messages name the endpoint (the URI, password hidden)
 * @param address                 {@code host:port} or the socket path
 * @param socket                  the resolved address
 * @param unix                    a Unix domain socket
 * @param tls                     TLS parameters, or null for a plain socket
 * @param engine                  the engine connection's settings (handshake, limits, tracking)
 * @param defaultTimeoutNanos     the command timeout for commands that set none
 * @param maxDedicatedConnections the bound of the dedicated pool
 * @param listener                who hears pushes, or null
 * @param watch                   who hears of a lost shared link and of error replies, or null
 * @param cache                   a client-side cache that hears the shared link in parse order, or null
 */
public record Target(String name, String address, SocketAddress socket, boolean unix, TlsPeer tls,
                     ConnectionSettings engine, long defaultTimeoutNanos, int maxDedicatedConnections,
                     PushReceiver listener, LinkWatch watch,
                     LinkCache cache) {
}
