package io.respin.perf.jmh;

import io.respin.engine.resp.RespHandler;
import io.respin.engine.resp.RespParser;
import io.respin.engine.resp.RespType;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * respin's parser over one complete reply in a native segment, as the IO thread sees it after a read: one
 * {@code parse} call per reply, tokens into a handler that touches every value (the way a reply decoder would).
 * Compare with {@link LettuceParseBenchmark}, same bytes.
 *
 * <pre>{@code
 * java -cp perf/target/respin-perf.jar org.openjdk.jmh.Main RespParseBenchmark -prof gc
 * }</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
public class RespParseBenchmark {

    @Param({RespInputs.STATUS, RespInputs.INTEGER, RespInputs.BULK, RespInputs.ARRAY10, RespInputs.BULK_1MIB})
    public String shape;

    private Arena arena;
    private MemorySegment input;
    private long length;
    private final RespParser parser = new RespParser();
    private final Sink sink = new Sink();

    /** Sums what a decoder would read, so that nothing is dead code. */
    static final class Sink extends RespHandler.Adapter {
        long acc;

        @Override public void onString(RespType type, MemorySegment data, long offset, long length) {
            acc += length + data.get(java.lang.foreign.ValueLayout.JAVA_BYTE, offset);
        }

        @Override public void onInteger(long value) {
            acc += value;
        }

        @Override public void onAggregateStart(RespType type, long count) {
            acc += count;
        }

        @Override public void onReplyEnd() {
            acc++;
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        byte[] bytes = RespInputs.reply(shape);
        arena = Arena.ofShared();
        input = arena.allocate(bytes.length);
        MemorySegment.copy(MemorySegment.ofArray(bytes), 0, input, 0, bytes.length);
        length = bytes.length;
        if (parse() < 0 || parser.position() != length || !parser.atReplyBoundary()) {
            throw new IllegalStateException("the parser did not consume the " + shape + " reply whole: " + parser.error());
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
    }

    @Benchmark
    public long parse() {
        long used = parser.parse(input, 0, length, sink);
        return used + sink.acc;
    }
}
