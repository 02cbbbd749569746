package io.respin.engine.tools;

import io.respin.engine.resp.CanonicalForm;
import io.respin.engine.resp.Reply;
import io.respin.engine.resp.ReplyAssembler;
import io.respin.engine.resp.RespLimits;
import io.respin.engine.resp.RespParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.foreign.MemorySegment;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code decode}: reads raw RESP bytes (a capture of what a server sent) and prints each top-level reply on one
 * line in the {@link CanonicalForm}; then {@code incomplete} if the input stops inside a reply, or
 * {@code protocol-error: <reason> at offset N} (exit status 1) at the first malformed byte. Specified in
 * {@code resp-decode.md}; the output does not depend on {@code --chunk}.
 *
 * <pre>{@code
 * $ printf '*2\r\n:1\r\n$1\r\na\r\n' | java -jar engine/target/respin-engine-0.1.0-SNAPSHOT.jar decode --chunk 1
 * array [int 1, bulk "a"]
 * }</pre>
 */
public final class Decode {

    private static final String OPTIONS = "[--chunk N] [--max-depth N] [--max-elements N] [--max-bulk N] < capture.bin";

    /** Strings longer than this are fed to the assembler in pieces: exercises the streaming path, same output. */
    private static final long CHUNK_THRESHOLD = 64 * 1024;

    private Decode() {
    }

    /**
     * Runs the tool; returns the exit status (0 ok or incomplete, 1 protocol error, 2 usage). {@code --help} or
     * {@code -h} prints the usage on {@code out} and returns 0.
     */
    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err) throws IOException {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            out.println(usage());
            return 0;
        }
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("decode: " + e.getMessage());
            err.println(usage());
            return 2;
        }
        byte[] input = in.readAllBytes();
        StringBuilder text = new StringBuilder();
        int status = decode(input, options, text);
        out.print(text);
        out.flush();
        return status;
    }

    /** The usage line, naming the jar (or class path) this code runs from, relative to the working directory. */
    static String usage() {
        Path cwd = Path.of("").toAbsolutePath();
        try {
            return usage(Path.of(Decode.class.getProtectionDomain().getCodeSource().getLocation().toURI()), cwd);
        } catch (URISyntaxException | RuntimeException unknown) { // no code source: name the jar as the build makes it
            return usage(cwd.resolve("engine/target/respin-engine-<version>.jar"), cwd);
        }
    }

    /** The usage line for code loaded from {@code codeSource}: a jar runs with -jar, a class directory with -cp. */
    static String usage(Path codeSource, Path cwd) {
        Path shown = codeSource.startsWith(cwd) ? cwd.relativize(codeSource) : codeSource;
        return shown.toString().endsWith(".jar")
                ? "usage: java -jar " + shown + " decode " + OPTIONS
                : "usage: java -cp " + shown + " " + Main.class.getName() + " decode " + OPTIONS;
    }

    /** Decodes {@code input} fed {@code options.chunk} bytes at a time; appends the output lines to {@code out}. */
    static int decode(byte[] input, Options options, StringBuilder out) {
        RespParser parser = new RespParser(options.limits).chunkThreshold(CHUNK_THRESHOLD);
        ReplyAssembler assembler = new ReplyAssembler();
        MemorySegment segment = MemorySegment.ofArray(input);
        long consumed = 0;
        long available = 0;
        while (available < input.length) {
            // as a transport would: the unconsumed tail is presented again, followed by the next chunk
            available += Math.min(options.chunk, input.length - available);
            long used = parser.parse(segment, consumed, available - consumed, assembler);
            for (Reply r = assembler.poll(); r != null; r = assembler.poll()) {
                CanonicalForm.append(out, r);
                out.append('\n');
            }
            if (used == RespParser.FAILED) {
                out.append("protocol-error: ").append(parser.error().getMessage()).append('\n');
                return 1;
            }
            consumed += used;
        }
        if (consumed < input.length || !parser.atReplyBoundary()) {
            out.append("incomplete\n");
        }
        return 0;
    }

    /** The command line. */
    record Options(long chunk, RespLimits limits) {
        static Options parse(String[] args) {
            long chunk = Long.MAX_VALUE;
            RespLimits limits = RespLimits.DEFAULT;
            for (int i = 0; i < args.length; i++) {
                String name = args[i];
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("unknown option or missing value: " + name);
                }
                long v = number(name, args[++i]);
                switch (name) {
                    case "--chunk" -> chunk = positive(name, v);
                    case "--max-depth" -> limits = limits.withMaxDepth((int) Math.min(positive(name, v), 1 << 20));
                    case "--max-elements" -> limits = limits.withMaxElements(v);
                    case "--max-bulk" -> limits = limits.withMaxBulk(v);
                    default -> throw new IllegalArgumentException("unknown option " + name);
                }
            }
            return new Options(chunk, limits);
        }

        private static long number(String name, String value) {
            try {
                long v = Long.parseLong(value);
                if (v < 0) {
                    throw new IllegalArgumentException(name + " must not be negative: " + value);
                }
                return v;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + " needs a number, got " + value, e);
            }
        }

        private static long positive(String name, long v) {
            if (v < 1) {
                throw new IllegalArgumentException(name + " must be at least 1");
            }
            return v;
        }
    }
}
