package io.respin.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.respin.RedisConnectionException;
import io.respin.RedisException;
import io.respin.RedisTimeoutException;
import io.respin.engine.command.Codec;
import io.respin.engine.command.Command;
import io.respin.engine.command.Decoders;
import io.respin.engine.resp.RespWriter;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 14 item 3, the IO-thread half: a command whose encoding throws where it is written (a user-written
 * {@link Command}, a codec that throws) fails at once, alone, as "not sent" — not after the whole command timeout
 * as "sent and may have run" — and the shared connection stays up: the same CLIENT ID, the next command works,
 * and nothing is reported as an uncaught exception of the IO thread. Run with the IO thread writing and with
 * submitters writing their own commands (the other thread that encodes).
 */
class ThrowingEncoderTest {
    /** Far longer than a failure that is reported at once may take. */
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private final List<String> uncaught = new CopyOnWriteArrayList<>();
    private Thread.UncaughtExceptionHandler previous;

    @BeforeEach
    void watchUncaught() {
        previous = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> uncaught.add(t.getName() + ": " + e));
    }

    @AfterEach
    void restore() {
        Thread.setDefaultUncaughtExceptionHandler(previous);
    }

    /** Starts a GET, then breaks, as a hand-written command with a bug would. */
    private static Command<String> broken() {
        return new Command<>("BROKEN", w -> {
            w.array(2).arg("GET");
            throw new IllegalStateException("the encoder has a bug");
        }, Decoders.status());
    }

    @ParameterizedTest(name = "submitterWrites={0}")
    @ValueSource(booleans = {false, true})
    void aThrowingCommandFailsAtOnceAsNotSentAndTheConnectionStays(boolean submitterWrites) {
        try (RedisClient client = RedisClient.builder(Redis.server().uri()).commandTimeout(TIMEOUT)
                .submitterWrites(submitterWrites).build()) {
            var redis = client.sync();
            long id = redis.clientId();

            long t0 = System.nanoTime();
            RedisException sync = assertThrows(RedisException.class, () -> redis.run(broken()));
            assertNotSentAtOnce(sync, "BROKEN", t0);
            assertEquals("PONG", redis.ping(), "the next command on the connection works");

            t0 = System.nanoTime();
            CompletionException ce = assertThrows(CompletionException.class,
                    () -> client.async().submit(broken()).join());
            assertNotSentAtOnce(assertInstanceOf(RedisException.class, ce.getCause()), "BROKEN", t0);
            assertEquals("PONG", client.async().ping().join());

            assertEquals(id, redis.clientId(), "the shared connection was not dropped");
            assertEquals(List.of(), uncaught, "nothing reported as uncaught");
        }
    }

    @ParameterizedTest(name = "submitterWrites={0}")
    @ValueSource(booleans = {false, true})
    void aCodecThatThrowsFailsOnlyThatCommand(boolean submitterWrites) {
        Codec<String, String> picky = new Codec<>() {
            @Override public RespWriter writeKey(RespWriter w, String key) { return w.arg(key); }

            @Override public RespWriter writeValue(RespWriter w, String value) {
                if (value.startsWith("bad")) {
                    throw new IllegalArgumentException("this codec refuses " + value);
                }
                return w.arg(value);
            }

            @Override public String decodeKey(MemorySegment d, long o, long n) { return Codec.utf8().decodeKey(d, o, n); }

            @Override public String decodeValue(MemorySegment d, long o, long n) {
                return Codec.utf8().decodeValue(d, o, n);
            }
        };
        try (RedisClient client = RedisClient.builder(Redis.server().uri()).commandTimeout(TIMEOUT)
                .submitterWrites(submitterWrites).build()) {
            var redis = client.sync(picky);
            long id = redis.clientId();
            long t0 = System.nanoTime();
            RedisException e = assertThrows(RedisException.class, () -> redis.set("encode-failure:k", "bad-value"));
            assertNotSentAtOnce(e, "SET", t0);
            assertTrue(e.getMessage().contains("this codec refuses bad-value"), e.getMessage());
            assertEquals(0L, redis.exists("encode-failure:k"), "the SET did not run");
            assertEquals("OK", redis.set("encode-failure:k", "good"));
            assertEquals("good", redis.get("encode-failure:k"));
            redis.del("encode-failure:k");
            assertEquals(id, redis.clientId(), "the shared connection was not dropped");
            assertEquals(List.of(), uncaught, "nothing reported as uncaught");
        }
    }

    private static void assertNotSentAtOnce(RedisException e, String name, long startNanos) {
        long ms = (System.nanoTime() - startNanos) / 1_000_000;
        assertFalse(e instanceof RedisTimeoutException, "waited out the timeout: " + e);
        assertFalse(e instanceof RedisConnectionException, "failed as a connection error: " + e);
        assertTrue(e.getMessage().startsWith(name + " was not sent: encoding it failed: "), e.getMessage());
        assertTrue(ms < TIMEOUT.toMillis() / 5, "took " + ms + " ms");
    }
}
