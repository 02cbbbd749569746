package io.respin.io.loop;

import io.respin.RedisException;

/**
 * The loop's side of {@code io.respin.io.IoListener}: what the loop reports, in its own types (the API package adapts
 * them). Null in {@link Tuning#probe()} when no listener is set: every call site is one null check, and nothing is
 * computed for it. Called by whoever acts — the duty holder for commands and links, the submitter for backpressure —
 * with arguments that already exist (nothing is allocated to call it).
 */
public interface Probe {

    /**
     * {@code name} ended after {@code durationNanos} from its submit; {@code error} is null when it got its reply.
     * {@code bytesOut}: its encoding as last written (0: never written); {@code bytesIn}: its reply's (0: none).
     * Called after the command's own outcome was published.
     */
    void commandEnded(Endpoint endpoint, String name, Object started, long durationNanos, long bytesOut, long bytesIn,
                      RedisException error);

    /** True when {@link #commandStarted} wants to be called (the listener overrides it). */
    boolean wantsStart();

    /**
     * A command was accepted (the submitting thread, after admission and before the offer); what it returns comes
     * back as {@code started} when the command ends.
     */
    Object commandStarted(Endpoint endpoint, Submission command);

    /**
     * A link of {@code endpoint} became READY; {@code role} is the ordinal of its {@code Link.Role}; {@code attempts}
     * the connects it took since it was opened or lost, this one included.
     */
    void linkUp(Endpoint endpoint, int role, boolean reconnect, int attempts);

    /** A READY link of {@code endpoint} was lost. */
    void linkDown(Endpoint endpoint, int role, RedisException cause);

    /** A submit met the pending bound: refused (FAIL_FAST) or starting to wait. */
    void backpressure(long pendingCommands, long pendingBytes, boolean refused);
}
