package io.respin.perf.jmh;

import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.CommandOutput;
import io.lettuce.core.protocol.ProtocolVersion;
import io.lettuce.core.protocol.RedisStateMachine;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
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
 * Lettuce's {@code RedisStateMachine} over the same replies as {@link RespParseBenchmark}, in a direct Netty
 * buffer, into a reused output that only sums what it is given — the decoder's own cost, without the per-command
 * output objects Lettuce creates in real use. Netty's Unsafe access is allowed in the fork (as Lettuce users run it),
 * which keeps JDK 25's warning out of the results.
 *
 * <pre>{@code
 * java -cp perf/target/respin-perf.jar org.openjdk.jmh.Main LettuceParseBenchmark -prof gc
 * }</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = "--sun-misc-unsafe-memory-access=allow")
public class LettuceParseBenchmark {

    @Param({RespInputs.STATUS, RespInputs.INTEGER, RespInputs.BULK, RespInputs.ARRAY10, RespInputs.BULK_1MIB})
    public String shape;

    private ByteBuf input;
    private RedisStateMachine stateMachine;
    private SummingOutput output;

    /** Sums what it receives, like {@link RespParseBenchmark.Sink}. */
    static final class SummingOutput extends CommandOutput<byte[], byte[], Long> {
        long acc;

        SummingOutput() {
            super(ByteArrayCodec.INSTANCE, 0L);
        }

        @Override public void set(ByteBuffer bytes) {
            acc += bytes == null ? 0 : bytes.remaining() + bytes.get(bytes.position());
        }

        @Override public void set(long integer) {
            acc += integer;
        }

        @Override public void multi(int count) {
            acc += count;
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        byte[] bytes = RespInputs.reply(shape);
        input = Unpooled.directBuffer(bytes.length).writeBytes(bytes);
        stateMachine = new RedisStateMachine();
        stateMachine.setProtocolVersion(ProtocolVersion.RESP2);
        output = new SummingOutput();
        if (!decode() || input.isReadable()) {
            throw new IllegalStateException("Lettuce did not decode the " + shape + " reply whole");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        stateMachine.close();
        input.release();
    }

    @Benchmark
    public boolean decode() {
        input.readerIndex(0);
        return stateMachine.decode(input, output);
    }
}
