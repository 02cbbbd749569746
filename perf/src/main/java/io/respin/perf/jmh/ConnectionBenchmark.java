package io.respin.perf.jmh;

import io.respin.RedisException;
import io.respin.RedisServerException;
import io.respin.engine.connection.CommandKind;
import io.respin.engine.connection.Connection;
import io.respin.engine.connection.ConnectionListener;
import io.respin.engine.connection.ConnectionSettings;
import io.respin.engine.connection.Request;
import io.respin.engine.resp.Reply;
import io.respin.engine.resp.RespHandler;
import io.respin.engine.resp.RespType;
import io.respin.engine.resp.RespWriter;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The whole engine per command, without IO: a pipeline of 64 {@code GET}s encoded through the
 * {@link Connection} (writer + in-flight FIFO) and their 64 bulk replies received (parser + routing to each
 * command's handler + {@code onReply}). Score is per command.
 *
 * <pre>{@code
 * java -cp perf/target/respin-perf.jar org.openjdk.jmh.Main ConnectionBenchmark -prof gc
 * }</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
public class ConnectionBenchmark {
    static final int BATCH = 64;
    private static final byte[] GET = "GET".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] KEY = "user:1000:profile".getBytes(StandardCharsets.US_ASCII);

    /** A typed GET whose decoder reads the value's length and first byte (as a real decoder would touch it). */
    static final class Get extends RespHandler.Adapter implements Request {
        long acc;

        @Override public void encode(RespWriter w) { w.array(2).arg(GET).arg(KEY); }
        @Override public RespHandler replyHandler() { return this; }
        @Override public CommandKind kind() { return CommandKind.PLAIN; }
        @Override public void onString(RespType type, MemorySegment data, long offset, long length) {
            acc += length + data.get(java.lang.foreign.ValueLayout.JAVA_BYTE, offset);
        }
    }

    static final class Completions implements ConnectionListener {
        long done;

        @Override public void onReply(Request r) { done++; }
        @Override public void onServerError(Request r, RedisServerException error) { throw error; }
        @Override public void onFailed(Request r, RedisException error) { throw error; }
        @Override public void onPush(Reply push) { }
    }

    private Arena arena;
    private MemorySegment out;
    private MemorySegment in;
    private Connection connection;
    private final Completions completions = new Completions();
    private final Get[] gets = new Get[BATCH];

    @Setup(Level.Trial)
    public void setUp() {
        arena = Arena.ofShared();
        out = arena.allocate(64 * 1024);
        byte[] replies = "$100\r\n".concat("x".repeat(100)).concat("\r\n").repeat(BATCH).getBytes(StandardCharsets.US_ASCII);
        in = arena.allocate(replies.length);
        MemorySegment.copy(MemorySegment.ofArray(replies), 0, in, 0, replies.length);
        connection = new Connection(ConnectionSettings.builder().libInfo(null, null).build(), completions);
        for (int i = 0; i < BATCH; i++) {
            gets[i] = new Get();
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long pipelineOf64() {
        long pos = 0;
        for (Get g : gets) {
            pos += connection.encode(g, out, pos, out.byteSize());
        }
        long used = connection.receive(in, 0, in.byteSize());
        return pos + used + completions.done;
    }
}
