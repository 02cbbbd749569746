package io.respin.io.handoff;

import io.respin.io.log.Log;
import io.respin.RedisConnectionException;
import io.respin.engine.resp.Reply;
import java.util.ArrayList;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.jctools.queues.atomic.SpscAtomicArrayQueue;

/**
 * Carries what the server sends unasked — pub/sub messages, tracking invalidations, MONITOR lines — and the notices
 * about them (pushes dropped, connection lost) from the IO thread to the endpoints' listeners ({@link PushReceiver}), on a
 * thread of the runtime's own ({@code <threadName>-pushes}, started with the first push). Command completions go
 * through {@link Completions} instead: the two never share a queue, so a slow listener delays later pushes only,
 * never a command's completion, and never the IO thread.
 *
 * <pre>
 *   IO thread ──push──▶ [SPSC ring, pushQueueCapacity] ──▶ push thread ──▶ listener.onPush / onMonitor
 *      │         └─ ring full ─▶ dropped: counted in the endpoint's Sink, nothing is buffered
 *      └─ drop, disconnect ─▶ Sink counters + notice position ─(noticed)─▶ push thread ──▶ onDropped
 *                                                                                        onDisconnected
 *   (a notice needs no ring slot, so it is never dropped; it is delivered after the pushes that were queued
 *    before it, and before those that came after)
 * </pre>
 *
 * <p>State and owners:
 * <ul>
 *   <li>{@link #ring}: offered by the duty holder (the IO thread, or a submitter holding the duty: one thread at a
 *       time, ordered by the duty hand-off); polled by the push thread only — at close too, nothing else does;</li>
 *   <li>{@link #started}: duty holder; {@link #thread}: written once by the duty holder, read by {@link #close};</li>
 *   <li>{@link #noticed}: any producer adds a {@link Sink} with a new notice, the push thread takes them;</li>
 *   <li>{@link #watching}: push thread only (sinks whose notice waits for its place in the order);</li>
 *   <li>{@link #sleeper}: announced by the push thread, cleared by the producer that wakes it; {@link #stopping}: written by close.</li>
 * </ul>
 */
public final class Pushes {


    private final int capacity;
    private final String threadName;
    /** Created with the thread (a runtime that never sees a push allocates neither). */
    private SpscAtomicArrayQueue<Entry> ring;
    private boolean started;
    private volatile Thread thread;
    private final Queue<Sink> noticed = new ConcurrentLinkedQueue<>();
    private final ArrayList<Sink> watching = new ArrayList<>();
    private final Sleeper sleeper = new Sleeper();
    private volatile boolean stopping;

    public Pushes(int capacity, String threadName) {
        this.capacity = capacity;
        this.threadName = threadName;
    }

    /** One queued push: for which endpoint, and what (a push frame, or a MONITOR line). */
    private record Entry(Sink sink, Reply push, String line) {
    }

    /**
     * One endpoint's side of the push path: its listener and the counters that make its backlog bounded and its
     * losses visible. Owners: {@link #offered} the duty holder; {@link #consumed}, {@link #reportedDropped},
     * {@link #reportedDisconnects} and {@link #watched} the push thread; {@link #dropped} both (the duty holder when
     * the ring is full, the push thread when it discards at close); {@link #noticeAt} set by the duty holder, cleared
     * by the push thread; {@link #closed} set by whoever closes the endpoint.
     */
    public static final class Sink {
        private final Pushes pushes;
        final PushReceiver listener;
        /** Pushes put in the ring for this endpoint. */
        private volatile long offered;
        /** Pushes of this endpoint taken from the ring (delivered or discarded). */
        private volatile long consumed;
        /** Pushes this endpoint's listener never got: the ring was full, or the endpoint or runtime closed first. */
        private final AtomicLong dropped = new AtomicLong();
        private volatile long disconnects;
        private volatile RedisConnectionException lastDisconnect;
        /** -1: no notice pending; else the {@link #offered} count after which the pending notice is delivered. */
        private final AtomicLong noticeAt = new AtomicLong(-1);
        private long reportedDropped;
        private long reportedDisconnects;
        private boolean watched;
        private volatile boolean closed;

        public Sink(Pushes pushes, PushReceiver listener) {
            this.pushes = pushes;
            this.listener = listener;
        }

        /** Duty holder: a push frame for the listener (dropped and counted when the ring is full). */
        public void push(Reply push) {
            if (listener != null) {
                pushes.offer(new Entry(this, push, null));
            }
        }

        /** Duty holder: a MONITOR line for the listener. */
        public void monitor(String line) {
            if (listener != null) {
                pushes.offer(new Entry(this, null, line));
            }
        }

        /** Duty holder: the subscriber or monitor connection was lost; the listener will hear of it. */
        public void disconnected(String why, Throwable cause) {
            if (listener != null) {
                lastDisconnect = new RedisConnectionException(why + "; reconnecting", false, cause);
                disconnects = disconnects + 1; // single writer
                notice();
            }
        }

        /** The endpoint was closed: what is still queued for it is discarded (counted), no more notices. */
        public void close() {
            closed = true;
        }

        public long dropped() {
            return dropped.get();
        }

        public long backlog() {
            return Math.max(0, offered - consumed);
        }

        private void droppedOne() {
            dropped.incrementAndGet();
            notice();
        }

        /** Duty holder: mark a notice at the current position, unless one is already pending. */
        private void notice() {
            if (noticeAt.get() == -1 && noticeAt.compareAndSet(-1, offered)) {
                pushes.noticed(this);
            }
        }
    }

    // ------------------------------------------------------------------ duty holder

    private void offer(Entry e) {
        Sink s = e.sink;
        if (stopping) {
            s.dropped.incrementAndGet();
            return;
        }
        if (!started) {
            start();
        }
        if (!ring.offer(e)) {
            s.droppedOne(); // never block the IO thread, never buffer without bound
            return;
        }
        s.offered = s.offered + 1; // single writer
        wakeIfSleeping();
    }

    private void noticed(Sink s) {
        if (stopping) {
            return; // closed: no listener is called any more
        }
        if (!started) {
            start();
        }
        noticed.add(s);
        wakeIfSleeping();
    }

    private void start() {
        started = true;
        ring = new SpscAtomicArrayQueue<>(capacity);
        Thread t = new Thread(this::run, threadName + "-pushes");
        t.setDaemon(true);
        thread = t;
        t.start(); // publishes ring to the push thread
    }

    private void wakeIfSleeping() {
        sleeper.wake(thread);
    }

    // ------------------------------------------------------------------ push thread

    private void run() {
        ConsumerIdle idle = new ConsumerIdle();
        while (!stopping) {
            boolean noticesDone = notices();
            Entry e = ring.poll();
            if (e != null) {
                deliver(e);
                idle.reset();
                continue;
            }
            if (noticesDone) {
                idle.reset();
                continue;
            }
            if (idle.step()) {
                continue;
            }
            sleeper.announce();
            // re-check after announcing sleep: a producer that raced with us either sees it or we see its item
            if (ring.isEmpty() && noticed.isEmpty() && !stopping) {
                LockSupport.parkNanos(this, 100_000_000L);
            }
            sleeper.awake();
        }
        discardQueued();
    }

    private void deliver(Entry e) {
        Sink s = e.sink;
        try {
            if (s.closed) {
                s.dropped.incrementAndGet();
            } else if (e.push != null) {
                s.listener.onPush(e.push);
            } else {
                s.listener.onMonitor(e.line);
            }
        } catch (Throwable t) {
            report(t);
        } finally {
            s.consumed = s.consumed + 1; // single writer
        }
    }

    /** Delivers the notices whose place in the order has come; true when it delivered one. */
    private boolean notices() {
        Sink n;
        while ((n = noticed.poll()) != null) {
            if (!n.watched) {
                n.watched = true;
                watching.add(n);
            }
        }
        boolean any = false;
        for (int i = 0; i < watching.size(); i++) {
            Sink s = watching.get(i);
            long at = s.noticeAt.get();
            if (at != -1 && s.consumed < at) {
                continue; // pushes queued before the event come first
            }
            // cleared before reading the counters: an event after this re-marks the sink, none is missed
            s.noticeAt.set(-1);
            s.watched = false;
            watching.remove(i--);
            any |= notify(s);
        }
        return any;
    }

    private boolean notify(Sink s) {
        if (s.closed) {
            return false;
        }
        boolean any = false;
        long dropped = s.dropped.get();
        if (dropped > s.reportedDropped) {
            long n = dropped - s.reportedDropped;
            s.reportedDropped = dropped;
            any = true;
            try {
                s.listener.onDropped(n);
            } catch (Throwable t) {
                report(t);
            }
        }
        long disconnects = s.disconnects;
        if (disconnects > s.reportedDisconnects) {
            s.reportedDisconnects = disconnects;
            any = true;
            try {
                s.listener.onDisconnected(s.lastDisconnect);
            } catch (Throwable t) {
                report(t);
            }
        }
        return any;
    }

    /** At close: what the listeners will not get is counted as dropped (the push thread is the only consumer). */
    private void discardQueued() {
        Entry e;
        while ((e = ring.poll()) != null) {
            e.sink.dropped.incrementAndGet();
            e.sink.consumed = e.sink.consumed + 1;
        }
    }

    private static void report(Throwable t) {
        // a listener's failure must not end the push thread; report it where users look
        Thread.UncaughtExceptionHandler h = Thread.getDefaultUncaughtExceptionHandler();
        if (h != null) {
            h.uncaughtException(Thread.currentThread(), t);
        } else {
            Log.CALLBACKS.log(System.Logger.Level.ERROR, "respin: a push listener threw: " + t, t);
        }
    }

    // ------------------------------------------------------------------ closing

    /**
     * After the IO thread has ended (no producer is left): the push thread stops after the listener call it is in,
     * discarding (and counting) what is still queued. Waits at most {@code millis} for it: a listener that does not
     * return does not hold up the close; the thread (a daemon) then ends when the listener returns.
     */
    public void close(long millis) {
        stopping = true;
        Thread t = thread;
        if (t == null || t == Thread.currentThread()) {
            return; // never started; or closed from a listener, which cannot wait for itself
        }
        LockSupport.unpark(t);
        try {
            t.join(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
