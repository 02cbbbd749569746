package io.respin.client.async.cluster;

import io.respin.RedisServerException;
import io.respin.engine.cluster.Slots;
import io.respin.io.IoCommand;
import java.util.function.Consumer;

/**
 * The one hash slot a cluster transaction runs in: every command of it — WATCH, the reads under WATCH, the queued
 * commands, scripts — is checked against this slot before it is sent, and one with a key of another slot is refused
 * at once with its keys and their slots named (a node would refuse it too, with MOVED, and EXEC would then abort the
 * whole transaction). Keyless commands pass.
 *
 * <pre>{@code
 * TransactionSlot slot = TransactionSlot.of("{acct:7}");
 * slot.accept(call);   // throws RedisServerException "CROSSSLOT SET in a transaction for slot ..." if it does not fit
 * }</pre>
 */
public final class TransactionSlot implements Consumer<IoCommand> {
    private final int slot;
    private final String slotKey;

    private TransactionSlot(int slot, String slotKey) {
        this.slot = slot;
        this.slotKey = slotKey;
    }

    /** The slot of {@code slotKey} (its hash tag, if it has one). */
    public static TransactionSlot of(String slotKey) {
        return new TransactionSlot(Slots.slot(slotKey), slotKey);
    }

    public int slot() {
        return slot;
    }

    /** Lets {@code command} pass if its keys are all in this slot (or it has none); throws otherwise. */
    @Override
    public void accept(IoCommand command) {
        int s = CommandSlots.slot(command);
        if (s == CommandSlots.ANY || s == slot) {
            return;
        }
        throw new RedisServerException("CROSSSLOT " + command.name() + " in a transaction for slot " + slot + " (of '"
                + slotKey + "'): its keys " + CommandSlots.keysAndSlots(command, 10) + " are not all in that slot, and "
                + "a transaction runs on one node in one slot; nothing of it was sent. Give every key of the "
                + "transaction the same hash tag ({acct:7}:balance, {acct:7}:log) and open it with that tag");
    }
}
