package io.respin.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.respin.RedisConnectionException;
import io.respin.RedisException;
import io.respin.engine.connection.CommandKind;
import io.respin.engine.resp.RespHandler;
import io.respin.engine.resp.RespWriter;
import io.respin.testkit.RedisServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An Error on the IO thread must never leave callers waiting: a buffer that cannot be allocated fails its connection
 * (the thread goes on), and any other Error stops the runtime with every pending and later command failing at once.
 */
class IoThreadFailureTest {

    static RedisServer server;

    @BeforeAll
    static void start() {
        server = RedisServer.builder().enableDebugCommand().start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /**
     * A 40 MiB reply in a JVM with 24 MiB of direct memory: growing the read buffer fails with OutOfMemoryError.
     * Before the fix that ended the respin-io thread: the GET got no outcome until its timeout plus 5 s and every later
     * command hung too. Now the GET fails with the reason, and the next command works on a new connection.
     */
    @Test
    void directMemoryExhaustedByAReplyFailsThatConnectionNotTheThread() throws Exception {
        new Cmd.Generic("SETRANGE", "big", String.valueOf(40 * 1024 * 1024 - 1), "x").run(sharedEndpoint());
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "-XX:MaxDirectMemorySize=24m", "-cp",
                System.getProperty("java.class.path"), DirectMemoryChild.class.getName(), server.uri().toString())
                .redirectErrorStream(true).start();
        String out;
        try {
            assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the child finished");
        } finally {
            out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            child.destroyForcibly();
        }
        assertTrue(out.contains("get: RedisConnectionException") && out.contains("direct buffer"), out);
        assertTrue(out.contains("ping: PONG"), out);
        assertTrue(out.contains("closed: false"), out);
        assertTrue(out.contains("io-thread-alive: true"), out);
    }

    /** Runs in a JVM of its own, with little direct memory. */
    public static final class DirectMemoryChild {
        public static void main(String[] args) {
            try (IoRuntime io = IoRuntime.start(IoSettings.builder().commandTimeout(Duration.ofSeconds(3))
                    // a read buffer allowed to grow to 256 MiB: the 40 MiB reply is read whole (values over half the
                    // largest read buffer would stream in chunks), so the buffer must grow past the direct memory
                    .readBuffer(64 * 1024, 256 * 1024 * 1024).build())) {
                RedisEndpoint redis = io.connect(args[0]);
                Cmd.Get get = new Cmd.Get();
                get.key = "big".getBytes(StandardCharsets.UTF_8);
                redis.submit(get);
                try {
                    get.await();
                    System.out.println("get: ok " + get.length);
                } catch (RedisException e) {
                    System.out.println("get: " + e.getClass().getSimpleName() + " " + e.getMessage());
                }
                try {
                    System.out.println("ping: " + Cmd.str(new Cmd.Generic("PING").run(redis)));
                } catch (RedisException e) {
                    System.out.println("ping: " + e);
                }
                System.out.println("closed: " + io.isClosed());
                System.out.println("io-thread-alive: " + io.ioThread().isAlive());
            }
        }
    }

    /** A command whose encode throws an Error (a stand-in for a bug or a StackOverflowError on the IO thread). */
    static final class Poison extends Cmd.Generic {
        Poison() {
            super("PING");
        }

        @Override public void encode(RespWriter w) {
            throw new StackOverflowError("poison");
        }
    }

    /**
     * Before the fix the Error ended the thread silently: isClosed() stayed false, the DEBUG SLEEP in flight and every
     * later command waited for their timeout plus 5 s. Now all fail at once, naming the error.
     */
    @Test
    void anErrorThatStopsTheIoThreadFailsEveryPendingAndLaterCommandAtOnce() throws Exception {
        for (boolean submitterWrites : List.of(false, true)) {
            IoRuntime io = IoRuntime.start(IoSettings.builder().submitterWrites(submitterWrites)
                    .commandTimeout(Duration.ofSeconds(30)).build());
            try {
                RedisEndpoint redis = io.connect(server.uri());
                Cmd.Generic inFlight = new Cmd.Generic("DEBUG", "SLEEP", "0.5");
                redis.submit(inFlight);
                Thread.sleep(50); // on the wire, the server is sleeping
                long start = System.nanoTime();
                redis.submit(new Poison());
                RedisConnectionException e = assertThrows(RedisConnectionException.class, inFlight::await);
                assertTrue(e.getMessage().contains("IO thread") && e.getMessage().contains("StackOverflowError"),
                        e.getMessage());
                assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10), "failed at once, not by timeout");
                io.ioThread().join(5_000);
                assertTrue(io.isClosed(), "the runtime says it is closed");
                RedisConnectionException later = assertThrows(RedisConnectionException.class,
                        () -> redis.submit(new Cmd.Generic("PING")));
                assertTrue(later.getMessage().contains("StackOverflowError"), later.getMessage());
                assertInstanceOf(StackOverflowError.class, later.getCause());
            } finally {
                io.close();
            }
        }
    }

    private static RedisEndpoint shared;
    private static IoRuntime sharedIo;

    private static synchronized RedisEndpoint sharedEndpoint() {
        if (shared == null) {
            sharedIo = IoRuntime.start(IoSettings.defaults());
            shared = sharedIo.connect(server.uri());
        }
        return shared;
    }

    @AfterAll
    static void closeShared() throws IOException {
        if (sharedIo != null) {
            sharedIo.close();
        }
    }
}
