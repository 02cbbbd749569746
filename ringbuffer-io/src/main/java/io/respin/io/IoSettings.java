package io.respin.io;

import io.respin.io.loop.Tuning;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * How an {@link IoRuntime} behaves: its idle strategy, queue bounds, timeouts, reconnect backoff, buffer sizes and
 * where completions run. Immutable; build one with {@link #builder()}. The defaults suit a general-purpose client:
 * an idle runtime costs ~0 CPU, a command times out after 10 s, a lost server is retried from 2 ms up to every 1 s.
 *
 * <p>A runtime's threads, and what runs on each: the IO thread ({@link #threadName()}: sockets, engine, deadlines;
 * no user code); the completion thread ({@code -completions}: {@link AsyncCommand} callbacks, or their hand-off to
 * the {@link #completionExecutor()}), fed by a queue of {@link #completionQueueCapacity()}; the push thread
 * ({@code -pushes}, from the first push: every {@link PushListener} call), fed by a bounded queue of
 * {@link #pushQueueCapacity()} that drops and counts what does not fit.
 *
 * <pre>{@code
 * IoSettings settings = IoSettings.builder()
 *         .idleStrategy(IoSettings.Idle.BUSY_SPIN)      // lowest latency, one core busy
 *         .commandTimeout(Duration.ofSeconds(2))
 *         .backpressure(IoSettings.Backpressure.FAIL_FAST)
 *         .build();
 * try (IoRuntime io = IoRuntime.start(settings)) { ... }
 * }</pre>
 */
public final class IoSettings {

    /** What the IO thread does when a pass found no work. */
    public enum Idle {
        /** Spin without pause: lowest latency, one core at 100% for the runtime's life. */
        BUSY_SPIN,
        /** Spin, then yield, then sleep in the selector until a socket, a submit or a deadline wakes it (default). */
        BACKOFF
    }

    /** What {@code submit} does when the bounded submit queue is full. */
    public enum Backpressure {
        /** Throw {@link io.respin.RedisBackpressureException} at once: for callers that shed load themselves. */
        FAIL_FAST,
        /**
         * Wait for room until the command's deadline, then throw {@link io.respin.RedisBackpressureException}
         * (default: a burst larger than the bound slows its callers down instead of failing them, as a blocking
         * pool or Lettuce's unbounded queue would, while memory stays bounded).
         */
        WAIT_UNTIL_DEADLINE
    }

    /** What happens to a command submitted while its connection is down (between reconnect attempts). */
    public enum WhenDisconnected {
        /** Keep it (never written) and send it after the reconnect, unless its deadline passes first (default). */
        WAIT,
        /** Fail it at once with a {@link io.respin.RedisConnectionException} (outcome known: not sent). */
        FAIL_FAST
    }

    private final Idle idle;
    private final int submitQueueCapacity;
    private final int batchLimit;
    private final Backpressure backpressure;
    private final long commandTimeoutNanos;
    private final long connectTimeoutNanos;
    private final long reconnectMinNanos;
    private final long reconnectMaxNanos;
    private final double reconnectJitter;
    private final int readBufferSize;
    private final int maxReadBufferSize;
    private final int writeBufferSize;
    private final int maxWriteBufferSize;
    private final boolean keepAlive;
    private final long idlePingNanos;
    private final WhenDisconnected whenDisconnected;
    private final boolean retryIdempotent;
    private final long maxPendingBytes;
    private final Executor completionExecutor;
    private final int completionQueueCapacity;
    private final int pushQueueCapacity;
    private final String threadName;
    private final boolean submitterWrites;
    private final IoListener listener;

    private IoSettings(Builder b) {
        this.idle = b.idle;
        this.submitQueueCapacity = b.submitQueueCapacity;
        this.batchLimit = b.batchLimit;
        this.backpressure = b.backpressure;
        this.commandTimeoutNanos = b.commandTimeout.toNanos();
        this.connectTimeoutNanos = b.connectTimeout.toNanos();
        this.reconnectMinNanos = b.reconnectMin.toNanos();
        this.reconnectMaxNanos = b.reconnectMax.toNanos();
        this.reconnectJitter = b.reconnectJitter;
        this.readBufferSize = b.readBufferSize;
        this.maxReadBufferSize = b.maxReadBufferSize;
        this.writeBufferSize = b.writeBufferSize;
        this.maxWriteBufferSize = b.maxWriteBufferSize;
        this.keepAlive = b.keepAlive;
        this.idlePingNanos = b.idlePing.toNanos();
        this.whenDisconnected = b.whenDisconnected;
        this.retryIdempotent = b.retryIdempotent;
        this.maxPendingBytes = b.maxPendingBytes;
        this.completionExecutor = b.completionExecutor;
        this.completionQueueCapacity = b.completionQueueCapacity;
        this.pushQueueCapacity = b.pushQueueCapacity;
        this.threadName = b.threadName;
        this.submitterWrites = b.submitterWrites;
        this.listener = b.listener;
    }

    /** The defaults, as documented on each builder method. */
    public static IoSettings defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder that starts from these settings. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.idle = idle;
        b.submitQueueCapacity = submitQueueCapacity;
        b.batchLimit = batchLimit;
        b.backpressure = backpressure;
        b.commandTimeout = Duration.ofNanos(commandTimeoutNanos);
        b.connectTimeout = Duration.ofNanos(connectTimeoutNanos);
        b.reconnectMin = Duration.ofNanos(reconnectMinNanos);
        b.reconnectMax = Duration.ofNanos(reconnectMaxNanos);
        b.reconnectJitter = reconnectJitter;
        b.readBufferSize = readBufferSize;
        b.maxReadBufferSize = maxReadBufferSize;
        b.writeBufferSize = writeBufferSize;
        b.maxWriteBufferSize = maxWriteBufferSize;
        b.keepAlive = keepAlive;
        b.idlePing = Duration.ofNanos(idlePingNanos);
        b.whenDisconnected = whenDisconnected;
        b.retryIdempotent = retryIdempotent;
        b.maxPendingBytes = maxPendingBytes;
        b.completionExecutor = completionExecutor;
        b.completionQueueCapacity = completionQueueCapacity;
        b.pushQueueCapacity = pushQueueCapacity;
        b.threadName = threadName;
        b.submitterWrites = submitterWrites;
        b.listener = listener;
        return b;
    }

    public Idle idleStrategy() { return idle; }

    /** Whether a submitter that finds the IO thread asleep writes the queued commands itself (see the builder). */
    public boolean submitterWrites() { return submitterWrites; }

    public int submitQueueCapacity() { return submitQueueCapacity; }

    /** The bound on the bytes of queued + waiting + in-flight commands (see {@link Builder#maxPendingBytes(long)}). */
    public long maxPendingBytes() { return maxPendingBytes; }

    /** The bound on queued + waiting + in-flight commands (see {@link Builder#maxPendingCommands(int)}). */
    public int maxPendingCommands() { return submitQueueCapacity; }

    public int batchLimit() { return batchLimit; }

    public Backpressure backpressure() { return backpressure; }

    public long commandTimeoutNanos() { return commandTimeoutNanos; }

    public long connectTimeoutNanos() { return connectTimeoutNanos; }

    public long reconnectMinNanos() { return reconnectMinNanos; }

    public long reconnectMaxNanos() { return reconnectMaxNanos; }

    public double reconnectJitter() { return reconnectJitter; }

    public int readBufferSize() { return readBufferSize; }

    public int maxReadBufferSize() { return maxReadBufferSize; }

    public int writeBufferSize() { return writeBufferSize; }

    public int maxWriteBufferSize() { return maxWriteBufferSize; }

    public boolean keepAlive() { return keepAlive; }

    /** 0 when idle PINGs are off. */
    public long idlePingNanos() { return idlePingNanos; }

    public WhenDisconnected whenDisconnected() { return whenDisconnected; }

    /** Whether {@link IoCommand#idempotent()} commands caught by a disconnect are sent again after it. */
    public boolean retryIdempotent() { return retryIdempotent; }

    /** Null: callbacks run on the runtime's own completion thread. */
    public Executor completionExecutor() { return completionExecutor; }

    public int completionQueueCapacity() { return completionQueueCapacity; }

    /** Pushes waiting for the push thread before new ones are dropped (see the builder). */
    public int pushQueueCapacity() { return pushQueueCapacity; }

    public String threadName() { return threadName; }

    /** Who hears of commands, connections and backpressure, or null (see {@link Builder#listener}). */
    public IoListener listener() { return listener; }

    /** These settings as the loop reads them (its own record, so that it needs nothing of this package). */
    Tuning tuning() {
        return new Tuning(threadName, idle == Idle.BUSY_SPIN, submitterWrites, submitQueueCapacity, batchLimit,
                maxPendingCommands(), maxPendingBytes, backpressure == Backpressure.FAIL_FAST, commandTimeoutNanos,
                connectTimeoutNanos, reconnectMinNanos, reconnectMaxNanos, reconnectJitter, readBufferSize,
                maxReadBufferSize, writeBufferSize, maxWriteBufferSize, keepAlive, idlePingNanos,
                whenDisconnected == WhenDisconnected.FAIL_FAST, retryIdempotent, completionExecutor,
                completionQueueCapacity, pushQueueCapacity, listener == null ? null : new ListenerProbe(listener));
    }

    @Override
    public String toString() {
        return "IoSettings{idle=" + idle + ", submitQueue=" + submitQueueCapacity + ", batch=" + batchLimit
                + ", backpressure=" + backpressure + ", commandTimeout=" + Duration.ofNanos(commandTimeoutNanos)
                + ", connectTimeout=" + Duration.ofNanos(connectTimeoutNanos)
                + ", reconnect=" + Duration.ofNanos(reconnectMinNanos) + ".." + Duration.ofNanos(reconnectMaxNanos)
                + ", read=" + readBufferSize + ".." + maxReadBufferSize + ", write=" + writeBufferSize + ".."
                + maxWriteBufferSize + ", keepAlive=" + keepAlive + ", whenDisconnected=" + whenDisconnected
                + ", retryIdempotent=" + retryIdempotent + ", submitterWrites=" + submitterWrites
                + ", pushQueue=" + pushQueueCapacity + (listener == null ? "" : ", listener=" + listener) + "}";
    }

    /** Builds {@link IoSettings}; every setting has a default. */
    public static final class Builder {
        private Idle idle = Idle.BACKOFF;
        private int submitQueueCapacity = 65_536;
        private int batchLimit = 1_024;
        private Backpressure backpressure = Backpressure.WAIT_UNTIL_DEADLINE;
        private Duration commandTimeout = Duration.ofSeconds(10);
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration reconnectMin = Duration.ofMillis(2);
        private Duration reconnectMax = Duration.ofSeconds(1);
        private double reconnectJitter = 0.2;
        private int readBufferSize = 64 * 1024;
        private int maxReadBufferSize = 64 * 1024 * 1024;
        private int writeBufferSize = 64 * 1024;
        private int maxWriteBufferSize = 64 * 1024 * 1024;
        private boolean keepAlive = true;
        private Duration idlePing = Duration.ZERO;
        private WhenDisconnected whenDisconnected = WhenDisconnected.WAIT;
        private boolean retryIdempotent = true;
        private long maxPendingBytes = 256L << 20;
        private Executor completionExecutor;
        private int completionQueueCapacity = 65_536;
        private int pushQueueCapacity = 65_536;
        private String threadName = "respin-io";
        private boolean submitterWrites = true;
        private IoListener listener;

        private Builder() {
        }

        /** {@link Idle#BACKOFF} by default. */
        public Builder idleStrategy(Idle v) { idle = Objects.requireNonNull(v); return this; }

        /**
         * The most commands this runtime holds at once, all endpoints together: queued for the IO thread, waiting for
         * a connection, and in flight (default 65,536). A submit beyond it is backpressure ({@link #backpressure}),
         * so memory stays bounded whatever callers do (a stalled or unreachable server included).
         */
        public Builder maxPendingCommands(int v) { submitQueueCapacity = positive(v, "maxPendingCommands"); return this; }

        /**
         * The most bytes of argument values ({@link IoCommand#weight()}: SET's value, MSET's, RPUSH's...) the runtime
         * holds at once in commands queued, waiting for a connection and in flight (default 256 MiB). Beyond it a
         * submit gets the {@link #backpressure(Backpressure)} as for {@link #maxPendingCommands(int)}. One command
         * larger than the whole bound is let in alone, when nothing else is held, so that it can still be sent.
         */
        public Builder maxPendingBytes(long v) {
            if (v <= 0) {
                throw new IllegalArgumentException("maxPendingBytes must be > 0, got " + v);
            }
            maxPendingBytes = v;
            return this;
        }

        /** The older name of {@link #maxPendingCommands(int)}: the same bound. */
        public Builder submitQueueCapacity(int v) { return maxPendingCommands(v); }

        /** Commands the IO thread takes from the submit queue per pass before it writes (default 1,024). */
        public Builder batchLimit(int v) { batchLimit = positive(v, "batchLimit"); return this; }

        /** {@link Backpressure#WAIT_UNTIL_DEADLINE} by default. */
        public Builder backpressure(Backpressure v) { backpressure = Objects.requireNonNull(v); return this; }

        /** Default deadline of a command, from submit to reply (default 10 s); a command may set its own. */
        public Builder commandTimeout(Duration v) { commandTimeout = positive(v, "commandTimeout"); return this; }

        /** Time allowed for TCP connect + TLS + the Redis handshake (default 10 s). */
        public Builder connectTimeout(Duration v) { connectTimeout = positive(v, "connectTimeout"); return this; }

        /**
         * Reconnect backoff: the first retry waits {@code min}, each failed attempt doubles it up to {@code max}
         * (defaults 2 ms and 1 s); {@code jitter} (0..1, default 0.2) spreads clients that lost the same server.
         */
        public Builder reconnectBackoff(Duration min, Duration max, double jitter) {
            if (positive(min, "reconnect min").compareTo(positive(max, "reconnect max")) > 0 || jitter < 0 || jitter > 1) {
                throw new IllegalArgumentException("need 0 < min <= max and 0 <= jitter <= 1, got " + min + ", " + max + ", " + jitter);
            }
            reconnectMin = min;
            reconnectMax = max;
            reconnectJitter = jitter;
            return this;
        }

        /** Initial and largest read buffer per connection (defaults 64 KiB and 64 MiB). */
        public Builder readBuffer(int initial, int max) {
            readBufferSize = positive(initial, "read buffer");
            maxReadBufferSize = atLeast(max, initial, "max read buffer");
            return this;
        }

        /** Initial and largest write buffer per connection (defaults 64 KiB and 64 MiB). */
        public Builder writeBuffer(int initial, int max) {
            writeBufferSize = positive(initial, "write buffer");
            maxWriteBufferSize = atLeast(max, initial, "max write buffer");
            return this;
        }

        /** TCP keepalive on connections (default on). */
        public Builder keepAlive(boolean v) { keepAlive = v; return this; }

        /** Send a PING on a connection that has been silent this long, to detect dead peers (default off: 0). */
        public Builder idlePing(Duration v) {
            if (v.isNegative()) {
                throw new IllegalArgumentException("idlePing must be >= 0, got " + v);
            }
            idlePing = v;
            return this;
        }

        /** {@link WhenDisconnected#WAIT} by default; waiting is bounded by each command's deadline. */
        public Builder whenDisconnected(WhenDisconnected v) { whenDisconnected = Objects.requireNonNull(v); return this; }

        /**
         * Send {@link IoCommand#idempotent()} commands (reads) once more when the connection drops before their reply,
         * within their deadline (default on, as rueidis does). Other commands are never resent: a written command
         * without a reply may have run. Off: a read caught by a connection loss fails with outcome unknown.
         */
        public Builder retryIdempotent(boolean v) { retryIdempotent = v; return this; }

        /**
         * Where {@link AsyncCommand} callbacks run. Null (default): on the runtime's completion thread, in order.
         * Give an executor (e.g. {@code Executors.newVirtualThreadPerTaskExecutor()}) when callbacks may block.
         */
        public Builder completionExecutor(Executor v) { completionExecutor = v; return this; }

        /** Completions waiting for the completion thread before the IO thread holds them back (default 65,536). */
        public Builder completionQueueCapacity(int v) { completionQueueCapacity = positive(v, "completionQueueCapacity"); return this; }

        /**
         * Pushes (pub/sub messages, tracking invalidations, MONITOR lines) received and waiting for the runtime's
         * push thread, which calls the {@link PushListener}s — all endpoints together (default 65,536; rounded up to
         * a power of 2; the queue is allocated with the first push). Listeners never share a queue with command
         * completions, so a slow listener delays only later pushes. When the queue is full the IO thread neither
         * waits nor buffers: the push is dropped, counted in {@link RedisEndpoint#droppedPushes()} and announced by
         * {@link PushListener#onDropped(long)}. Each queued push holds its message (payload plus about 100 bytes):
         * size it by the backlog you can afford, e.g. 65,536 messages of 3 KB hold about 200 MB.
         */
        public Builder pushQueueCapacity(int v) { pushQueueCapacity = positive(v, "pushQueueCapacity"); return this; }

        /**
         * Under {@link Idle#BACKOFF}: when a command is submitted while the IO thread sleeps in the selector, the
         * submitting thread encodes and writes the queued commands itself instead of waking the IO thread, which
         * still reads the replies (woken by the socket). Saves one thread wake-up per command at low and moderate
         * rates; under load the IO thread is awake and batches as usual. Default on; off keeps every socket
         * operation on the IO thread (for embedders that need that).
         */
        public Builder submitterWrites(boolean v) { submitterWrites = v; return this; }

        /**
         * Name of the IO thread (default "respin-io"); the completion thread gets "-completions" appended, the push
         * thread "-pushes".
         */
        public Builder threadName(String v) { threadName = Objects.requireNonNull(v); return this; }

        /**
         * Who hears of every command that ends (name, duration, outcome), of connections going down and up, and of
         * backpressure: a metrics or tracing adapter (see {@link IoListener}, and respin's {@code metrics-micrometer}
         * and {@code tracing-opentelemetry} modules). Default none (null): then the runtime does not even look at
         * the clock for it. The listener runs on the IO thread (and on submitting threads): it must be fast,
         * thread-safe, and must not block.
         */
        public Builder listener(IoListener v) { listener = v; return this; }

        public IoSettings build() {
            return new IoSettings(this);
        }

        private static int positive(int v, String what) {
            if (v <= 0) {
                throw new IllegalArgumentException(what + " must be > 0, got " + v);
            }
            return v;
        }

        private static int atLeast(int v, int min, String what) {
            if (v < min) {
                throw new IllegalArgumentException(what + " must be >= " + min + ", got " + v);
            }
            return v;
        }

        private static Duration positive(Duration v, String what) {
            if (v.isNegative() || v.isZero()) {
                throw new IllegalArgumentException(what + " must be > 0, got " + v);
            }
            return v;
        }
    }
}
