package io.respin.perf.jmh;

import io.respin.engine.resp.RespWriter;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * respin's {@link RespWriter} encoding whole commands into a native write buffer, as the IO thread does for each
 * queued command. Compare with {@link LettuceEncodeBenchmark}, same commands.
 *
 * <pre>{@code
 * java -cp perf/target/respin-perf.jar org.openjdk.jmh.Main RespEncodeBenchmark -prof gc
 * }</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
public class RespEncodeBenchmark {

    private Arena arena;
    private MemorySegment out;
    private final RespWriter w = new RespWriter();
    private final StringBuilder keyBuilder = new StringBuilder(RespInputs.KEY);
    private final MemorySegment value1MiB = MemorySegment.ofArray(RespInputs.VALUE_1MIB);

    @Setup(Level.Trial)
    public void setUp() {
        arena = Arena.ofShared();
        out = arena.allocate(2 * RespInputs.MIB);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
    }

    /** GET with a String key, UTF-8 encoded in place. */
    @Benchmark
    public long getStringKey() {
        return w.wrap(out, 0, out.byteSize()).array(2).arg("GET").arg(RespInputs.KEY).position();
    }

    /** GET with a CharSequence key (a StringBuilder): the general UTF-8 path. */
    @Benchmark
    public long getCharSequenceKey() {
        return w.wrap(out, 0, out.byteSize()).array(2).arg("GET").arg(keyBuilder).position();
    }

    /** GET with a byte[] key. */
    @Benchmark
    public long getBytesKey() {
        return w.wrap(out, 0, out.byteSize()).array(2).arg("GET").arg(RespInputs.KEY_BYTES).position();
    }

    /** SET with a 100-byte value. */
    @Benchmark
    public long set100() {
        return w.wrap(out, 0, out.byteSize()).array(3).arg("SET").arg(RespInputs.KEY_BYTES).arg(RespInputs.VALUE_100)
                .position();
    }

    /** A 10-element command: RPUSH key v0..v7. */
    @Benchmark
    public long rpush10() {
        w.wrap(out, 0, out.byteSize()).array(10).arg("RPUSH").arg(RespInputs.KEY_BYTES);
        for (byte[] v : RespInputs.VALUES_8) {
            w.arg(v);
        }
        return w.position();
    }

    /** ZADD with a double score and a long-valued member: number formatting. */
    @Benchmark
    public long zaddDouble() {
        return w.wrap(out, 0, out.byteSize()).array(4).arg("ZADD").arg(RespInputs.KEY_BYTES).arg(1234.5678).arg(42L)
                .position();
    }

    /** SET with a 1 MiB value (a segment): the copy dominates. */
    @Benchmark
    public long set1MiB() {
        return w.wrap(out, 0, out.byteSize()).array(3).arg("SET").arg(RespInputs.KEY_BYTES).arg(value1MiB).position();
    }
}
