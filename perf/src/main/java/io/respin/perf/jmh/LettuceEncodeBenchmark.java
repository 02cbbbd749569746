package io.respin.perf.jmh;

import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
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
 * Lettuce encoding the commands of {@link RespEncodeBenchmark} into a direct Netty buffer: building the
 * {@code CommandArgs} and {@code Command} is part of each operation, as it is for every Lettuce call.
 *
 * <pre>{@code
 * java -cp perf/target/respin-perf.jar org.openjdk.jmh.Main LettuceEncodeBenchmark -prof gc
 * }</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = "--sun-misc-unsafe-memory-access=allow")
public class LettuceEncodeBenchmark {

    private ByteBuf out;

    @Setup(Level.Trial)
    public void setUp() {
        out = Unpooled.directBuffer(2 * RespInputs.MIB);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        out.release();
    }

    private int encode(CommandType type, CommandArgs<?, ?> args) {
        out.clear();
        new Command<>(type, null, args).encode(out);
        return out.writerIndex();
    }

    @Benchmark
    public int getStringKey() {
        return encode(CommandType.GET, new CommandArgs<>(StringCodec.UTF8).addKey(RespInputs.KEY));
    }

    @Benchmark
    public int getBytesKey() {
        return encode(CommandType.GET, new CommandArgs<>(ByteArrayCodec.INSTANCE).addKey(RespInputs.KEY_BYTES));
    }

    @Benchmark
    public int set100() {
        return encode(CommandType.SET, new CommandArgs<>(ByteArrayCodec.INSTANCE).addKey(RespInputs.KEY_BYTES)
                .addValue(RespInputs.VALUE_100));
    }

    @Benchmark
    public int rpush10() {
        CommandArgs<byte[], byte[]> args = new CommandArgs<>(ByteArrayCodec.INSTANCE).addKey(RespInputs.KEY_BYTES);
        for (byte[] v : RespInputs.VALUES_8) {
            args.addValue(v);
        }
        return encode(CommandType.RPUSH, args);
    }

    @Benchmark
    public int zaddDouble() {
        return encode(CommandType.ZADD, new CommandArgs<>(ByteArrayCodec.INSTANCE).addKey(RespInputs.KEY_BYTES)
                .add(1234.5678).add(42L));
    }

    @Benchmark
    public int set1MiB() {
        return encode(CommandType.SET, new CommandArgs<>(ByteArrayCodec.INSTANCE).addKey(RespInputs.KEY_BYTES)
                .addValue(RespInputs.VALUE_1MIB));
    }
}
