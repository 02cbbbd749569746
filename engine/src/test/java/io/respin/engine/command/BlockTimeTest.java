package io.respin.engine.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Blocking commands carry their block time, typed or generic, so the transport can set their deadline. */
class BlockTimeTest {

    private static final Commands<String, String> C = Commands.utf8();

    @Test
    void typedBlockingCommandsCarryTheirBlockTime() {
        assertEquals(Duration.ofMillis(1500).toNanos(), C.lists().blpop(Duration.ofMillis(1500), "k").blockNanos());
        assertEquals(0, C.lists().brpop(Duration.ZERO, "k").blockNanos(), "0: no limit");
        assertEquals(Duration.ofSeconds(2).toNanos(),
                C.lists().blmove("a", "b", ListEnd.LEFT, ListEnd.RIGHT, Duration.ofSeconds(2)).blockNanos());
        assertEquals(Duration.ofSeconds(3).toNanos(), C.sortedSets().bzpopmin(Duration.ofSeconds(3), "z").blockNanos());
        assertEquals(Duration.ofMillis(250).toNanos(), C.server().waitReplicas(1, 250).blockNanos());
        assertEquals(-1, C.strings().get("k").blockNanos(), "not blocking");
    }

    @Test
    void genericBlockingCommandsParseTheirBlockTime() {
        assertEquals(Duration.ofMillis(1500).toNanos(), C.server().execute("BLPOP", "a", "b", "1.5").blockNanos());
        assertEquals(0, C.server().execute("blpop", "a", "0").blockNanos());
        assertEquals(Duration.ofSeconds(2).toNanos(),
                C.server().execute("BLMPOP", "2", "1", "k", "LEFT").blockNanos());
        assertEquals(Duration.ofMillis(700).toNanos(),
                C.server().execute("XREAD", "COUNT", "1", "BLOCK", "700", "STREAMS", "s", "$").blockNanos());
        assertEquals(Duration.ofMillis(100).toNanos(), C.server().execute("WAIT", "1", "100").blockNanos());
        assertEquals(Duration.ofMillis(300).toNanos(), C.server().execute("WAITAOF", "1", "0", "300").blockNanos());
        assertEquals(-1, C.server().execute("BLPOP", "a", "soon").blockNanos(), "unreadable: the timeout alone");
        assertTrue(C.server().execute("BLPOP", "a", "soon").isBlocking());
        assertFalse(C.server().execute("XREAD", "STREAMS", "s", "$").isBlocking());
    }
}
