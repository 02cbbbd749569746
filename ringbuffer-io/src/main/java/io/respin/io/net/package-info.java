/**
 * Sockets under the links, knowing nothing of Redis: a non-blocking channel with its selection key, plain or TLS
 * ({@code SSLEngine} on the IO thread's loop), and the checks that tell a TLS port from a plain one. Not exported.
 */
package io.respin.io.net;
