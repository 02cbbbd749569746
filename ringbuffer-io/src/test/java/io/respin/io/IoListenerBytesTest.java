package io.respin.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.respin.RedisException;
import io.respin.RedisServerException;
import io.respin.testkit.RedisServer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue 20, bytes in and out per command: {@link IoListener#commandCompleted(RedisEndpoint, String, Object, long,
 * long, long, IoListener.Outcome, RedisException)} is told the exact size of the command's RESP encoding and of its
 * reply (RESP is deterministic, so the expected numbers are computed here), for a small value, for an error reply,
 * and for a value large enough that the command is streamed through the write buffer in parts and its reply parsed
 * in chunks.
 */
class IoListenerBytesTest {

    record Heard(String command, long out, long in, IoListener.Outcome outcome) { }

    static final class Bytes implements IoListener {
        final LinkedBlockingQueue<Heard> heard = new LinkedBlockingQueue<>();

        @Override
        public void commandCompleted(RedisEndpoint endpoint, String command, Object started, long durationNanos,
                                     long bytesOut, long bytesIn, Outcome outcome, RedisException error) {
            heard.add(new Heard(command, bytesOut, bytesIn, outcome));
        }

        Heard next() throws InterruptedException {
            Heard h = heard.poll(10, TimeUnit.SECONDS);
            if (h == null) {
                throw new AssertionError("no command completed within 10 s");
            }
            return h;
        }
    }

    /** The RESP encoding of a command of bulk-string arguments: what the engine writes. */
    static long encoded(String... args) {
        return encoded(List.of(args).stream().mapToLong(a -> a.getBytes(StandardCharsets.UTF_8).length).toArray());
    }

    static long encoded(long... argLengths) {
        long n = header('*', argLengths.length);
        for (long a : argLengths) {
            n += header('$', a) + a + 2;
        }
        return n;
    }

    /** "*3\r\n", "$1000\r\n": marker, digits, CRLF. */
    static long header(char marker, long n) {
        return 1 + Long.toString(n).length() + 2;
    }

    @Test
    void everyCommandIsToldTheBytesOfItsEncodingAndOfItsReply() throws Exception {
        Bytes bytes = new Bytes();
        String value = "v".repeat(1000);
        try (RedisServer server = RedisServer.builder().start();
             IoRuntime io = IoRuntime.start(IoSettings.builder().listener(bytes).build());
             RedisEndpoint redis = io.connect(server.uri())) {
            new Cmd.Generic("SET", "bytes:k", value).run(redis);
            assertEquals(new Heard("SET", encoded("SET", "bytes:k", value), "+OK\r\n".length(), IoListener.Outcome.OK),
                    bytes.next());

            new Cmd.Generic("GET", "bytes:k").run(redis);
            assertEquals(new Heard("GET", encoded("GET", "bytes:k"), header('$', 1000) + 1000 + 2, IoListener.Outcome.OK),
                    bytes.next());

            new Cmd.Generic("GET", "bytes:none").run(redis); // RESP3 null: "_\r\n"
            assertEquals(new Heard("GET", encoded("GET", "bytes:none"), 3, IoListener.Outcome.OK), bytes.next());

            RedisServerException e = assertThrows(RedisServerException.class,
                    () -> new Cmd.Generic("INCR", "bytes:k").run(redis));
            assertEquals(new Heard("INCR", encoded("INCR", "bytes:k"), 1 + e.getMessage().length() + 2,
                    IoListener.Outcome.SERVER_ERROR), bytes.next());

            new Cmd.Generic("RPUSH", "bytes:list", "a", "bc").run(redis);
            assertEquals(new Heard("RPUSH", encoded("RPUSH", "bytes:list", "a", "bc"), ":2\r\n".length(),
                    IoListener.Outcome.OK), bytes.next());
            new Cmd.Generic("LRANGE", "bytes:list", "0", "-1").run(redis);
            assertEquals(new Heard("LRANGE", encoded("LRANGE", "bytes:list", "0", "-1"),
                    "*2\r\n$1\r\na\r\n$2\r\nbc\r\n".length(), IoListener.Outcome.OK), bytes.next());
        }
    }

    @Test
    void aCommandStreamedInPartsAndAReplyParsedInChunksAreCountedWhole() throws Exception {
        Bytes bytes = new Bytes();
        int size = 17 << 20; // above the 16 MiB from which a command is streamed through the write buffer
        String value = "x".repeat(size);
        try (RedisServer server = RedisServer.builder().start();
             IoRuntime io = IoRuntime.start(IoSettings.builder().listener(bytes).build());
             RedisEndpoint redis = io.connect(server.uri())) {
            Cmd.Generic set = new Cmd.Generic("SET", "bytes:big", value);
            set.timeout(java.time.Duration.ofSeconds(30));
            set.run(redis);
            assertEquals(new Heard("SET", encoded(3, "bytes:big".length(), size), 5, IoListener.Outcome.OK),
                    bytes.next());
            Cmd.Generic get = new Cmd.Generic("GET", "bytes:big");
            get.timeout(java.time.Duration.ofSeconds(30));
            get.run(redis);
            assertEquals(new Heard("GET", encoded("GET", "bytes:big"), header('$', size) + size + 2,
                    IoListener.Outcome.OK), bytes.next());
        }
    }
}
