package io.respin.io;

import io.respin.RedisConnectionException;
import io.respin.io.loop.Lease;

/**
 * A connection of its own, taken from the endpoint's bounded pool, for commands that must share one socket and
 * must not share it with anyone else: WATCH / MULTI / EXEC transactions, or a sequence that relies on connection
 * state. Commands submitted here are pipelined in order on that one socket. {@link #close()} gives it back (a
 * connection left inside MULTI or WATCH is closed instead of being reused).
 *
 * <pre>{@code
 * try (DedicatedConnection tx = endpoint.dedicated()) {
 *     tx.submit(watch); tx.submit(get); get.await();
 *     tx.submit(multi); tx.submit(set); tx.submit(exec); exec.await();
 * }
 * }</pre>
 */
public final class DedicatedConnection implements AutoCloseable {
    private final RedisEndpoint endpoint;
    /** Duty-confined: read and written only by the duty holder, reached through routing and control tasks. */
    private final Lease lease = new Lease();
    /** Any thread: the caller's close(); read by submit. */
    private volatile boolean closed;

    DedicatedConnection(RedisEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    /**
     * Queues {@code command} for this connection; same contract as {@link RedisEndpoint#submit}.
     *
     * @throws RedisConnectionException when this dedicated connection was closed
     */
    public void submit(IoCommand command) {
        if (closed) {
            throw new RedisConnectionException(command.name() + " was not sent: this DedicatedConnection is closed", false);
        }
        endpoint.runtime().loop().submit(command, endpoint.core(), lease);
    }

    /** A batch with one wake-up, one write; same contract as {@link RedisEndpoint#submitAll}. */
    public <C extends IoCommand> int submitAll(java.util.List<C> commands,
                                               java.util.function.BiConsumer<C, RuntimeException> refused) {
        if (closed) {
            for (C c : commands) {
                refused.accept(c, new RedisConnectionException(c.name() + " was not sent: this DedicatedConnection "
                        + "is closed", false));
            }
            return 0;
        }
        return endpoint.runtime().loop().submitAll(commands, endpoint.core(), lease, refused);
    }

    /** Gives the connection back to the pool once its pending commands have ended. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            endpoint.runtime().control(() -> endpoint.core().closeLease(lease));
        }
    }
}
