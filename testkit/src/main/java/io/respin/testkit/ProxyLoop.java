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
 * The {@link FaultProxy}'s thread: a {@link Selector} loop that accepts clients, connects each to the target and
 * moves bytes both ways through a {@link ProxyLink}, applying the faults in force as it writes. Each turn:
 * <pre>
 *   select (0 = until woken, or until the next delayed chunk is due)
 *     → run the control commands queued by {@link #onLoop}  (a fault takes effect between two turns)
 *     → accept / connect / read what is ready                (bytes are held as chunks, with their release time)
 *     → pump every link: write what is due unless stalled, cut after the byte budget, pass on FINs
 *     → wake the threads waiting on a counter
 * </pre>
 * The fault settings and the links belong to the loop thread; other threads change them only through
 * {@link #onLoop}, and read only the atomic counters.
 */
final class ProxyLoop {

    /** Above this many buffered bytes in one direction the proxy stops reading, so TCP pushes back on the sender. */
    private static final int MAX_PENDING = 1 << 20;
    static final long CONTROL_TIMEOUT_SECONDS = 10;

    private final Object owner;
    private final InetSocketAddress target;
    private final Selector selector;
    private final ConcurrentLinkedQueue<Runnable> commands = new ConcurrentLinkedQueue<>();
    final Thread thread;
    final int port;
    private volatile boolean running = true;
    private volatile Throwable loopFailure;

    // counters: written by the loop, read by anyone
    final AtomicLongArray received = new AtomicLongArray(2);
    final AtomicLongArray forwarded = new AtomicLongArray(2);
    final AtomicLong accepted = new AtomicLong();
    final AtomicInteger open = new AtomicInteger();
    /** Notified after every turn: what {@link FaultProxy}'s awaits wait on. */
    final Object progress = new Object();
    final AtomicLong iterations = new AtomicLong();

    // loop-thread state; the faults are indexed by Direction.ordinal()
    private ServerSocketChannel listener;
    private final List<ProxyLink> links = new ArrayList<>();
    final boolean[] stalled = new boolean[2];
    final long[] delayNanos = new long[2];
    /** Bytes still to forward before the cut, -1 for no cut. */
    final long[] cutBudget = {-1, -1};
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(64 * 1024);

    /** Binds a free loopback port and starts the loop; {@code owner} names the proxy in error messages. */
    ProxyLoop(Object owner, InetSocketAddress target) throws IOException {
        this.owner = owner;
        this.target = target;
        this.selector = Selector.open();
        this.listener = bind(0);
        this.port = ((InetSocketAddress) listener.getLocalAddress()).getPort();
        this.thread = Thread.ofPlatform().daemon().name("respin-fault-proxy-" + port).unstarted(this::loop);
        thread.start();
    }

    /** Asks the loop to end and waits for it to close every socket. */
    void stop() {
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

    // ---- faults that act on the sockets (loop thread, through onLoop) -------------------------------------------

    void cutAll() throws IOException {
        for (ProxyLink link : List.copyOf(links)) {
            closeLink(link);
        }
        releaseClosedSockets();
    }

    void resetAll() throws IOException {
        for (ProxyLink link : List.copyOf(links)) {
            links.remove(link);
            open.decrementAndGet();
            link.reset();
        }
        releaseClosedSockets();
    }

    void refuseNew(boolean refuse) throws IOException {
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
    }

    // ---- the loop ------------------------------------------------------------------------------------------------

    /** Runs {@code action} on the loop thread and waits for it, so its effect is in place when this returns. */
    <T> T onLoop(Callable<T> action) {
        if (Thread.currentThread() == thread) {
            try {
                return action.call();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        if (!running || !thread.isAlive()) {
            throw new IllegalStateException(owner + " is closed" + (loopFailure != null ? "; its loop failed: " + loopFailure : ""));
        }
        FutureTask<T> task = new FutureTask<>(action);
        commands.add(task);
        selector.wakeup();
        try {
            return task.get(CONTROL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + owner, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw new UncheckedIOException(io);
            }
            throw new IllegalStateException("fault proxy command failed", e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException(owner + " did not run a command within " + CONTROL_TIMEOUT_SECONDS + " s", e);
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
                if (head != null && !stalled[f.direction.ordinal()]) {
                    // a chunk already due counts too (1 ms): it may have come due after this pass flushed, and
                    // leaving it out would block the select until some other traffic woke it (a hang, not a delay)
                    earliest = Math.min(earliest, Math.max(0, head.releaseAtNanos() - now));
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
