package io.respin.client.async.cluster;

import io.respin.RedisConnectionException;
import io.respin.RedisException;
import io.respin.RedisInterruptedException;
import io.respin.RedisServerException;
import io.respin.engine.command.Command;
import io.respin.engine.connection.CommandKind;
import io.respin.engine.resp.RespHandler;
import io.respin.engine.resp.RespWriter;
import io.respin.io.RedisEndpoint;
import io.respin.io.SyncCommand;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One command of the blocking cluster API: the calling thread sends it to its slot's owner, waits, and follows
 * redirects itself — connecting, backing off or waiting for a refresh on its own thread, never on a shared one.
 *
 * <pre>{@code
 * long hits = ClusterSyncCall.run(router, commands.strings().incr("hits"), -1);
 * }</pre>
 */
public final class ClusterSyncCall extends SyncCommand {
    private final Command<?> command;

    private ClusterSyncCall(Command<?> command) {
        this.command = command;
    }

    /**
     * Runs {@code command} on the cluster and returns its value, or throws what it failed with.
     *
     * @param timeoutNanos the command's own timeout, or -1 for the client's
     */
    public static <T> T run(ClusterRouter router, Command<T> command, long timeoutNanos) {
        command.requireDecodableOnAnyThread();
        ClusterSyncCall call = new ClusterSyncCall(command);
        if (timeoutNanos > 0) {
            call.timeout(Duration.ofNanos(timeoutNanos));
        }
        int slot = CommandSlots.slotOrUnknown(call);
        if (slot == CommandSlots.UNKNOWN) { // the catalogue does not know it: COMMAND GETKEYS once per name, or per call
            try {
                slot = router.keyRules().slot(call).get(
                        timeoutNanos > 0 ? timeoutNanos : router.defaultTimeoutNanos(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RedisInterruptedException("interrupted while asking the cluster where " + command.name()
                        + "'s keys are");
            } catch (ExecutionException | TimeoutException e) {
                slot = CommandSlots.ANY; // no answer: any node, whose MOVED sends it on
            }
        }
        if (slot == CommandSlots.CROSS) {
            if (MultiSlot.splits(command.name())) {
                return join(MultiSlot.run(router, command, timeoutNanos));
            }
            throw ClusterRouter.crossSlot(call);
        }
        if (slot == CommandSlots.ANY) {
            java.util.List<byte[]> args = CommandSlots.arguments(call);
            String fanned = EveryPrimary.fanned(args);
            if (fanned != null) {
                return join(EveryPrimary.run(router, command, fanned, args, timeoutNanos));
            }
        }
        long start = System.nanoTime();
        long deadline = router.deadline(call, start);
        long firstTimeout = deadline == Long.MAX_VALUE ? 0 : deadline - start;
        ClusterRouter.Next next = ClusterRouter.Next.after(0, false);
        RedisEndpoint sentTo = null;
        for (int redirects = 0; ; redirects++) {
            RedisException failure;
            try {
                wait(router, next, deadline);
                RedisEndpoint e = router.resolve(next, slot, true, command.isReadOnly());
                if (e == null) {
                    failure = new RedisServerException("CLUSTERDOWN the client knows no node serving slot " + slot
                            + " (a failover in progress, or the cluster lost that shard)");
                } else {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw ClusterRouter.expired(command.name(), redirects, firstTimeout);
                    }
                    if (deadline != Long.MAX_VALUE && !call.blocking()) {
                        call.timeout(Duration.ofNanos(left));
                    }
                    sentTo = e;
                    ClusterRouter.send(e, call, next.asking());
                    call.await();
                    RedisException f = command.failure();
                    if (f != null) {
                        throw f;
                    }
                    return command.result();
                }
            } catch (RedisInterruptedException e) {
                throw e;
            } catch (RedisServerException | RedisConnectionException e) {
                if (command.isDone()) {
                    throw e; // the reply itself (an error inside it): not a redirect
                }
                failure = e;
            }
            next = router.next(failure, sentTo, slot, redirects, deadline, command.isReadOnly(), command.name());
            if (next.failure() != null) {
                throw next.failure();
            }
        }
    }

    private static <T> T join(java.util.concurrent.CompletableFuture<T> f) {
        try {
            return f.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RedisException r) {
                throw r;
            }
            throw e;
        }
    }

    /**
     * Waits out {@code next}'s refresh and delay on the caller's thread, within {@code deadline}. The delay ends early
     * when a refresh installs a new map (the promoted replica of a lost primary, say): the command goes there at once,
     * not at the end of its backoff.
     */
    private static void wait(ClusterRouter router, ClusterRouter.Next next, long deadline) {
        java.util.concurrent.CompletableFuture<?> installed = router.nodes().nextInstall();
        try {
            if (next.refreshFirst()) {
                long left = deadline == Long.MAX_VALUE ? TimeUnit.SECONDS.toNanos(30) : deadline - System.nanoTime();
                try {
                    router.nodes().requestRefresh().get(Math.max(1, left), TimeUnit.NANOSECONDS);
                } catch (ExecutionException | TimeoutException e) {
                    // no view: the slot's owner as known now gets the command, or the next decision fails it
                }
            }
            if (next.delayNanos() > 0 && !installed.isDone()) {
                try {
                    installed.get(next.delayNanos(), TimeUnit.NANOSECONDS);
                } catch (ExecutionException | TimeoutException e) {
                    // the backoff is over (or the client closed: the next send says so)
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RedisInterruptedException("interrupted while waiting to send a command again to the cluster");
        }
    }

    @Override public void encode(RespWriter w) { command.encode(w); }

    @Override public RespHandler replyHandler() { return command.replyHandler(); }

    @Override public CommandKind kind() { return command.kind(); }

    @Override public int channelCount() { return command.channelCount(); }

    @Override public String name() { return command.name(); }

    @Override public boolean blocking() { return command.isBlocking(); }

    @Override public long blockNanos() { return command.blockNanos(); }

    @Override public boolean idempotent() { return command.isReadOnly(); }

    @Override public long weight() { return command.weight(); }
}
