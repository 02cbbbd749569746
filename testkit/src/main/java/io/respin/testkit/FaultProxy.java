package io.respin.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * An in-process TCP proxy that sits between a client and a server and breaks the connection on command: drop
 * every connection, stall one direction (sockets stay open, bytes stop), delay a direction, cut a reply after
 * exactly N more bytes, or refuse new connections. Tests of the IO layer point a client at {@link #port()}
 * instead of the server's port.
 *
 * <p>One daemon thread runs a {@code Selector} loop ({@code ProxyLoop}); it blocks in {@code select} while
 * nothing is due, so an idle proxy costs no CPU. Every control method runs on that thread and returns once it has taken effect: after
 * {@code stall(TO_CLIENT)} returns, not one more byte reaches the client.
 *
 * <pre>{@code
 * try (RedisServer server = RedisServer.builder().start();
 *      FaultProxy proxy = FaultProxy.start(server.host(), server.port())) {
 *     // connect the client under test to 127.0.0.1:proxy.port(), then:
 *     proxy.cutAfterBytes(FaultProxy.Direction.TO_CLIENT, 3);   // the next reply arrives half, then EOF
 *     proxy.stall(FaultProxy.Direction.TO_CLIENT);              // replies stop; the server still gets commands
 *     proxy.resume();
 *     proxy.cutAll();                                           // every connection dropped now
 * }
 * }</pre>
 */
public final class FaultProxy implements AutoCloseable {

    /** Which way bytes travel. */
    public enum Direction {
        /** client → server (commands). */
        TO_SERVER,
        /** server → client (replies). */
        TO_CLIENT
    }

    private final InetSocketAddress target;
    private final ProxyLoop loop;

    private FaultProxy(InetSocketAddress target) throws IOException {
        this.target = target;
        this.loop = new ProxyLoop(this, target);
    }

    /** Starts a proxy on a free loopback port that forwards to {@code targetHost:targetPort}. */
    public static FaultProxy start(String targetHost, int targetPort) {
        try {
            return new FaultProxy(new InetSocketAddress(targetHost, targetPort));
        } catch (IOException e) {
            throw new UncheckedIOException("could not start a fault proxy to " + targetHost + ":" + targetPort, e);
        }
    }

    /** Starts a proxy in front of {@code server}'s plain TCP port. */
    public static FaultProxy start(RedisServer server) {
        return start(server.host(), server.port());
    }

    /** The loopback port clients connect to. */
    public int port() {
        return loop.port;
    }

    public String host() {
        return "127.0.0.1";
    }

    /** {@code redis://127.0.0.1:port} of the proxy. */
    public String uri() {
        return "redis://127.0.0.1:" + loop.port;
    }

    // ---- faults ----------------------------------------------------------------------------------------------

    /** Closes every proxied connection now; buffered bytes are dropped. New connections are still accepted. */
    public void cutAll() {
        loop.onLoop(() -> {
            loop.cutAll();
            return null;
        });
    }

    /**
     * Resets every proxied connection now: the client gets a TCP RST ({@code Connection reset}) instead of a
     * clean EOF, the way a crashed host or a middlebox that dropped state looks. The server side is closed too.
     */
    public void resetAll() {
        loop.onLoop(() -> {
            loop.resetAll();
            return null;
        });
    }

    /** Stops forwarding {@code d} on every connection, keeping the sockets open; bytes keep being read and held. */
    public void stall(Direction d) {
        loop.onLoop(() -> loop.stalled[d.ordinal()] = true);
    }

    /** Forwards again in both directions, held bytes first. */
    public void resume() {
        loop.onLoop(() -> {
            loop.stalled[0] = false;
            loop.stalled[1] = false;
            return null;
        });
    }

    /** Forwards {@code d} again, held bytes first. */
    public void resume(Direction d) {
        loop.onLoop(() -> loop.stalled[d.ordinal()] = false);
    }

    /** Holds every byte read in direction {@code d} for {@code delay} before writing it ({@link Duration#ZERO} = off). */
    public void delay(Direction d, Duration delay) {
        loop.onLoop(() -> loop.delayNanos[d.ordinal()] = delay.toNanos());
    }

    /** {@link #delay(Direction, Duration)} for both directions. */
    public void delay(Duration delay) {
        delay(Direction.TO_SERVER, delay);
        delay(Direction.TO_CLIENT, delay);
    }

    /**
     * Forwards exactly {@code n} more bytes in direction {@code d} (counted over all connections), then closes the
     * connection that carried the last of them. One-shot: later connections are not affected. With
     * {@code TO_CLIENT} and an {@code n} smaller than the next reply, the client sees half a reply, then EOF.
     */
    public void cutAfterBytes(Direction d, long n) {
        if (n < 0) {
            throw new IllegalArgumentException("byte count must be >= 0, was " + n);
        }
        loop.onLoop(() -> loop.cutBudget[d.ordinal()] = n);
    }

    /**
     * {@code true}: stop listening, so new connections are refused (ECONNREFUSED) while existing ones go on;
     * {@code false}: listen again on the same port.
     */
    public void refuseNew(boolean refuse) {
        loop.onLoop(() -> {
            loop.refuseNew(refuse);
            return null;
        });
    }

    /** Clears every fault: no stall, no delay, no pending cut, listening. Connections stay as they are. */
    public void reset() {
        resume();
        delay(Duration.ZERO);
        loop.onLoop(() -> {
            loop.cutBudget[0] = -1;
            loop.cutBudget[1] = -1;
            return null;
        });
        refuseNew(false);
    }

    // ---- observation -----------------------------------------------------------------------------------------

    /** Bytes read from the sending side in direction {@code d}, including those still held by a fault. */
    public long bytesReceived(Direction d) {
        return loop.received.get(d.ordinal());
    }

    /**
     * Bytes written to the receiving side in direction {@code d}. The count moves just after each write, so a
     * peer may already hold bytes that are not counted yet: use {@link #awaitBytesForwarded} to wait for a count.
     */
    public long bytesForwarded(Direction d) {
        return loop.forwarded.get(d.ordinal());
    }

    /** Connections accepted since start. */
    public long acceptedConnections() {
        return loop.accepted.get();
    }

    /** Connections currently proxied. */
    public int openConnections() {
        return loop.open.get();
    }

    /** Waits until {@link #bytesReceived} reaches {@code atLeast}; returns whether it did within {@code timeout}. */
    public boolean awaitBytesReceived(Direction d, long atLeast, Duration timeout) {
        return await(() -> bytesReceived(d) >= atLeast, timeout);
    }

    /** Waits until {@link #bytesForwarded} reaches {@code atLeast}; returns whether it did within {@code timeout}. */
    public boolean awaitBytesForwarded(Direction d, long atLeast, Duration timeout) {
        return await(() -> bytesForwarded(d) >= atLeast, timeout);
    }

    /** Waits until exactly {@code n} connections are open; returns whether that happened within {@code timeout}. */
    public boolean awaitOpenConnections(int n, Duration timeout) {
        return await(() -> openConnections() == n, timeout);
    }

    /** Loop turns so far; lets a test prove that an idle proxy sleeps instead of spinning. */
    long loopIterations() {
        return loop.iterations.get();
    }

    boolean loopThreadAlive() {
        return loop.thread.isAlive();
    }

    private boolean await(java.util.function.BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (loop.progress) {
            while (!condition.getAsBoolean()) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !loop.thread.isAlive()) {
                    return condition.getAsBoolean();
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(loop.progress, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        }
    }

    /** Stops the loop thread and closes the listener and every connection. */
    @Override
    public void close() {
        loop.stop();
    }

    @Override
    public String toString() {
        return "FaultProxy[127.0.0.1:" + loop.port + " -> " + target.getHostString() + ":" + target.getPort()
                + ", open " + loop.open.get() + "]";
    }
}
