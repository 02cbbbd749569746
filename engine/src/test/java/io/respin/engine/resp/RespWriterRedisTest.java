package io.respin.engine.resp;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.respin.testkit.RedisServer;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Commands encoded by {@link RespWriter} are understood by a real redis-server: the replies prove the server read
 * every argument as intended (binary keys, UTF-8, doubles, long extremes). Replies are read by a deliberately
 * naive reader so that this test does not depend on the parser under test elsewhere.
 */
class RespWriterRedisTest {

    private static RedisServer server;
    private static Socket socket;
    private static OutputStream out;
    private static InputStream in;
    private static Arena arena;
    private static MemorySegment buffer;
    private final RespWriter w = new RespWriter();

    @BeforeAll
    static void start() throws IOException {
        server = RedisServer.builder().start();
        socket = new Socket();
        socket.connect(new InetSocketAddress(server.host(), server.port()), 5_000);
        socket.setSoTimeout(10_000);
        out = socket.getOutputStream();
        in = new BufferedInputStream(socket.getInputStream());
        arena = Arena.ofShared();
        buffer = arena.allocate(1 << 16);
    }

    @AfterAll
    static void stop() throws IOException {
        if (socket != null) {
            socket.close();
        }
        if (arena != null) {
            arena.close();
        }
        if (server != null) {
            server.close();
        }
    }

    /**
     * Encodes one command at a non-zero offset of a native segment, growing the segment when the writer says the
     * command needs more room (the intended use), sends it and returns the reply.
     */
    private Object call(Consumer<RespWriter> command) throws IOException {
        w.wrap(buffer, 7, buffer.byteSize());
        command.accept(w);
        if (w.overflowed()) {
            buffer = arena.allocate(7 + w.required());
            w.wrap(buffer, 7, buffer.byteSize());
            command.accept(w);
            assertFalse(w.overflowed());
        }
        out.write(buffer.asSlice(7, w.written()).toArray(ValueLayout.JAVA_BYTE));
        out.flush();
        return read();
    }

    /** Reads one RESP2 reply: a String for +, "ERR..." strings prefixed with "-", Long, byte[], Object[] or null. */
    private static Object read() throws IOException {
        int type = in.read();
        String line = line();
        switch (type) {
            case '+': return line;
            case '-': return "-" + line;
            case ':': return Long.parseLong(line);
            case '$': {
                int len = Integer.parseInt(line);
                if (len < 0) {
                    return null;
                }
                byte[] b = in.readNBytes(len);
                in.readNBytes(2);
                return b;
            }
            case '*': {
                Object[] items = new Object[Integer.parseInt(line)];
                for (int i = 0; i < items.length; i++) {
                    items[i] = read();
                }
                return items;
            }
            default: throw new IOException("unexpected reply type " + type + " " + line);
        }
    }

    private static String line() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != '\r') {
            if (c < 0) {
                throw new IOException("connection closed");
            }
            b.write(c);
        }
        in.read();
        return b.toString(UTF_8);
    }

    private static String str(Object reply) {
        return reply instanceof byte[] b ? new String(b, UTF_8) : String.valueOf(reply);
    }

    @Test
    void binaryKeysAndValuesRoundTrip() throws IOException {
        byte[] key = {0, '\r', '\n', (byte) 0xFF, '*', '$', 0};
        byte[] value = new byte[300_000];
        for (int i = 0; i < value.length; i++) {
            value[i] = (byte) (i * 31);
        }
        assertEquals("OK", call(c -> c.array(3).arg("SET").arg(key).arg(MemorySegment.ofArray(value))));
        assertTrue(buffer.byteSize() > value.length, "the buffer grew to what the writer asked for");
        assertArrayEquals(value, (byte[]) call(c -> c.array(2).arg("GET").arg(MemorySegment.ofArray(key))));
        assertEquals((long) value.length, call(c -> c.array(2).arg("STRLEN").arg(key, 0, key.length)));
    }

    @Test
    void utf8StringsArriveAsTheirUtf8Bytes() throws IOException {
        String key = "ключ:日本:😀";
        String value = "é€😀 and a lone \uD800 surrogate";
        assertEquals("OK", call(c -> c.array(3).arg("SET").arg(key).arg(value)));
        assertArrayEquals(value.getBytes(UTF_8), (byte[]) call(c -> c.array(2).arg("GET").arg(key.getBytes(UTF_8))));
        assertEquals("OK", call(c -> c.array(3).arg("SET").arg("len").arg(new StringBuilder(key))));
        assertEquals((long) key.getBytes(UTF_8).length, call(c -> c.array(2).arg("STRLEN").arg("len")));
    }

    @Test
    void doublesAreParsedByIncrByFloatAndZadd() throws IOException {
        double[] scores = {0.1, -2.5, 1e10, 1.0e-5, 123456.789, Double.MIN_VALUE, Double.MAX_VALUE, -0.0,
                Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        call(c -> c.array(2).arg("DEL").arg("z"));
        for (int i = 0; i < scores.length; i++) {
            double s = scores[i];
            String member = "m" + i;
            assertEquals(1L, call(c -> c.array(4).arg("ZADD").arg("z").arg(s).arg(member)), "ZADD " + s);
            String back = str(call(c -> c.array(3).arg("ZSCORE").arg("z").arg(member)));
            double parsed = back.equals("inf") ? Double.POSITIVE_INFINITY
                    : back.equals("-inf") ? Double.NEGATIVE_INFINITY : Double.parseDouble(back);
            assertEquals(s == 0 ? 0.0 : s, parsed == 0 ? 0.0 : parsed, "score of " + s + " came back as " + back);
        }
        call(c -> c.array(3).arg("SET").arg("f").arg(0L));
        assertEquals("10000000000", str(call(c -> c.array(3).arg("INCRBYFLOAT").arg("f").arg(1e10))));
        assertEquals("10000000000.5", str(call(c -> c.array(3).arg("INCRBYFLOAT").arg("f").arg(0.5))));
        assertEquals("10000000000.25", str(call(c -> c.array(3).arg("INCRBYFLOAT").arg("f").arg(-0.25))));
        String nan = str(call(c -> c.array(4).arg("ZADD").arg("z").arg(Double.NaN).arg("n")));
        assertEquals("-ERR value is not a valid float", nan);
    }

    @Test
    void longExtremesAreExact() throws IOException {
        assertEquals("OK", call(c -> c.array(3).arg("SET").arg("n").arg(Long.MAX_VALUE - 1)));
        assertEquals(Long.MAX_VALUE, call(c -> c.array(2).arg("INCR").arg("n")));
        assertEquals("-ERR increment or decrement would overflow", call(c -> c.array(2).arg("INCR").arg("n")));
        assertEquals("OK", call(c -> c.array(3).arg("SET").arg("n").arg(Long.MIN_VALUE)));
        assertEquals(Long.MIN_VALUE + 5, call(c -> c.array(3).arg("INCRBY").arg("n").arg(5L)));
        assertEquals(0L, call(c -> c.array(3).arg("INCRBY").arg("zero").arg(0L)));
        assertEquals(-1L, call(c -> c.array(3).arg("DECRBY").arg("zero").arg(1L)));
    }

    @Test
    void pipelinedCommandsInOneBufferAllAnswer() throws IOException {
        w.wrap(buffer, 0, buffer.byteSize());
        w.array(3).arg("SET").arg("p").arg(1L);
        for (int i = 0; i < 10; i++) {
            w.array(2).arg("INCR").arg("p".getBytes(UTF_8));
        }
        w.array(10).arg("MSET");
        for (int i = 0; i < 9; i++) {
            w.arg(i % 2 == 0 ? "k" + i : "v" + i); // 4 pairs + a dangling key: the server must say so
        }
        out.write(buffer.asSlice(0, w.written()).toArray(ValueLayout.JAVA_BYTE));
        out.flush();
        assertEquals("OK", read());
        for (long i = 2; i <= 11; i++) {
            assertEquals(i, read());
        }
        assertEquals("-ERR wrong number of arguments for 'mset' command", read());
        assertEquals("PONG", call(c -> c.array(1).arg("PING")));
    }
}
