package io.respin.io.log;

/**
 * The IO layer's loggers. Nothing is logged per command on the hot path: connection events (connected at DEBUG,
 * lost at WARNING, a refused handshake at WARNING with the server's words, reconnected at INFO with the attempts it
 * took, failed attempts at DEBUG), backpressure (WARNING, at most one line every 10 s), callbacks and listeners that
 * threw (ERROR), and faults of the IO thread (ERROR).
 * Messages name hosts as {@code host:port} and never hold a password (a URI is only ever shown redacted).
 *
 * <pre>{@code
 * // java.util.logging (the default binding): show reconnect attempts too
 * java.util.logging.Logger.getLogger("io.respin.connection").setLevel(java.util.logging.Level.FINE);
 * }</pre>
 */
public final class Log {
    /** Connects, losses, refused handshakes, reconnects. */
    public static final System.Logger CONNECTION = System.getLogger("io.respin.connection");
    /** Completion callbacks, push and pub/sub listeners that threw. */
    public static final System.Logger CALLBACKS = System.getLogger("io.respin.callbacks");
    /** Commands meeting the client's pending bound (at most one line every 10 s, with how many met it). */
    public static final System.Logger BACKPRESSURE = System.getLogger("io.respin.backpressure");
    /** Faults of the IO thread itself (a bug, or an Error that stopped it). */
    public static final System.Logger IO_THREAD = System.getLogger("io.respin.iothread");

    private Log() {
    }

    /**
     * A completion callback threw on thread {@code t}: it goes to the default uncaught-exception handler when one is
     * set (where users look), else to {@link #CALLBACKS} at ERROR. The thread running callbacks carries on.
     */
    public static void callbackThrew(Thread t, Throwable error) {
        Thread.UncaughtExceptionHandler h = Thread.getDefaultUncaughtExceptionHandler();
        if (h != null) {
            h.uncaughtException(t, error);
        } else {
            CALLBACKS.log(System.Logger.Level.ERROR, "respin: a completion callback threw: " + error, error);
        }
    }
}
