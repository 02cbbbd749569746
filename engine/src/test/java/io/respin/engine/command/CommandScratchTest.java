package io.respin.engine.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.respin.RedisException;
import io.respin.RedisServerException;
import io.respin.engine.resp.RespWriter;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * A catalogue bound to a {@link CommandScratch} builds every command in one reused object: each one encodes and
 * decodes exactly as a fresh command does, and nothing of one command (value, failure, block time, weight, the
 * decoder's state) leaks into the next.
 */
class CommandScratchTest {

    private final Commands<String, String> fresh = Commands.utf8();
    private final Commands<String, String> reused = Commands.utf8().recycling(new CommandScratch());

    @Test
    void commandsAreBuiltInOneObject() {
        Object get = reused.strings().get("a");
        Object incr = reused.strings().incr("b");
        Object hget = reused.hashes().hget("h", "f");
        assertSame(get, incr);
        assertSame(get, hget);
        assertNotSame(fresh.strings().get("a"), fresh.strings().get("a"), "the plain catalogue is unchanged");
    }

    @Test
    void eachCommandEncodesAsAFreshOne() {
        List<Function<Commands<String, String>, Command<?>>> build = List.of(
                c -> c.strings().get("k"),
                c -> c.strings().set("k", "v"),
                c -> c.strings().set("k", "v", new SetArgs().px(Duration.ofMillis(1500)).nx()),
                c -> c.strings().incrby("n", 7),
                c -> c.hashes().hset("h", "f", "v"),
                c -> c.keys().expire("k", Duration.ofSeconds(3)),
                c -> c.lists().lpush("l", "a", "b"),
                c -> c.sortedSets().zscore("z", "m"));
        for (Function<Commands<String, String>, Command<?>> b : build) {
            Command<?> expected = b.apply(fresh);
            Command<?> actual = b.apply(reused);
            assertEquals(resp(expected), resp(actual));
            assertEquals(expected.name(), actual.name());
            assertEquals(expected.weight(), actual.weight(), expected.name());
            assertEquals(expected.isReadOnly(), actual.isReadOnly(), expected.name());
        }
    }

    @Test
    void nothingOfOneCommandLeaksIntoTheNext() {
        Command<String> get = reused.strings().get("k");
        Resp.feed("$5\nhello\n", get);
        assertEquals("hello", get.result());

        Command<Long> incr = reused.strings().incr("n");
        Resp.feed("-WRONGTYPE Operation against a key holding the wrong kind of value\n", incr);
        assertTrue(incr.failure() instanceof RedisServerException, "the error reply is the command's failure");

        Command<Long> again = reused.strings().incr("n");
        assertNull(again.failure(), "the earlier failure is gone");
        Resp.feed(":42\n", again);
        assertEquals(42L, again.result());

        Command<Long> mismatch = reused.strings().incr("n");
        Resp.feed("*2\n:1\n:2\n", mismatch); // an array where an integer belongs: this command fails...
        RedisException f = mismatch.failure();
        assertTrue(f != null && f.getMessage().contains("INCR"), String.valueOf(f));

        Command<String> last = reused.strings().get("k");   // ...and the next one starts clean
        assertThrows(IllegalStateException.class, last::result, "no reply read yet");
        Resp.feed("_\n", last);
        assertNull(last.result());
    }

    @Test
    void blockTimeAndWeightAreTheCommandsOwn() {
        Command<?> blocking = reused.lists().blpop(Duration.ofSeconds(2), "l");
        boolean wasBlocking = blocking.isBlocking();
        Command<String> set = reused.strings().set("k", "vvvv");
        assertEquals(false, set.isBlocking(), "BLPOP's blocking flag did not stay (it was " + wasBlocking + ")");
        assertEquals(-1, set.blockNanos());
        assertEquals(4, set.weight());
        assertEquals(0, reused.strings().get("k").weight(), "SET's weight did not stay");
    }

    @Test
    void oneCommandsScalarDecodersOfOneKindAreDistinct() {
        CommandScratch s = new CommandScratch();
        Decoder<Long> a = s.integer();
        Decoder<Long> b = s.integer();
        assertNotSame(a, b, "two integers in one reply need two decoders");
        s.command("X", w -> { }, a);
        assertSame(a, s.integer(), "after a command was built, its decoders are handed out again");
        for (int i = 0; i < 10; i++) {
            s.integer(); // more than the scratch keeps: fresh ones, never a shared one
        }
        assertNotSame(s.integer(), s.integer());
    }

    private static String resp(Command<?> c) {
        MemorySegment out = MemorySegment.ofArray(new byte[4096]);
        RespWriter w = new RespWriter().wrap(out, 0, out.byteSize());
        c.encode(w);
        return Arrays.toString(out.asSlice(0, w.position()).toArray(ValueLayout.JAVA_BYTE));
    }
}
