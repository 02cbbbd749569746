package io.respin.testkit;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The process side of a {@link RedisServer}: starts {@code redis-server} in its directory with a command line
 * ({@link ServerCommandLine} builds it), waits until it answers PING, stops it (SIGTERM, then SIGKILL) or kills it,
 * and reads its log. One instance per server, across restarts: each {@link #start} replaces the process.
 * <pre>
 *   dir/
 *     redis.log     the server's log (all restarts, appended)
 *     stdout.log    what the process printed before its log was open
 * </pre>
 */
final class ServerProcess {
    private final Path dir;
    private volatile Process process;

    ServerProcess(Path dir) {
        this.dir = dir;
    }

    /** Starts {@code commandLine} and waits until it answers PING on {@code port}; false if it did not in time. */
    boolean start(List<String> commandLine, int port, long readyTimeoutNanos) throws IOException {
        process = new ProcessBuilder(commandLine).directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("stdout.log").toFile()))
                .start();
        return awaitReady(port, readyTimeoutNanos);
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL, and wait for the process to be gone. */
    void kill() {
        Process p = process;
        p.destroyForcibly();
        awaitExit(p);
    }

    /** SIGTERM (a clean shutdown), SIGKILL if it does not end within 5 s. */
    void stop() {
        Process p = process;
        p.destroy();
        if (!awaitExit(p)) {
            p.destroyForcibly();
            awaitExit(p);
        }
    }

    /** Everything the server logged so far, over all restarts. */
    String log() {
        try {
            Path log = dir.resolve("redis.log");
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    /** The JVM is exiting: no process and no directory is left behind. */
    void destroyOnExit() {
        Process p = process;
        if (p != null) {
            p.destroyForcibly();
            awaitExit(p);
        }
        deleteDir();
    }

    void deleteDir() {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException | UncheckedIOException ignored) {
            // best effort: a temp dir left behind is not worth failing a test for
        }
    }

    private boolean awaitReady(int port, long timeoutNanos) {
        long deadline = System.nanoTime() + timeoutNanos;
        while (System.nanoTime() < deadline && process.isAlive()) {
            try {
                String reply = ping(port, 500);
                // a password-protected server answers NOAUTH: it is up, it just wants credentials
                if ("+PONG".equals(reply) || reply.startsWith("-NOAUTH")) {
                    return true;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            if (!pause(10)) {
                return false;
            }
        }
        return false;
    }

    private static boolean awaitExit(Process p) {
        try {
            return p.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            return false;
        }
    }

    /** Sleeps; false (with the interrupt flag set again) when interrupted. */
    static boolean pause(long millis) {
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The last lines of a log, enough to see why a server failed without flooding the report. */
    static String tail(String log) {
        String[] lines = log.split("\n");
        int from = Math.max(0, lines.length - 40);
        return String.join("\n", Arrays.asList(lines).subList(from, lines.length));
    }

    /** Sends one inline PING over a plain socket and returns the reply line (for readiness checks). */
    static String ping(int port, int timeoutMillis) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), timeoutMillis);
            s.setSoTimeout(timeoutMillis);
            OutputStream out = s.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return readLine(s.getInputStream());
        }
    }

    /** One reply line, without its CRLF; an {@link EOFException} when the peer closes before the line ends. */
    static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) != '\n') {
            if (b == -1) {
                throw new EOFException("connection closed before a whole reply line; got '" + line + "'");
            }
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }

    /** The executable {@code name} in one of {@code path}'s directories, or null. */
    static String findOnPath(String name, String path) {
        if (path == null) {
            return null;
        }
        for (String d : path.split(java.io.File.pathSeparator)) {
            if (d.isEmpty()) {
                continue;
            }
            Path p = Path.of(d, name);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        return null;
    }
}
