package io.respin.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;

/**
 * A real {@code redis-server} process on a free loopback port, started for a test or a benchmark and stopped
 * with it (also when the JVM exits). Its log is kept so that a failure message can show what the server said;
 * its temporary directory (log, Unix socket, certificates) is deleted on {@link #close()}.
 *
 * <p>Options: a Unix socket, {@code requirepass}, ACL users, a TLS port with certificates generated at test
 * time, {@code enable-debug-command}, replication from another server, and any raw directive via
 * {@link Builder#config}. For fault tests a server can be {@link #kill() killed} (SIGKILL) and
 * {@link #restart() restarted} on the same ports. {@link RedisCluster} and {@link RedisSentinel} build on it.
 *
 * <pre>{@code
 * try (RedisServer server = RedisServer.builder().unixSocket().requirePass("s3cret").tls().start()) {
 *     int port = server.port();              // plain TCP on 127.0.0.1
 *     Path sock = server.unixSocket();
 *     SSLContext tls = server.sslContext();  // trusts the server on server.tlsPort()
 *     server.command("SET", "k", "v");       // admin channel, authenticates by itself
 * }
 * }</pre>
 */
public final class RedisServer implements RedisInstance {

    static final String INSTALL_HINT =
            "redis-server is not on PATH; install it with: apt-get update && apt-get install -y redis-server redis-tools";

    private static final long READY_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final long SYNC_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(20);

    private final String executable;
    private final Builder options;
    private final int port;
    private final int tlsPort;
    private final int busPort;
    private final Path dir;
    private final TestCertificates certificates;
    private final Thread shutdownHook;
    /** The redis-server process of the moment (a new one after each restart), its log and its directory. */
    private final ServerProcess process;
    private volatile String logAtClose;

    private RedisServer(String executable, Builder options, int port, int tlsPort, int busPort, Path dir,
                        TestCertificates certificates) {
        this.executable = executable;
        this.options = options;
        this.port = port;
        this.tlsPort = tlsPort;
        this.busPort = busPort;
        this.dir = dir;
        this.certificates = certificates;
        this.process = new ServerProcess(dir);
        this.shutdownHook = new Thread(process::destroyOnExit, "redis-server-stop-" + port);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts a replica of {@code primary} and returns once its link to the primary is up. */
    public static RedisServer replicaOf(RedisServer primary) {
        return builder().replicaOf(primary).start();
    }

    /** The plain TCP port on 127.0.0.1 (always open, also when TLS is on). */
    @Override
    public int port() {
        return port;
    }

    @Override
    public String host() {
        return "127.0.0.1";
    }

    /** {@code redis://127.0.0.1:port}. */
    @Override
    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    /** Process id of the current server process (changes on {@link #restart()}). */
    public long pid() {
        return process.pid();
    }

    @Override
    public boolean isAlive() {
        return process.isAlive();
    }

    /** The temporary directory holding the log, the Unix socket and the certificates. */
    public Path dir() {
        return dir;
    }

    /** The {@code requirepass} of the default user, or {@code null} when none is set. */
    public String password() {
        return options.requirePass;
    }

    /** Path of the Unix domain socket; fails unless built with {@link Builder#unixSocket()}. */
    public Path unixSocket() {
        if (!options.unixSocket) {
            throw new IllegalStateException("this server has no Unix socket; build it with RedisServer.builder().unixSocket()");
        }
        return dir.resolve("redis.sock");
    }

    /** The TLS port on 127.0.0.1; fails unless built with {@link Builder#tls()}. */
    public int tlsPort() {
        requireTls();
        return tlsPort;
    }

    /** {@code rediss://127.0.0.1:tlsPort}. */
    public String tlsUri() {
        return "rediss://127.0.0.1:" + tlsPort();
    }

    /** The cluster bus port; fails unless built with {@link Builder#cluster()}. */
    public int clusterBusPort() {
        if (!options.cluster) {
            throw new IllegalStateException("this server is not a cluster node; build it with RedisServer.builder().cluster()");
        }
        return busPort;
    }

    /** {@code host:port}, the form redis-cli and CLUSTER MEET use. */
    public String hostAndPort() {
        return host() + ":" + port;
    }

    /** The generated CA, server and client certificates and their Java key stores. */
    public TestCertificates certificates() {
        requireTls();
        return certificates;
    }

    /** PEM file of the CA that signed the server certificate. */
    public Path caCertificate() {
        return certificates().caCertificate();
    }

    /** PKCS12 trust store with the CA; password {@link TestCertificates#STORE_PASSWORD}. */
    public Path trustStore() {
        return certificates().trustStore();
    }

    /** A client context that trusts this server and presents a client certificate when asked. */
    public SSLContext sslContext() {
        return certificates().sslContext();
    }

    private void requireTls() {
        if (certificates == null) {
            throw new IllegalStateException("this server has no TLS port; build it with RedisServer.builder().tls()");
        }
    }

    /** Everything the server logged so far (over all restarts); still available after {@link #close()}. */
    public String log() {
        String closed = logAtClose;
        return closed != null ? closed : process.log();
    }

    /**
     * Runs one command over a fresh admin connection (plain TCP, authenticating with the requirepass) and
     * returns its reply: {@link String}, {@link Long}, {@link List} or {@code null}.
     *
     * @throws IllegalStateException when the server answers with an error reply
     * @throws UncheckedIOException when the server cannot be reached
     */
    @Override
    public Object command(String... args) {
        return RespProbe.command(this, "redis-server", options.requirePass, args);
    }

    /** Stops the process with SIGKILL (no shutdown, no goodbye to clients) and waits for it to be gone. */
    public synchronized void kill() {
        process.kill();
    }

    /** Stops the process with SIGTERM (a clean shutdown) and waits for it to be gone; {@link #restart()} revives it. */
    public synchronized void stop() {
        process.stop();
    }

    /**
     * Starts the server again on the same ports, socket path and options (stopping it first if it runs) and
     * returns once it answers. Data does not survive: the kit runs servers without persistence.
     */
    public synchronized void restart() {
        if (logAtClose != null) {
            throw new IllegalStateException("redis-server " + uri() + " is closed; build a new one");
        }
        if (process.isAlive()) {
            stop();
        }
        try {
            if (!launch()) {
                String log = log();
                kill();
                throw new IllegalStateException("redis-server could not restart on port " + port
                        + (log.contains("Address already in use") ? " (the port was taken meanwhile)" : "")
                        + "; its log:\n" + ServerProcess.tail(log));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not restart redis-server on port " + port, e);
        }
    }

    /** Stops the process, keeps its log in memory for {@link #log()} and deletes the temporary directory. */
    @Override
    public synchronized void close() {
        if (logAtClose != null) {
            return;
        }
        stop();
        logAtClose = log();
        process.deleteDir();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook is running or has run
        }
    }

    @Override
    public String toString() {
        return "RedisServer[" + uri() + (certificates != null ? ", tls " + tlsPort : "")
                + (options.unixSocket ? ", unix " + dir.resolve("redis.sock") : "") + ", pid " + process.pid() + "]";
    }

    /** Starts the process and waits until it answers (and, for a replica, until its link is up). */
    private boolean launch() throws IOException {
        if (!process.start(commandLine(), port, READY_TIMEOUT_NANOS)) {
            return false;
        }
        if (options.primary != null) {
            awaitReplicationLink();
        }
        return true;
    }

    private List<String> commandLine() throws IOException {
        return new ServerCommandLine(executable, options, port, tlsPort, busPort, dir, certificates).build();
    }

    private void awaitReplicationLink() {
        long deadline = System.nanoTime() + SYNC_TIMEOUT_NANOS;
        String info = "";
        while (System.nanoTime() < deadline) {
            info = info("replication");
            if (info.contains("master_link_status:up")) {
                return;
            }
            if (!ServerProcess.pause(20)) {
                break;
            }
        }
        throw new IllegalStateException("replica " + uri() + " did not link to its primary " + options.primary.uri()
                + " within 20 s; INFO replication:\n" + info + "\nreplica log:\n" + ServerProcess.tail(log()));
    }

    /** Finds a port nobody listens on right now. */
    public static int freePort() {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(false);
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }

    /**
     * Settings for a server; {@link #start()} launches it and waits until it answers PING.
     *
     * <pre>{@code
     * RedisServer s = RedisServer.builder()
     *         .aclUser("alice", "pw", "~* +@all")
     *         .enableDebugCommand()
     *         .config("maxmemory", "64mb")
     *         .start();
     * }</pre>
     */
    public static final class Builder {
        final List<String> extraArgs = new ArrayList<>();
        final List<List<String>> aclUsers = new ArrayList<>();
        boolean unixSocket;
        int unixSocketPerm = 0700;
        String requirePass;
        boolean tls;
        boolean tlsAuthClients;
        boolean debugCommand;
        RedisServer primary;
        boolean cluster;
        boolean tlsReplication;
        String sentinelConfig;
        private String searchPath = System.getenv("PATH");

        Builder() {
        }

        /** Adds a {@code --name value} configuration directive (applied last, so it wins over the options). */
        public Builder config(String name, String... values) {
            extraArgs.add("--" + name);
            extraArgs.addAll(List.of(values));
            return this;
        }

        /** Also listen on a Unix domain socket in the server's temp dir ({@link RedisServer#unixSocket()}). */
        public Builder unixSocket() {
            this.unixSocket = true;
            return this;
        }

        /** Permissions of the Unix socket, as an octal literal such as {@code 0770} (default {@code 0700}). */
        public Builder unixSocketPerm(int mode) {
            this.unixSocket = true;
            this.unixSocketPerm = mode;
            return this;
        }

        /** Password of the default user ({@code requirepass}). */
        public Builder requirePass(String password) {
            TestSecrets.register(password); // SecretLeakCheck fails a test class that shows it anywhere
            this.requirePass = password;
            return this;
        }

        /**
         * An enabled ACL user with one password and the given rules, e.g.
         * {@code aclUser("alice", "pw", "~* +@all")} or {@code aclUser("reader", "pw", "~cache:* +get")}.
         */
        public Builder aclUser(String name, String password, String rules) {
            TestSecrets.register(password);
            List<String> user = new ArrayList<>(List.of(name, "on", ">" + password));
            for (String rule : rules.trim().split("\\s+")) {
                if (!rule.isEmpty()) {
                    user.add(rule);
                }
            }
            aclUsers.add(user);
            return this;
        }

        /** A TLS port next to the plain one, with a CA and certificates generated into the temp dir. */
        public Builder tls() {
            this.tls = true;
            return this;
        }

        /** Like {@link #tls()}; {@code requireClientCertificate} sets {@code tls-auth-clients} (default no). */
        public Builder tls(boolean requireClientCertificate) {
            this.tls = true;
            this.tlsAuthClients = requireClientCertificate;
            return this;
        }

        /** {@code enable-debug-command yes}: allows DEBUG SLEEP, DEBUG SEGFAULT and friends. */
        public Builder enableDebugCommand() {
            this.debugCommand = true;
            return this;
        }

        /**
         * Replication (and, for a sentinel, every link to the nodes and the other sentinels) over TLS: a replica
         * follows its primary's TLS port ({@code tls-replication yes}) and announces its own TLS port, so that
         * sentinels list it there. Implies {@link #tls()}.
         */
        public Builder tlsReplication() {
            this.tls = true;
            this.tlsReplication = true;
            return this;
        }

        /** Makes the server a replica of {@code primary}; {@link #start()} waits until the link is up. */
        public Builder replicaOf(RedisServer primary) {
            this.primary = primary;
            return this;
        }

        /**
         * A cluster node ({@code cluster-enabled yes}, its own bus port and nodes.conf); {@link RedisCluster}
         * joins such nodes into a cluster.
         */
        public Builder cluster() {
            this.cluster = true;
            return this;
        }

        /** Sentinel mode with this initial sentinel.conf content; used by {@link RedisSentinel}. */
        Builder sentinel(String config) {
            this.sentinelConfig = config;
            return this;
        }

        /** Test hook: the PATH used to look up {@code redis-server}. */
        Builder searchPath(String path) {
            this.searchPath = path;
            return this;
        }

        public RedisServer start() {
            String exe = ServerProcess.findOnPath("redis-server", searchPath);
            if (exe == null) {
                throw new IllegalStateException(INSTALL_HINT);
            }
            Path dir;
            try {
                dir = Files.createTempDirectory("respin-redis-");
            } catch (IOException e) {
                throw new UncheckedIOException("could not create a temp dir for redis-server", e);
            }
            TestCertificates certs = null;
            if (tls) {
                try {
                    certs = TestCertificates.copyOfShared(Files.createDirectory(dir.resolve("tls")));
                } catch (IOException e) {
                    throw new UncheckedIOException("could not create " + dir.resolve("tls"), e);
                }
            }
            int lastPort = -1;
            for (int attempt = 0; attempt < 5; attempt++) {
                int port = freePort();
                lastPort = port;
                RedisServer server = new RedisServer(exe, this, port, tls ? freePort() : 0, cluster ? freePort() : 0,
                        dir, certs);
                boolean ready;
                try {
                    ready = server.launch();
                } catch (IOException e) {
                    server.close();
                    throw new UncheckedIOException("could not start " + exe, e);
                } catch (RuntimeException e) {
                    server.close();
                    throw e;
                }
                if (ready) {
                    return server;
                }
                String log = server.log();
                server.kill();
                Runtime.getRuntime().removeShutdownHook(server.shutdownHook);
                if (!log.contains("Address already in use")) {
                    server.close();
                    throw new IllegalStateException("redis-server on port " + port + " did not answer PING within 10 s; "
                            + "its log:\n" + ServerProcess.tail(log));
                }
                try {
                    Files.deleteIfExists(dir.resolve("redis.log"));
                    Files.deleteIfExists(dir.resolve("nodes.conf"));
                } catch (IOException ignored) {
                    // the next attempt appends to it; harmless
                }
            }
            throw new IllegalStateException("redis-server could not bind a free port (last tried " + lastPort + ")");
        }
    }
}
