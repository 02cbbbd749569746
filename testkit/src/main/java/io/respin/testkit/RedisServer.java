package io.respin.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} process on a free loopback port, started for a test or a benchmark and stopped
 * with it (also when the JVM exits). Its log is kept so that a failure message can show what the server said.
 *
 * <pre>{@code
 * try (RedisServer server = RedisServer.builder().start()) {
 *     int port = server.port();
 * }
 * }</pre>
 */
public final class RedisServer implements AutoCloseable {

    static final String INSTALL_HINT =
            "redis-server is not on PATH; install it with: apt-get update && apt-get install -y redis-server redis-tools";

    private final Process process;
    private final int port;
    private final Path dir;
    private final Thread shutdownHook;

    private RedisServer(Process process, int port, Path dir) {
        this.process = process;
        this.port = port;
        this.dir = dir;
        this.shutdownHook = new Thread(process::destroyForcibly, "redis-server-stop-" + port);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The TCP port on 127.0.0.1. */
    public int port() {
        return port;
    }

    public String host() {
        return "127.0.0.1";
    }

    /** {@code redis://127.0.0.1:port}. */
    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Everything the server logged so far. */
    public String log() {
        try {
            Path log = dir.resolve("redis.log");
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook is running or has run
        }
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

    /** Sends one inline PING over a plain socket and returns the reply line (for readiness checks). */
    static String ping(int port, int timeoutMillis) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), timeoutMillis);
            s.setSoTimeout(timeoutMillis);
            OutputStream out = s.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            StringBuilder line = new StringBuilder();
            int b;
            while ((b = in.read()) != -1 && b != '\n') {
                if (b != '\r') {
                    line.append((char) b);
                }
            }
            return line.toString();
        }
    }

    /** Settings for a server; {@link #start()} launches it and waits until it answers PING. */
    public static final class Builder {
        private final List<String> extraArgs = new ArrayList<>();

        Builder() {
        }

        /** Adds a {@code --name value} configuration directive. */
        public Builder config(String name, String... values) {
            extraArgs.add("--" + name);
            extraArgs.addAll(List.of(values));
            return this;
        }

        public RedisServer start() {
            String exe = findOnPath("redis-server");
            if (exe == null) {
                throw new IllegalStateException(INSTALL_HINT);
            }
            try {
                Path dir = Files.createTempDirectory("respin-redis-");
                int lastPort = -1;
                for (int attempt = 0; attempt < 5; attempt++) {
                    int port = freePort();
                    lastPort = port;
                    List<String> cmd = new ArrayList<>(List.of(exe,
                            "--port", Integer.toString(port),
                            "--bind", "127.0.0.1",
                            "--dir", dir.toString(),
                            "--logfile", dir.resolve("redis.log").toString(),
                            "--save", "",
                            "--appendonly", "no",
                            "--daemonize", "no"));
                    cmd.addAll(extraArgs);
                    Process p = new ProcessBuilder(cmd).directory(dir.toFile())
                            .redirectErrorStream(true)
                            .redirectOutput(dir.resolve("stdout.log").toFile())
                            .start();
                    RedisServer server = new RedisServer(p, port, dir);
                    if (server.awaitReady()) {
                        return server;
                    }
                    String log = server.log();
                    server.close();
                    if (!log.contains("Address already in use")) {
                        throw new IllegalStateException("redis-server on port " + port + " did not answer PING within 10 s; "
                                + "its log:\n" + log + Files.readString(dir.resolve("stdout.log")));
                    }
                }
                throw new IllegalStateException("redis-server could not bind a free port (last tried " + lastPort + ")");
            } catch (IOException e) {
                throw new UncheckedIOException("could not start redis-server", e);
            }
        }
    }

    private boolean awaitReady() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline && process.isAlive()) {
            try {
                if ("+PONG".equals(ping(port, 500))) {
                    return true;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    static String findOnPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String d : path.split(java.io.File.pathSeparator)) {
            Path p = Path.of(d, name);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        return null;
    }
}
