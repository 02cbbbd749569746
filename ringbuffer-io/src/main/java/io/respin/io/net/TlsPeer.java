package io.respin.io.net;

import javax.net.ssl.SSLContext;

/**
 * What a TLS connection needs to know of the server: the name it is reached by (SNI and hostname verification),
 * its port, the context that decides whom to trust (null: the JDK's default), and whether the certificate must
 * name the host.
 *
 * <pre>{@code
 * new TlsPeer("cache.internal", 6380, null, true)
 * }</pre>
 */
public record TlsPeer(String host, int port, SSLContext context, boolean verifyHostname) {
}
