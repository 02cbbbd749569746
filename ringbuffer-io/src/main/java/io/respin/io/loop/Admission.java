package io.respin.io.loop;

import io.respin.RedisBackpressureException;
import io.respin.RedisConnectionException;
import io.respin.RedisInterruptedException;
import io.respin.io.log.Log;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The bound on what one runtime holds: commands queued for the IO thread, waiting for a connection and in flight,
 * counted by number ({@code maxPendingCommands}) and by the bytes of their values ({@code maxPendingBytes}). A
 * submitter takes a place and its bytes before its offer; whoever ends the command gives them back.
 * <pre>
 *   submit ─tryHold─▶ ROOM ─▶ offer            ended (duty holder, or a closer) ─▶ released(bytes)
 *              └─ NO_PLACE / NO_BYTES ─▶ FAIL_FAST: throw a shared exception   (a rejection allocates nothing)
 *                                        WAIT_UNTIL_DEADLINE: park, retry, until the deadline
 * </pre>
 * A command that meets the bound is logged at most once every {@link #LOG_EVERY_NANOS} (WARNING on
 * {@code io.respin.backpressure}, with how many met it since the last line) and told to the {@link Probe}.
 * Any thread: the counts are atomics.
 */
public final class Admission {

    static final int ROOM = 0;
    private static final int NO_PLACE = 1;
    private static final int NO_BYTES = 2;

    /** Commands held now (queued + waiting + in flight), against {@link #maxPending}. */
    private final AtomicLong held = new AtomicLong();
    /** Bytes held now by the same commands ({@code IoCommand.weight()}), against {@link #maxBytes}. */
    private final AtomicLong heldBytes = new AtomicLong();
    private final AtomicLong resent = new AtomicLong();
    /** Backpressure is logged at most this often: the line says how many commands met the bound meanwhile. */
    static final long LOG_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** Commands that met the bound since the last log line. */
    private final AtomicLong metBound = new AtomicLong();
    /** When the next log line may be written ({@code System.nanoTime()}); the CAS picks the one thread that logs. */
    private final AtomicLong nextLog = new AtomicLong(System.nanoTime());
    private final Probe probe;
    private final long maxBytes;
    private final long maxPending;
    private final boolean failFast;
    /** The rejections for a full client: made once, thrown for every refused command (no stack trace). */
    private final RedisBackpressureException full;
    private final RedisBackpressureException fullUntilDeadline;
    private final RedisBackpressureException fullBytes;
    private final RedisBackpressureException fullBytesUntilDeadline;

    Admission(Tuning settings) {
        this.maxPending = settings.maxPendingCommands();
        this.maxBytes = settings.maxPendingBytes();
        this.failFast = settings.failFastWhenFull();
        this.probe = settings.probe();
        String bytes = (maxBytes >> 20) + " MiB of command values";
        String commands = maxPending + " commands";
        this.fullBytes = failFast(bytes, "maxPendingBytes(bytes)");
        this.fullBytesUntilDeadline = untilDeadline(bytes, "takes them", "maxPendingBytes(bytes)");
        this.full = failFast(commands, "maxPendingCommands(n)");
        this.fullUntilDeadline = untilDeadline(commands, "answers", "maxPendingCommands(n)");
    }

    /** "Full" under FAIL_FAST: what is held, and the builder setting that raises that bound. */
    private static RedisBackpressureException failFast(String held, String setting) {
        return RedisBackpressureException.shared("a command was not sent: the client already holds " + held
                + " (queued, waiting for a connection, in flight) and its backpressure policy is FAIL_FAST; slow down, "
                + "raise RedisClientBuilder." + setting + ", or use backpressure(WAIT_UNTIL_DEADLINE) "
                + "(IoSettings.Builder has the same settings)");
    }

    /** "Full" until the command's deadline under WAIT_UNTIL_DEADLINE. */
    private static RedisBackpressureException untilDeadline(String held, String serverPace, String setting) {
        return RedisBackpressureException.shared("a command was not sent: the client held " + held + " (queued, "
                + "waiting for a connection, in flight) until the command's deadline: the server " + serverPace
                + " more slowly than callers submit, or cannot be reached; slow down, or raise RedisClientBuilder."
                + setting + " or commandTimeout (IoSettings.Builder has the same settings)");
    }

    /**
     * Takes a place and {@code weight} bytes, or neither: ROOM, or which bound refused. A command heavier than the
     * whole byte bound is let in when no other bytes are held (alone, it can still be sent).
     */
    int tryHold(long weight) {
        if (held.incrementAndGet() > maxPending) {
            held.decrementAndGet();
            return NO_PLACE;
        }
        if (weight > 0) {
            long b = heldBytes.addAndGet(weight);
            if (b > maxBytes && b != weight) {
                heldBytes.addAndGet(-weight);
                held.decrementAndGet();
                return NO_BYTES;
            }
        }
        return ROOM;
    }

    /**
     * The client already holds {@code maxPendingCommands} or {@code maxPendingBytes}: fail at once (FAIL_FAST) or
     * wait until commands end and room frees, up to this command's deadline. Throws with the command disarmed; the
     * exceptions for "full" are shared instances (a rejection under overload allocates nothing).
     */
    void awaitRoom(Submission c, long weight, int refusal, Loop loop) {
        metBound(refusal);
        if (failFast) {
            c.disarm();
            throw refusal == NO_BYTES ? fullBytes : full;
        }
        long park = 1_000;
        while (true) {
            int r = tryHold(weight);
            if (r == ROOM) {
                return;
            }
            refusal = r;
            RuntimeException stop = loop.closeCalled() ? new RedisConnectionException(c.name() + " was not sent: the "
                    + "IoRuntime was closed while it waited for room", false)
                    : System.nanoTime() - c.deadlineNanos() >= 0 ? (refusal == NO_BYTES ? fullBytesUntilDeadline
                    : fullUntilDeadline)
                    : Thread.currentThread().isInterrupted() ? new RedisInterruptedException(c.name() + " was "
                    + "interrupted while it waited for room among the client's pending commands; it was not sent. "
                    + "The thread's interrupt status is kept")
                    : null;
            if (stop != null) {
                c.disarm();
                throw stop;
            }
            loop.agent().wakeUp();
            LockSupport.parkNanos(park);
            park = Math.min(park * 2, 1_000_000);
        }
    }

    /**
     * A submit met the bound (its thread, before it fails or waits): counted, logged when a line is due, told to
     * the probe. Allocates only on the submit that writes the line, at most once per {@link #LOG_EVERY_NANOS}.
     */
    private void metBound(int refusal) {
        metBound.incrementAndGet();
        if (probe != null) {
            probe.backpressure(held.get(), heldBytes.get(), failFast);
        }
        long due = nextLog.get();
        long now = System.nanoTime();
        if (now - due >= 0 && nextLog.compareAndSet(due, now + LOG_EVERY_NANOS)) {
            long n = metBound.getAndSet(0);
            String bound = refusal == NO_BYTES ? "maxPendingBytes (" + (maxBytes >> 20) + " MiB of command values)"
                    : "maxPendingCommands (" + maxPending + " commands)";
            Log.BACKPRESSURE.log(System.Logger.Level.WARNING, "respin: backpressure: " + n + (n == 1 ? " command"
                    : " commands") + " met the client's bound " + bound + " (queued, waiting for a connection, in "
                    + "flight) since the last such line; " + (failFast ? "FAIL_FAST refused them at once"
                    : "WAIT_UNTIL_DEADLINE made them wait for room") + ". The server answers more slowly than "
                    + "callers submit, or cannot be reached; raise RedisClientBuilder.maxPendingCommands(n) or "
                    + "maxPendingBytes(bytes) if the bound is too low (at most one line every "
                    + TimeUnit.NANOSECONDS.toSeconds(LOG_EVERY_NANOS) + " s)");
        }
    }

    /** Commands that met the bound since the last backpressure log line (tests). */
    long metBoundSinceLog() {
        return metBound.get();
    }

    /** A command that held a place ended (any thread: the IO thread, or a closer failing what is left). */
    void released(long bytes) {
        if (bytes > 0) {
            heldBytes.addAndGet(-bytes);
        }
        held.decrementAndGet();
    }

    /** A read caught by a connection loss goes out again (duty holder). */
    void resent() {
        resent.incrementAndGet();
    }

    /** Bytes of command values held now: at most maxPendingBytes. */
    public long pendingBytes() {
        return heldBytes.get();
    }

    /** Commands held now: queued, waiting for a connection, in flight. */
    public long pendingCommands() {
        return held.get();
    }

    /** Commands sent a second time after a connection loss caught them on the wire. */
    public long resentCommands() {
        return resent.get();
    }
}
