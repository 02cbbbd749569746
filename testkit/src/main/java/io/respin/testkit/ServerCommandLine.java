package io.respin.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code redis-server} argument list for one {@link RedisServer}: the kit's fixed choices (loopback only,
 * no persistence, log into the temp dir) followed by the builder's options and, last so that they win, its raw
 * {@code config} directives. The same list is used again by {@link RedisServer#restart()}.
 */
record ServerCommandLine(String executable, RedisServer.Builder options, int port, int tlsPort, int busPort,
                         Path dir, TestCertificates certificates) {

    List<String> build() throws IOException {
        if (options.sentinelConfig != null) {
            return sentinelCommandLine();
        }
        List<String> cmd = new ArrayList<>(List.of(executable,
                "--port", Integer.toString(port),
                "--bind", "127.0.0.1",
                "--dir", dir.toString(),
                "--logfile", dir.resolve("redis.log").toString(),
                "--save", "",
                "--appendonly", "no",
                "--daemonize", "no",
                // a replica's first sync would otherwise wait 5 s for more replicas to join the transfer
                "--repl-diskless-sync-delay", "0"));
        if (options.unixSocket) {
            cmd.addAll(List.of("--unixsocket", dir.resolve("redis.sock").toString(),
                    "--unixsocketperm", Integer.toOctalString(options.unixSocketPerm)));
        }
        if (options.requirePass != null) {
            cmd.addAll(List.of("--requirepass", options.requirePass));
        }
        for (List<String> user : options.aclUsers) {
            cmd.add("--user");
            cmd.addAll(user);
        }
        if (certificates != null) {
            cmd.addAll(List.of("--tls-port", Integer.toString(tlsPort),
                    "--tls-cert-file", certificates.serverCertificate().toString(),
                    "--tls-key-file", certificates.serverKey().toString(),
                    "--tls-ca-cert-file", certificates.caCertificate().toString(),
                    "--tls-auth-clients", options.tlsAuthClients ? "yes" : "no"));
        }
        if (options.debugCommand) {
            cmd.addAll(List.of("--enable-debug-command", "yes"));
        }
        if (options.cluster) {
            // an explicit bus port: the default (port + 10000) may be taken or beyond 65535
            cmd.addAll(List.of("--cluster-enabled", "yes",
                    "--cluster-port", Integer.toString(busPort),
                    "--cluster-config-file", dir.resolve("nodes.conf").toString(),
                    "--cluster-node-timeout", "5000"));
        }
        if (options.tlsReplication) {
            cmd.addAll(List.of("--tls-replication", "yes"));
        }
        if (options.primary != null) {
            cmd.addAll(List.of("--replicaof", options.primary.host(), Integer.toString(options.tlsReplication
                    ? options.primary.tlsPort() : options.primary.port())));
            if (options.primary.password() != null) {
                cmd.addAll(List.of("--masterauth", options.primary.password()));
            }
        }
        cmd.addAll(options.extraArgs);
        return cmd;
    }

    /**
     * Sentinel mode needs a writable config file (a sentinel rewrites it with what it learns) and accepts only
     * part of the server's directives, so it gets a shorter command line.
     */
    private List<String> sentinelCommandLine() throws IOException {
        Path conf = dir.resolve("sentinel.conf");
        if (!Files.exists(conf)) {
            Files.writeString(conf, options.sentinelConfig);
        }
        List<String> cmd = new ArrayList<>(List.of(executable, conf.toString(), "--sentinel",
                "--port", Integer.toString(port),
                "--bind", "127.0.0.1",
                "--dir", dir.toString(),
                "--logfile", dir.resolve("redis.log").toString(),
                "--daemonize", "no"));
        if (certificates != null) { // TLS clients on tls-port; tls-replication: TLS to the nodes and other sentinels
            cmd.addAll(List.of("--tls-port", Integer.toString(tlsPort),
                    "--tls-cert-file", certificates.serverCertificate().toString(),
                    "--tls-key-file", certificates.serverKey().toString(),
                    "--tls-ca-cert-file", certificates.caCertificate().toString(),
                    "--tls-auth-clients", options.tlsAuthClients ? "yes" : "no",
                    "--tls-replication", options.tlsReplication ? "yes" : "no"));
        }
        cmd.addAll(options.extraArgs);
        return cmd;
    }
}
