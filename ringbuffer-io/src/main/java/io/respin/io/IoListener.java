package io.respin.io;

import io.respin.RedisCancelledException;
import io.respin.RedisConnectionException;
import io.respin.RedisException;
import io.respin.RedisServerException;
import io.respin.RedisTimeoutException;
import java.util.List;

/**
 * What an {@link IoRuntime} tells a metrics or tracing adapter: every command that ended, with its duration and
 * outcome; connections going down and coming back up; commands meeting the runtime's pending bound (backpressure).
 * Set one with {@link IoSettings.Builder#listener(IoListener)} (or {@code RedisClientBuilder.listener}); without
 * one the runtime skips the calls altogether (a null check), and with one it allocates nothing to make them: every
 * argument already exists. Queue depths are read on demand instead ({@link IoRuntime#pendingCommands()},
 * {@link IoRuntime#pendingBytes()}, {@code RedisClient.status()}).
 *
 * <p>The calls run on whichever thread ends the command or notices the event — the IO thread, a submitting thread
 * that holds the IO duty for a moment, or the thread that closes the runtime — so an implementation must be
 * thread-safe, must not block, and must be fast: the IO thread waits for it. It must not submit commands from a
 * call, and must not keep the {@link RedisException}s it is given beyond the call if it does not need them. An
 * exception it throws is reported to the thread's uncaught-exception handler and otherwise ignored. Every method
 * has an empty default, so an adapter implements what it needs.
 *
 * <pre>{@code
 * LongAdder errors = new LongAdder();
 * IoListener listener = new IoListener() {
 *     @Override public void commandCompleted(RedisEndpoint endpoint, String command, long durationNanos,
 *                                            Outcome outcome, RedisException error) {
 *         if (outcome != Outcome.OK) errors.increment();
 *     }
 * };
 * IoRuntime io = IoRuntime.start(IoSettings.builder().listener(listener).build());
 * }</pre>
 */
public interface IoListener {

    /**
     * One listener that hands every event to each of {@code listeners}, in order: e.g. Micrometer metrics and
     * OpenTelemetry traces on one runtime. Each gets back what its own {@link #commandStarted} returned.
     *
     * <pre>{@code
     * builder.listener(IoListener.all(MicrometerListener.builder(registry).build(),
     *                                 OpenTelemetryListener.builder(otel).metrics(false).build()));
     * }</pre>
     */
    static IoListener all(IoListener... listeners) {
        List<IoListener> list = List.of(listeners); // null elements are refused here
        return list.size() == 1 ? list.getFirst() : new IoListeners(list);
    }

    /** How a command ended. */
    enum Outcome {
        /** The server replied (a reply that is an error is {@link #SERVER_ERROR}). */
        OK,
        /** The server replied with an error ({@link RedisServerException}: WRONGTYPE, NOSCRIPT...). */
        SERVER_ERROR,
        /** No reply within its deadline ({@link RedisTimeoutException}). */
        TIMEOUT,
        /** Its caller cancelled it, or was interrupted ({@link RedisCancelledException}). */
        CANCELLED,
        /** The connection was lost, could not be made, or was closed ({@link RedisConnectionException}). */
        CONNECTION_ERROR,
        /** Any other failure: a reply over a limit, a protocol error, a reply the command could not decode. */
        OTHER_ERROR;

        /** The outcome {@code error} stands for; {@link #OK} for null. */
        public static Outcome of(RedisException error) {
            return error == null ? OK
                    : error instanceof RedisServerException ? SERVER_ERROR
                    : error instanceof RedisTimeoutException ? TIMEOUT
                    : error instanceof RedisCancelledException ? CANCELLED
                    : error instanceof RedisConnectionException ? CONNECTION_ERROR
                    : OTHER_ERROR;
        }
    }

    /** Which of an endpoint's connections an event is about. */
    enum Connection {
        /** The shared, auto-pipelined connection of ordinary commands. */
        SHARED,
        /** A pooled connection of blocking commands and transactions ({@link RedisEndpoint#dedicated()}). */
        DEDICATED,
        /** The connection of SUBSCRIBE-family commands. */
        SUBSCRIBER,
        /** The MONITOR connection. */
        MONITOR
    }

    /** Which redirect a cluster node answered ({@link #redirected}). */
    enum Redirect {
        /** {@code MOVED}: the slot belongs to another node now; the client's slot map was stale. */
        MOVED,
        /** {@code ASK}: the slot is being migrated and this key is already on the target node; this command only. */
        ASK
    }

    /**
     * A command was accepted for {@code endpoint} (it holds a place among the pending commands and will end, exactly
     * once, with {@link #commandCompleted}): called on the submitting thread, so that a tracing adapter can start a
     * span whose parent is that thread's current context. What it returns is handed back to {@code commandCompleted}
     * as {@code started}. The runtime calls it only when the listener overrides it, or
     * {@link #commandStarted(RedisEndpoint, IoCommand)} (the default costs nothing).
     *
     * @param command the command's name, never its arguments
     * @return anything the listener wants back when the command ends (a span...), or null
     */
    default Object commandStarted(RedisEndpoint endpoint, String command) {
        return null;
    }

    /**
     * {@link #commandStarted(RedisEndpoint, String)} with the command itself, for a listener that needs more than
     * its name (an OpenTelemetry statement with its values hidden: {@code SET k ?}). This is the method the runtime
     * calls; its default calls the other one with {@link IoCommand#name()}. The command's arguments hold the user's
     * data — keys, values, passwords: a listener that reads them ({@link IoCommand#encode}) decides what may leave,
     * and must not keep the command (it is reused once it ends).
     */
    default Object commandStarted(RedisEndpoint endpoint, IoCommand command) {
        return commandStarted(endpoint, command.name());
    }

    /**
     * A command submitted to {@code endpoint} ended: replied, failed, timed out, was cancelled, or was failed by a
     * close — exactly once per submit that the runtime accepted (a submit refused by backpressure or a closed
     * endpoint is not a command that ended: see {@link #backpressure}). Called just after the command's own outcome
     * was published, so the caller is not held up by the listener.
     *
     * @param command       the command's name ({@link IoCommand#name()}: "GET", "CONFIG GET"), never its arguments
     * @param durationNanos from submit to the end, in nanoseconds (queueing, writing and the server's time together)
     * @param outcome       how it ended
     * @param error         why it failed, or null for {@link Outcome#OK}
     */
    default void commandCompleted(RedisEndpoint endpoint, String command, long durationNanos, Outcome outcome,
                                  RedisException error) {
    }

    /**
     * {@link #commandCompleted(RedisEndpoint, String, long, Outcome, RedisException)} with what
     * {@link #commandStarted} returned for the command ({@code null} when it is not overridden). This is the method
     * the runtime calls; its default calls the other one, so a listener overrides either.
     */
    default void commandCompleted(RedisEndpoint endpoint, String command, Object started, long durationNanos,
                                  Outcome outcome, RedisException error) {
        commandCompleted(endpoint, command, durationNanos, outcome, error);
    }

    /**
     * {@link #commandCompleted(RedisEndpoint, String, Object, long, Outcome, RedisException)} with the bytes the
     * command took on the wire: this is the method the runtime calls, and its default calls that one, so a listener
     * overrides whichever it needs. Both counts are taken from positions the IO layer has anyway (no byte is
     * looked at twice, nothing is allocated).
     *
     * @param bytesOut the bytes of the command's RESP encoding as last written to the socket (a command resent after
     *                 a reconnect: its last send; a reconnect's first command also carries the handshake commands
     *                 still queued in front of it); 0 when it was never written (timed out or failed while waiting)
     * @param bytesIn  the bytes of its reply's RESP encoding (an error reply too; a command inside MULTI/EXEC: the
     *                 EXEC reply's); 0 when no reply came
     */
    default void commandCompleted(RedisEndpoint endpoint, String command, Object started, long durationNanos,
                                  long bytesOut, long bytesIn, Outcome outcome, RedisException error) {
        commandCompleted(endpoint, command, started, durationNanos, outcome, error);
    }

    /**
     * A connection of {@code endpoint} finished its handshake and is ready: its first time, or after it was down
     * ({@code reconnect}).
     *
     * @param attempts the connects it took, this successful one included: 1 when the first try worked; after a
     *                 loss, 1 + the attempts that failed before this one (refused, timed out, handshake refused)
     */
    default void connectionUp(RedisEndpoint endpoint, Connection connection, boolean reconnect, int attempts) {
    }

    /**
     * A connection of {@code endpoint} that was ready is lost ({@code cause} says why: the server closed it, a
     * protocol error, a silent socket...); the runtime reconnects in the background. Attempts that fail while it
     * is down are not reported one by one: {@link #connectionUp} counts them.
     */
    default void connectionDown(RedisEndpoint endpoint, Connection connection, RedisException cause) {
    }

    /**
     * A command met the runtime's bound on pending commands or bytes ({@link IoSettings#maxPendingCommands()},
     * {@link IoSettings#maxPendingBytes()}): under {@link IoSettings.Backpressure#FAIL_FAST} it was refused
     * ({@code refused}), under {@code WAIT_UNTIL_DEADLINE} it starts waiting for room. Called on the submitting
     * thread, once per command that met the bound.
     */
    default void backpressure(long pendingCommands, long pendingBytes, boolean refused) {
    }

    /**
     * A cluster node answered {@code command} with a redirect: {@code MOVED} (the client's slot map was stale: it
     * learns the new owner and refreshes) or {@code ASK} (the slot is migrating); the command goes to
     * {@code toHost:toPort} next. Called by the cluster client (the thread that handles the reply: the completion
     * thread, or the caller's own for a blocking call), once per redirect a node answered; its retries after
     * {@code TRYAGAIN} or {@code CLUSTERDOWN} are not redirects.
     *
     * @param from the node that answered the redirect
     * @param slot the hash slot named in the redirect
     */
    default void redirected(RedisEndpoint from, String command, Redirect kind, int slot, String toHost, int toPort) {
    }

    /**
     * {@code endpoint} was closed ({@link RedisEndpoint#close()}): no event of it follows. An adapter drops what it
     * keeps for it (its gauges...), so that endpoints opened and closed over a long life do not pile up. Endpoints
     * closed by their runtime's close are reported by {@link #runtimeClosed} instead.
     */
    default void endpointClosed(RedisEndpoint endpoint) {
    }

    /**
     * {@code runtime} was closed ({@link IoRuntime#close()}), and every endpoint of it with it: an adapter drops
     * what it keeps for the runtime and its endpoints. Called once, on the closing thread, after the close.
     */
    default void runtimeClosed(IoRuntime runtime) {
    }
}
