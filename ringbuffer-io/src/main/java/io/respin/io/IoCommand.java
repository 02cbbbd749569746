package io.respin.io;

import io.respin.RedisCancelledException;
import io.respin.RedisException;
import io.respin.io.loop.Submission;
import java.time.Duration;

/**
 * One command on its way through an {@link IoRuntime}: the engine {@link io.respin.engine.connection.Request} (how to encode it, where its
 * reply's tokens go) plus what the transport needs — a deadline and a completion. Clients subclass it once per
 * command shape; most will extend {@link SyncCommand} (the caller waits) or {@link AsyncCommand} (callbacks on
 * the completion thread) instead of this class.
 *
 * <p>Life: {@link RedisEndpoint#submit} stamps the deadline and queues it; the IO thread encodes it, reads its
 * reply into {@link #replyHandler()}, and then calls exactly once either {@link #completed()} or
 * {@link #failed(RedisException)} — on the thread that holds the IO duty: the IO thread, or a submitting thread that
 * sent and read commands itself while the IO thread slept (so possibly another caller's thread), or, after a close,
 * the closing thread. Those two methods must only publish the outcome (a volatile
 * write and an unpark, or a hand-off to a queue): anything slow there stalls every connection of the runtime.
 * After the call the command may be submitted again (reuse is allowed, never while it is pending).
 *
 * <pre>{@code
 * final class Incr extends SyncCommand {
 *     final byte[] key; long value;
 *     final RespHandler handler = new RespHandler.Adapter() {
 *         @Override public void onInteger(long v) { value = v; }
 *     };
 *     Incr(byte[] key) { this.key = key; }
 *     public void encode(RespWriter w) { w.array(2).arg("INCR").arg(key); }
 *     public RespHandler replyHandler() { return handler; }
 *     public CommandKind kind() { return CommandKind.PLAIN; }
 * }
 * Incr incr = new Incr(key);
 * endpoint.submit(incr);
 * incr.await();              // returns or throws the RedisException
 * }</pre>
 */
@SuppressWarnings("exports") // Submission is the loop's half of a command: it has no member users can reach
public abstract class IoCommand extends Submission {

    /** The caller's: set before submit; read-only while pending. */
    private long timeoutNanos = -1;

    protected IoCommand() {
        super(false);
    }

    /** For {@link SyncCommand}, whose submitter waits and may read its own reply. */
    IoCommand(boolean callerWaits) {
        super(callerWaits);
    }

    /** Overrides the runtime's default timeout for this command (from submit to reply). */
    public final IoCommand timeout(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be > 0, got " + timeout);
        }
        this.timeoutNanos = timeout.toNanos();
        return this;
    }

    /** Back to the runtime's (or endpoint's) default timeout: for command objects reused across calls. */
    public final IoCommand defaultTimeout() {
        this.timeoutNanos = -1;
        return this;
    }

    /** The timeout set on this command, or -1 when it uses the runtime's default. */
    @Override
    public final long timeoutNanos() {
        return timeoutNanos;
    }

    /** {@code System.nanoTime()} by which the command ends, set at submit. */
    @Override
    public final long deadlineNanos() {
        return super.deadlineNanos();
    }

    /** True from submit until the IO thread has called {@code completed} or {@code failed}. */
    @Override
    public final boolean isPending() {
        return super.isPending();
    }

    /**
     * When ({@code System.nanoTime()}) this command was last submitted. With {@link #endedNanos()} and the caller's
     * own clock it splits a command's latency across its hand-offs: submit → ended is queueing, encoding, the
     * network and the server; ended → callback or wake-up is the hand-off back to the caller.
     */
    public final long submittedNanos() {
        return submittedAtNanos();
    }

    /**
     * When ({@code System.nanoTime()}) the IO thread (or a submitter holding the duty) ended this command's latest run
     * — its reply read and decoded (the clock of the read that brought the reply: the replies of one read share it),
     * or its failure decided — just before handing the outcome on; 0 before the first.
     * Read it after the outcome has reached you (it is published with it).
     */
    public final long endedNanos() {
        return endedAtNanos();
    }

    /** How messages name the command, e.g. "GET" (default: the class's simple name). */
    @Override
    public String name() {
        return getClass().getSimpleName();
    }

    /**
     * True for commands that block on the server (BLPOP, BRPOP, BLMOVE, BZPOPMIN, XREAD BLOCK, WAIT...): the
     * runtime sends them on a dedicated connection so they never hold up the shared pipeline.
     */
    @Override
    public boolean blocking() {
        return false;
    }

    /**
     * True for commands that may safely run twice (reads: GET, HGETALL, ...; the clients answer from the server's
     * {@code readonly} flag, {@code Command.isReadOnly()}). With {@link IoSettings.Builder#retryIdempotent(boolean)}
     * on (the default), such a command that was written on a connection that then dropped is sent once more after
     * the reconnect, within its deadline, instead of failing with an unknown outcome — unless part of its reply had
     * been read, or it went out inside MULTI or after WATCH, or on a dedicated connection whose state a SELECT or
     * HELLO changed (the new connection would not mean the same). Default false: never resent.
     */
    @Override
    public boolean idempotent() {
        return false;
    }

    /**
     * Called on the duty holder just before an {@link #idempotent()} command is sent again after a connection loss:
     * forget any per-send state here. The reply handler has seen no token of a reply (a command whose reply had begun
     * to arrive is not resent).
     */
    @Override
    protected void onResend() {
    }

    /**
     * For a {@link #blocking()} command, how long the server may block for it: its deadline is then this block time
     * plus the command timeout, and {@code 0} (block until there is something to return) means no deadline at all —
     * it ends with its reply, a cancel, a close or a connection loss. {@code -1} (the default): not known, the
     * command timeout alone applies.
     */
    @Override
    public long blockNanos() {
        return -1;
    }

    /**
     * A request the IO thread writes immediately before this command, nothing between them, whose reply is read and
     * dropped: {@code CLIENT CACHING YES} for a read that an {@code OPTIN} tracking connection must remember. Default
     * null. If the command must wait for room in the write buffer after its prelude went in, the prelude is written
     * again with it.
     */
    @Override
    protected io.respin.engine.connection.Request prelude() {
        return null;
    }

    /**
     * Roughly the bytes of argument values the command holds until it ends (a SET's value...), counted against
     * {@link IoSettings#maxPendingBytes()}; read once, at submit. Default 0: small arguments, counted by number only.
     */
    @Override
    public long weight() {
        return 0;
    }

    /** The reply has been delivered to {@link #replyHandler()}. Runs on the duty holder: publish and return. */
    @Override
    protected abstract void completed();

    /** The command ended without a reply; {@code error} says why. Runs on the duty holder: publish and return. */
    @Override
    protected abstract void failed(RedisException error);

    /**
     * Called on the submitting thread each time the command is submitted, before the IO thread sees it: reset
     * per-call state here when command objects are reused.
     */
    @Override
    protected void onSubmit() {
    }

    /**
     * Asks the runtime to end this command now, if it is still pending; returns false when it is not. Not sent
     * yet: it fails unsent. In flight: it fails at once and its reply, when it comes, is discarded (the command may
     * have run). A blocking command in flight (BLPOP...) also closes its dedicated connection, so that the server
     * stops blocking for it and pops nothing for nobody. It ends with {@link RedisCancelledException} through
     * {@link #failed}, on the IO thread, like any other outcome; from any thread, asynchronously.
     */
    @Override
    public final boolean cancel() {
        return super.cancel();
    }

    /**
     * Like {@link #cancel()}, but only for submit number {@code submits} ({@link #submitCount()} read after that
     * submit): for a handle (a future) on a command object that is reused once it has ended.
     */
    public final boolean cancelSubmit(int submits) {
        return super.cancel(submits);
    }

    /** How many times this command object has been submitted; read by its submitter, after its submit. */
    public final int submitCount() {
        return super.submits();
    }
}
