package io.respin.engine.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What the sent commands did to the session, as a transport that pools connections asks it: counted at encode
 * (before any reply), never by handshake commands, and kept across a restart; and which kinds may not go on a
 * connection that many callers share.
 */
class SessionStateTest {

    private final MemorySegment out = Arena.ofAuto().allocate(4096);
    private final Connection c = new Connection(ConnectionSettings.builder().database(2).password("pw").build(),
            new Events());
    private long at;

    private void send(String... args) {
        long n = c.encode(TestCommand.of(args), out, at, out.byteSize());
        assertTrue(n > 0, "encoded " + String.join(" ", args));
        at += n;
    }

    @Test
    void theHandshakeChangesNothing() {
        c.startHandshake(); // HELLO, AUTH, SELECT go out ahead of the first command
        send("GET", "k");
        assertFalse(c.inTransaction());
        assertFalse(c.watching());
        assertFalse(c.stateChanged());
    }

    @Test
    void multiAndWatchOpenAtEncodeAndCloseWithExecOrDiscard() {
        c.startHandshake();
        send("WATCH", "k");
        assertTrue(c.watching(), "before any reply");
        send("MULTI");
        assertTrue(c.inTransaction());
        send("EXEC");
        assertFalse(c.inTransaction());
        assertFalse(c.watching());
        send("WATCH", "k");
        send("UNWATCH");
        assertFalse(c.watching());
        send("MULTI");
        send("DISCARD");
        assertFalse(c.inTransaction());
        assertFalse(c.stateChanged(), "transactions leave the session as the settings describe it");
    }

    @Test
    void aStateChangeIsForTheConnectionsLife() {
        c.startHandshake();
        send("SELECT", "3");
        assertTrue(c.stateChanged());
        c.restart();
        assertTrue(c.stateChanged(), "kept across a restart");
    }

    @Test
    void onlyCommandsThatChangeTheSessionAreRefusedOnASharedConnection() {
        Set<CommandKind> refused = EnumSet.of(CommandKind.MULTI, CommandKind.EXEC, CommandKind.DISCARD,
                CommandKind.WATCH, CommandKind.UNWATCH, CommandKind.SELECT, CommandKind.HELLO, CommandKind.AUTH,
                CommandKind.RESET, CommandKind.QUIT, CommandKind.CLIENT_REPLY_ON, CommandKind.CLIENT_REPLY_OFF,
                CommandKind.CLIENT_REPLY_SKIP);
        for (CommandKind k : CommandKind.values()) {
            String why = k.sharingRefusal();
            if (refused.contains(k)) {
                assertNotNull(why, k.name());
                assertTrue(why.contains("dedicated()"), why);
            } else {
                assertNull(why, k.name());
            }
        }
        assertEquals(13, refused.size());
    }
}
