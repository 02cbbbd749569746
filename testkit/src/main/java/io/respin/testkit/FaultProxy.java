package io.respin.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * An in-process TCP proxy that sits between a client and a server and breaks the connection on command: drop
 * every connection, stall one direction (sockets stay open, bytes stop), delay a direction, cut a reply after
 * exactly N more bytes, or refuse new connections. Tests of the IO layer point a client at {@link #port()}
 * instead of the server's port.
 *
 * <p>One daemon thread runs a {@link Selector} loop; it blocks in {@code select} while nothing is due, so an
 * idle proxy costs no CPU. Every control method runs on that thread and returns once it has taken effect: after
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

    /** Above this many buffered bytes in one direction the proxy stops reading, so TCP pushes back on the sender. */
    private static final int MAX_PENDING = 1 << 20;
    private static final long CONTROL_TIMEOUT_SECONDS = 10;

    private final InetSocketAddress target;
    private final Selector selector;
    private final ConcurrentLinkedQueue<Runnable> commands = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    private final int port;
    private volatile boolean running = true;
    private volatile Throwable loopFailure;

    // counters: written by the loop, read by anyone
    private final AtomicLongArray received = new AtomicLongArray(2);
    private final AtomicLongArray forwarded = new AtomicLongArray(2);
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicInteger open = new AtomicInteger();
    private final Object progress = new Object();
    private final AtomicLong iterations = new AtomicLong();

    // loop-thread state
    private ServerSocketChannel listener;
    private final List<ProxyLink> links = new ArrayList<>();
    private final boolean[] stalled = new boolean[2];
    private final long[] delayNanos = new long[2];
    private final long[] cutBudget = {-1, -1};
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(64 * 1024);

    private FaultProxy(InetSocketAddress target) throws IOException {
        this.target = target;
        this.selector = Selector.open();
        this.listener = bind(0);
        this.port = ((InetSocketAddress) listener.getLocalAddress()).getPort();
        this.thread = Thread.ofPlatform().daemon().name("respin-fault-proxy-" + port).unstarted(this::loop);
        thread.start();
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
        return port;
    }

    public String host() {
        return "127.0.0.1";
    }

    /** {@code redis://127.0.0.1:port} of the proxy. */
    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    // ---- faults ----------------------------------------------------------------------------------------------

    /** Closes every proxied connection now; buffered bytes are dropped. New connections are still accepted. */
    public void cutAll() {
        onLoop(() -> {
            for (ProxyLink link : List.copyOf(links)) {
                closeLink(link);
            }
            releaseClosedSockets();
            return null;
        });
    }

    /**
     * Resets every proxied connection now: the client gets a TCP RST ({@code Connection reset}) instead of a
     * clean EOF, the way a crashed host or a middlebox that dropped state looks. The server side is closed too.
     */
    public void resetAll() {
        onLoop(() -> {
            for (ProxyLink link : List.copyOf(links)) {
                links.remove(link);
                open.decrementAndGet();
                link.reset();
            }
            releaseClosedSockets();
            return null;
        });
    }

    /** Stops forwarding {@code d} on every connection, keeping the sockets open; bytes keep being read and held. */
    public void stall(Direction d) {
        onLoop(() -> stalled[d.ordinal()] = true);
    }

    /** Forwards again in both directions, held bytes first. */
    public void resume() {
        onLoop(() -> {
            stalled[0] = false;
            stalled[1] = false;
            return null;
        });
    }

    /** Forwards {@code d} again, held bytes first. */
    public void resume(Direction d) {
        onLoop(() -> stalled[d.ordinal()] = false);
    }

    /** Holds every byte read in direction {@code d} for {@code delay} before writing it ({@link Duration#ZERO} = off). */
    public void delay(Direction d, Duration delay) {
        onLoop(() -> delayNanos[d.ordinal()] = delay.toNanos());
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
        onLoop(() -> cutBudget[d.ordinal()] = n);
    }

    /**
     * {@code true}: stop listening, so new connections are refused (ECONNREFUSED) while existing ones go on;
     * {@code false}: listen again on the same port.
     */
    public void refuseNew(boolean refuse) {
        onLoop(() -> {
            if (refuse && listener != null) {
                // connections already in the backlog completed their handshake: they count as existing
                while (accept()) {
                    // take them all
                }
                listener.close();
                listener = null;
                releaseClosedSockets();
            } else if (!refuse && listener == null) {
                listener = bind(port);
            }
            return null;
        });
    }

    /** Clears every fault: no stall, no delay, no pending cut, listening. Connections stay as they are. */
    public void reset() {
        resume();
        delay(Duration.ZERO);
        onLoop(() -> {
            cutBudget[0] = -1;
            cutBudget[1] = -1;
            return null;
        });
        refuseNew(false);
    }

    // ---- observation -----------------------------------------------------------------------------------------

    /** Bytes read from the sending side in direction {@code d}, including those still held by a fault. */
    public long bytesReceived(Direction d) {
        return received.get(d.ordinal());
    }

    /**
     * Bytes written to the receiving side in direction {@code d}. The count moves just after each write, so a
     * peer may already hold bytes that are not counted yet: use {@link #awaitBytesForwarded} to wait for a count.
     */
    public long bytesForwarded(Direction d) {
        return forwarded.get(d.ordinal());
    }

    /** Connections accepted since start. */
    public long acceptedConnections() {
        return accepted.get();
    }

    /** Connections currently proxied. */
    public int openConnections() {
        return open.get();
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
        return iterations.get();
    }

    boolean loopThreadAlive() {
        return thread.isAlive();
    }

    private boolean await(java.util.function.BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (progress) {
            while (!condition.getAsBoolean()) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !thread.isAlive()) {
                    return condition.getAsBoolean();
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(progress, left);
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
        if (!running) {
            return;
        }
        running = false;
        selector.wakeup();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(CONTROL_TIMEOUT_SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "FaultProxy[127.0.0.1:" + port + " -> " + target.getHostString() + ":" + target.getPort()
                + ", open " + open.get() + "]";
    }

    // ---- the loop --------------------------------------------------------------------------------------------

    /** Runs {@code action} on the loop thread and waits for it, so its effect is in place when this returns. */
    private <T> T onLoop(Callable<T> action) {
        if (Thread.currentThread() == thread) {
            try {
                return action.call();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        if (!running || !thread.isAlive()) {
            throw new IllegalStateException(this + " is closed" + (loopFailure != null ? "; its loop failed: " + loopFailure : ""));
        }
        FutureTask<T> task = new FutureTask<>(action);
        commands.add(task);
        selector.wakeup();
        try {
            return task.get(CONTROL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + this, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw new UncheckedIOException(io);
            }
            throw new IllegalStateException("fault proxy command failed", e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException(this + " did not run a command within " + CONTROL_TIMEOUT_SECONDS + " s", e);
        }
    }

    private ServerSocketChannel bind(int onPort) throws IOException {
        ServerSocketChannel ch = ServerSocketChannel.open();
        try {
            ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            ch.bind(new InetSocketAddress("127.0.0.1", onPort));
            ch.configureBlocking(false);
            ch.register(selector, SelectionKey.OP_ACCEPT);
            return ch;
        } catch (IOException e) {
            ch.close();
            throw e;
        }
    }

    private void loop() {
        try {
            while (running) {
                selector.select(selectTimeoutMillis());
                iterations.incrementAndGet();
                runCommands();
                Iterator<SelectionKey> it = selector.selectedKeys().iterator();
                while (it.hasNext()) {
                    SelectionKey key = it.next();
                    it.remove();
                    try {
                        handle(key);
                    } catch (CancelledKeyException e) {
                        if (key.attachment() instanceof ProxyLink link) {
                            closeLink(link);
                        }
                    }
                }
                for (ProxyLink link : List.copyOf(links)) {
                    pump(link);
                }
                signalProgress();
            }
        } catch (Throwable t) {
            loopFailure = t;
        } finally {
            shutdown();
        }
    }

    private void runCommands() {
        Runnable r;
        while ((r = commands.poll()) != null) {
            r.run();
        }
    }

    /** 0 (block until woken) unless a delayed chunk comes due: then exactly until it does. */
    private long selectTimeoutMillis() {
        long now = System.nanoTime();
        long earliest = Long.MAX_VALUE;
        for (ProxyLink link : links) {
            for (ProxyLink.Flow f : List.of(link.toServer, link.toClient)) {
                ProxyLink.Chunk head = f.chunks.peek();
                if (head != null && !stalled[f.direction.ordinal()] && head.releaseAtNanos() > now) {
                    earliest = Math.min(earliest, head.releaseAtNanos() - now);
                }
            }
        }
        return earliest == Long.MAX_VALUE ? 0 : Math.max(1, TimeUnit.NANOSECONDS.toMillis(earliest + 999_999));
    }

    private void handle(SelectionKey key) {
        if (!key.isValid()) {
            return;
        }
        if (key.isAcceptable()) {
            while (accept()) {
                // drain the backlog
            }
            return;
        }
        ProxyLink link = (ProxyLink) key.attachment();
        SocketChannel ch = (SocketChannel) key.channel();
        try {
            if (key.isConnectable()) {
                link.serverConnected = ch.finishConnect();
            }
            if (key.isValid() && key.isReadable()) {
                read(link, link.readingFrom(ch));
            }
            if (key.isValid() && key.isWritable()) {
                link.writingTo(ch).destFull = false;
            }
        } catch (IOException e) {
            closeLink(link);
        }
    }

    /** Accepts one connection from the backlog and starts connecting it to the target; false if none waited. */
    private boolean accept() {
        SocketChannel client = null;
        SocketChannel server = null;
        try {
            client = listener.accept();
            if (client == null) {
                return false;
            }
            accepted.incrementAndGet();
            client.configureBlocking(false);
            client.setOption(StandardSocketOptions.TCP_NODELAY, true);
            server = SocketChannel.open();
            server.configureBlocking(false);
            server.setOption(StandardSocketOptions.TCP_NODELAY, true);
            ProxyLink link = new ProxyLink(client, server);
            link.serverConnected = server.connect(target);
            link.clientKey = client.register(selector, SelectionKey.OP_READ, link);
            link.serverKey = server.register(selector, link.serverConnected ? SelectionKey.OP_READ : SelectionKey.OP_CONNECT, link);
            links.add(link);
            open.incrementAndGet();
        } catch (IOException e) {
            // the target refused or the client vanished: the client sees its connection closed, as it would
            closeQuietly(client);
            closeQuietly(server);
        }
        return client != null;
    }

    private void read(ProxyLink link, ProxyLink.Flow flow) throws IOException {
        readBuffer.clear();
        int n = flow.source().read(readBuffer);
        if (n < 0) {
            flow.sourceEof = true;
            return;
        }
        if (n == 0) {
            return;
        }
        readBuffer.flip();
        ByteBuffer copy = ByteBuffer.allocate(n).put(readBuffer).flip();
        int d = flow.direction.ordinal();
        flow.chunks.add(new ProxyLink.Chunk(copy, System.nanoTime() + delayNanos[d]));
        flow.pendingBytes += n;
        received.addAndGet(d, n);
    }

    /** Writes what is due in both directions, passes on FINs, and sets each socket's interest to match. */
    private void pump(ProxyLink link) {
        try {
            if (link.serverConnected) {
                write(link, link.toServer);
                if (!link.closed) {
                    write(link, link.toClient);
                }
            }
        } catch (IOException e) {
            closeLink(link);
        }
        if (link.closed) {
            return;
        }
        if (link.toServer.done() && link.toClient.done()) {
            closeLink(link);
            return;
        }
        try {
            link.clientKey.interestOps(interest(link.toServer, link.toClient));
            link.serverKey.interestOps(link.serverConnected ? interest(link.toClient, link.toServer) : SelectionKey.OP_CONNECT);
        } catch (CancelledKeyException e) {
            closeLink(link); // one socket died under us: the pair goes with it, the loop goes on
        }
    }

    private static int interest(ProxyLink.Flow readFlow, ProxyLink.Flow writeFlow) {
        int ops = 0;
        if (!readFlow.sourceEof && readFlow.pendingBytes < MAX_PENDING) {
            ops |= SelectionKey.OP_READ;
        }
        if (writeFlow.destFull) {
            ops |= SelectionKey.OP_WRITE;
        }
        return ops;
    }

    private void write(ProxyLink link, ProxyLink.Flow flow) throws IOException {
        int d = flow.direction.ordinal();
        long now = System.nanoTime();
        while (!flow.destFull && !stalled[d]) {
            ProxyLink.Chunk head = flow.chunks.peek();
            if (head == null || head.releaseAtNanos() > now) {
                break;
            }
            if (cutBudget[d] == 0) {
                cutBudget[d] = -1;
                closeLink(link);
                return;
            }
            ByteBuffer data = head.data();
            int limit = data.limit();
            if (cutBudget[d] > 0 && cutBudget[d] < data.remaining()) {
                data.limit(data.position() + (int) cutBudget[d]);
            }
            int w = flow.dest().write(data);
            data.limit(limit);
            flow.pendingBytes -= w;
            forwarded.addAndGet(d, w);
            if (cutBudget[d] > 0) {
                cutBudget[d] -= w;
                if (cutBudget[d] == 0) {
                    cutBudget[d] = -1;
                    closeLink(link);
                    return;
                }
            }
            if (data.hasRemaining()) {
                flow.destFull = true; // the peer's receive window is full: OP_WRITE says when to go on
            } else {
                flow.chunks.poll();
            }
        }
        if (flow.sourceEof && flow.chunks.isEmpty() && !flow.destShut) {
            flow.dest().shutdownOutput();
            flow.destShut = true;
        }
    }

    private void closeLink(ProxyLink link) {
        if (!link.closed) {
            // count first: whoever sees the socket close then also sees the count drop
            links.remove(link);
            open.decrementAndGet();
            link.close();
        }
    }

    /**
     * A channel registered with a selector keeps its file descriptor until the selector drops the cancelled key
     * at its next select; doing that now makes a cut or refusal visible to peers before the command returns.
     */
    private void releaseClosedSockets() throws IOException {
        selector.selectNow();
    }

    private void signalProgress() {
        synchronized (progress) {
            progress.notifyAll();
        }
    }

    private void shutdown() {
        for (ProxyLink link : List.copyOf(links)) {
            closeLink(link);
        }
        closeQuietly(listener);
        closeQuietly(selector);
        // a command queued after the loop ended would otherwise wait for its full timeout
        Runnable r;
        while ((r = commands.poll()) != null) {
            if (r instanceof FutureTask<?> f) {
                f.cancel(false);
            }
        }
        signalProgress();
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception ignored) {
                // closing on the way out
            }
        }
    }
}
