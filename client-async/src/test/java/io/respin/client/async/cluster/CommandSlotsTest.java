package io.respin.client.async.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.respin.RedisException;
import io.respin.engine.cluster.Slots;
import io.respin.engine.command.Commands;
import io.respin.engine.command.Command;
import io.respin.engine.connection.CommandKind;
import io.respin.engine.resp.RespHandler;
import io.respin.engine.resp.RespWriter;
import io.respin.io.AsyncCommand;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The slot of a command, found from its own encoding, without a network. */
class CommandSlotsTest {
    private static final Commands<String, String> C = Commands.utf8();

    /** An IoCommand around a command definition, as the cluster calls are. */
    private static AsyncCommand of(Command<?> c) {
        return new AsyncCommand() {
            @Override public void encode(RespWriter w) { c.encode(w); }

            @Override public RespHandler replyHandler() { return c.replyHandler(); }

            @Override public CommandKind kind() { return c.kind(); }

            @Override public String name() { return c.name(); }

            @Override protected void onCompleted() { }

            @Override protected void onFailed(RedisException error) { }
        };
    }

    @Test
    void aKeyedCommandHasItsKeysSlot() {
        assertEquals(Slots.slot("user:42"), CommandSlots.slot(of(C.strings().get("user:42"))));
        assertEquals(Slots.slot("{u}"), CommandSlots.slot(of(C.strings().mget("{u}:a", "{u}:b"))));
        assertEquals(Slots.slot("h"), CommandSlots.slot(of(C.hashes().hset("h", Map.of("f", "v")))));
    }

    @Test
    void movableKeysFollowTheirRules() {
        // EVAL script numkeys key...: the keys after numkeys, not the script
        assertEquals(Slots.slot("{t}"), CommandSlots.slot(of(C.server().execute("EVAL", "return 1", "2", "{t}a", "{t}b", "x"))));
        assertEquals(CommandSlots.CROSS, CommandSlots.slot(of(C.server().execute("EVAL", "return 1", "2", "a", "b"))));
        assertEquals(Slots.slot("s"), CommandSlots.slot(of(C.server().execute("XREAD", "COUNT", "1", "STREAMS", "s", "0"))));
    }

    @Test
    void keylessAndUnknownCommandsGoAnywhere() {
        assertEquals(CommandSlots.ANY, CommandSlots.slot(of(C.server().execute("PING"))));
        assertEquals(CommandSlots.ANY, CommandSlots.slot(of(C.server().execute("NOT-A-COMMAND", "k"))));
    }

    @Test
    void crossSlotCommandsListTheirSlots() {
        AsyncCommand c = of(C.keys().del("a", "b", "{a}x"));
        assertEquals(CommandSlots.CROSS, CommandSlots.slot(c));
        assertEquals(new TreeSet<>(List.of(Slots.slot("a"), Slots.slot("b"))), CommandSlots.slots(c));
    }

    @Test
    void aCommandLargerThanTheScratchBufferRoutesByItsKey() {
        String big = "x".repeat(3 << 20);
        AsyncCommand c = of(C.strings().mset(new java.util.LinkedHashMap<>(Map.of("{k}1", big))));
        assertEquals(Slots.slot("{k}1"), CommandSlots.slot(c));
        assertEquals(List.of("MSET", "{k}1"), CommandSlots.arguments(c).subList(0, 2).stream()
                .map(b -> new String(b, java.nio.charset.StandardCharsets.UTF_8)).toList());
    }
}
