package io.respin.engine.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The {@code decode} tool end to end, against the examples and rules of {@code resp-decode.md}. */
class DecodeTest {

    record Run(int status, String out, String err) {
    }

    static Run decode(String input, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            int status = Decode.run(args, new ByteArrayInputStream(input.getBytes(StandardCharsets.ISO_8859_1)),
                    new PrintStream(out, true, StandardCharsets.US_ASCII), new PrintStream(err, true, StandardCharsets.US_ASCII));
            return new Run(status, out.toString(StandardCharsets.US_ASCII), err.toString(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Decodes with every chunk size from 1 to the input's length: all must print the same. */
    static Run decodeEveryChunk(String input, String... args) {
        Run whole = decode(input, args);
        for (int chunk = 1; chunk <= input.length(); chunk++) {
            List<String> a = new ArrayList<>(List.of(args));
            a.add("--chunk");
            a.add(String.valueOf(chunk));
            assertEquals(whole, decode(input, a.toArray(String[]::new)), "--chunk " + chunk);
        }
        return whole;
    }

    private static void prints(String input, String expected) {
        Run r = decodeEveryChunk(input);
        assertEquals(new Run(0, expected + "\n", ""), r, () -> "input " + input);
    }

    @Test
    void specTableExamples() {
        prints("+OK\r\n", "simple \"OK\"");
        prints("-ERR x\r\n", "error \"ERR x\"");
        prints(":42\r\n", "int 42");
        prints("$5\r\nhello\r\n", "bulk \"hello\"");
        prints("$-1\r\n", "null");
        prints("*-1\r\n", "null");
        prints("_\r\n", "null");
        prints(",3.14\r\n", "double 3.14");
        prints(",inf\r\n", "double inf");
        prints(",-inf\r\n", "double -inf");
        prints(",nan\r\n", "double nan");
        prints(",1\r\n", "double 1.0");
        prints(",1e300\r\n", "double 1.0E300");
        prints("#t\r\n", "bool true");
        prints("#f\r\n", "bool false");
        prints("(12345678901234567890\r\n", "bignum 12345678901234567890");
        prints("=15\r\ntxt:Some string\r\n", "verbatim \"txt\" \"Some string\"");
        prints("!21\r\nSYNTAX invalid syntax\r\n", "bloberror \"SYNTAX invalid syntax\"");
        prints("*2\r\n:1\r\n:2\r\n", "array [int 1, int 2]");
        prints("*0\r\n", "array []");
        prints("~1\r\n:1\r\n", "set [int 1]");
        prints(">1\r\n:1\r\n", "push [int 1]");
        prints("%1\r\n+a\r\n:1\r\n", "map {simple \"a\": int 1}");
        prints("%0\r\n", "map {}");
        prints("|1\r\n+ttl\r\n:3\r\n:7\r\n", "attr {simple \"ttl\": int 3} int 7");
        prints("$?\r\n;3\r\nabc\r\n;2\r\nde\r\n;0\r\n", "bulk \"abcde\"");
        prints("*?\r\n:1\r\n.\r\n", "array [int 1]");
        prints("~?\r\n.\r\n", "set []");
        prints("%?\r\n+a\r\n:1\r\n.\r\n", "map {simple \"a\": int 1}");
        prints("*2\r\n:1\r\n*2\r\n$1\r\na\r\n_\r\n", "array [int 1, array [bulk \"a\", null]]");
        prints("*2\r\n:1\r\n|1\r\n+a\r\n:2\r\n:3\r\n", "array [int 1, attr {simple \"a\": int 2} int 3]");
        prints(":+5\r\n", "int 5");
        prints(":-0\r\n", "int 0");
    }

    @Test
    void everyByteIsEscapedAsSpecified() {
        StringBuilder payload = new StringBuilder();
        StringBuilder expected = new StringBuilder("bulk \"");
        for (int b = 0; b < 256; b++) {
            payload.append((char) b);
            if (b == '"') {
                expected.append("\\\"");
            } else if (b == '\\') {
                expected.append("\\\\");
            } else if (b == '\r') {
                expected.append("\\r");
            } else if (b == '\n') {
                expected.append("\\n");
            } else if (b == '\t') {
                expected.append("\\t");
            } else if (b >= 0x20 && b <= 0x7E) {
                expected.append((char) b);
            } else {
                expected.append(String.format("\\x%02x", b));
            }
        }
        expected.append('"');
        Run r = decode("$256\r\n" + payload + "\r\n");
        assertEquals(expected + "\n", r.out());
        assertTrue(r.out().chars().allMatch(c -> c < 128), "output is ASCII");
    }

    @Test
    void incompleteInputPrintsIncompleteAndExitsZero() {
        assertEquals(new Run(0, "simple \"OK\"\nincomplete\n", ""), decodeEveryChunk("+OK\r\n$5\r\nhel"));
        assertEquals(new Run(0, "incomplete\n", ""), decodeEveryChunk("|1\r\n+a\r\n:1\r\n"), "attribute without its value");
        assertEquals(new Run(0, "incomplete\n", ""), decodeEveryChunk("+OK"));
        assertEquals(new Run(0, "", ""), decode(""));
    }

    @Test
    void protocolErrorStopsWithStatusOneAfterTheRepliesBeforeIt() {
        Run r = decodeEveryChunk("+OK\r\n:1\r\n:x\r\n+never\r\n");
        assertEquals(new Run(1, "simple \"OK\"\nint 1\nprotocol-error: invalid integer: 'x' (expected [+-]digits) at offset 10\n", ""), r);
    }

    @Test
    void limitOptionsAreAppliedAtTheHeader() {
        assertEquals(new Run(1, "protocol-error: bulk length 1000 exceeds maxBulk 10 (RespLimits.withMaxBulk / --max-bulk) at offset 0\n", ""),
                decodeEveryChunk("$1000\r\nab", "--max-bulk", "10"));
        assertEquals(0, decode("$10\r\n0123456789\r\n", "--max-bulk", "10").status());
        assertEquals(1, decode("*3\r\n", "--max-elements", "2").status());
        assertEquals(0, decode("*2\r\n:1\r\n:2\r\n", "--max-elements", "2").status());
        assertEquals("array [array [int 1]]\n", decode("*1\r\n*1\r\n:1\r\n", "--max-depth", "2").out());
        assertTrue(decode("*1\r\n*1\r\n*1\r\n:1\r\n", "--max-depth", "2").out().startsWith("protocol-error: nesting depth 3"));
        assertEquals(0, decode("*1\r\n".repeat(128) + ":1\r\n").status(), "128 nested arrays pass by default");
        assertEquals(1, decode("*1\r\n".repeat(129) + ":1\r\n").status(), "129 fail");
    }

    @Test
    void largeBulkPrintsTheSameInSmallChunksAsWhole() {
        String payload = "0123456789abcdef".repeat(10_000); // above the tool's 64 KiB piece threshold
        String input = "$" + payload.length() + "\r\n" + payload + "\r\n=" + (payload.length() + 4) + "\r\ntxt:" + payload + "\r\n";
        Run whole = decode(input);
        assertEquals("bulk \"" + payload + "\"\nverbatim \"txt\" \"" + payload + "\"\n", whole.out());
        for (String chunk : new String[] {"1", "7", "4096", "65537"}) {
            assertEquals(whole, decode(input, "--chunk", chunk), "--chunk " + chunk);
        }
    }

    /** Golden files: bytes captured from redis-server 7.0.15 and what decode must print for them, diff-style. */
    @Test
    void capturedConversationsPrintTheirGoldenOutput() throws IOException {
        for (String name : new String[] {"debug-protocol-resp2", "debug-protocol-resp3"}) {
            byte[] capture;
            String expected;
            try (var bin = DecodeTest.class.getResourceAsStream(name + ".bin");
                 var txt = DecodeTest.class.getResourceAsStream(name + ".txt")) {
                capture = bin.readAllBytes();
                expected = new String(txt.readAllBytes(), StandardCharsets.US_ASCII);
            }
            String input = new String(capture, StandardCharsets.ISO_8859_1);
            for (String chunk : new String[] {"1", "2", "3", "7", "64", "100000"}) {
                assertEquals(new Run(0, expected, ""), decode(input, "--chunk", chunk), name + " --chunk " + chunk);
            }
            assertEquals(name.endsWith("resp3") ? 15 : 13, expected.lines().count(), name + ": one line per reply");
        }
    }

    @Test
    void deepNestingWithinARaisedDepthLimitPrintsWithoutOverflowingTheStack() {
        int depth = 100_000;
        Run r = decode("*1\r\n".repeat(depth) + "|1\r\n+a\r\n:1\r\n:1\r\n", "--max-depth", String.valueOf(depth + 1)); // + the attribute
        assertEquals(0, r.status(), r.out().length() > 200 ? r.out().substring(0, 200) : r.out());
        assertEquals("array [".repeat(depth) + "attr {simple \"a\": int 1} int 1" + "]".repeat(depth) + "\n", r.out());
    }

    @Test
    void badOptionsAreUsageErrors() {
        for (String[] args : new String[][] {{"--chunk"}, {"--chunk", "0"}, {"--chunk", "x"}, {"--frobnicate", "1"},
                {"--max-bulk", "-1"}}) {
            Run r = decode("+OK\r\n", args);
            assertEquals(2, r.status(), String.join(" ", args));
            assertTrue(r.err().contains("usage:"), r.err());
            assertEquals("", r.out());
        }
    }

    @Test
    void helpPrintsUsageOnStdoutAndSucceeds() throws IOException {
        for (String flag : new String[] {"--help", "-h"}) {
            Run r = decode("", flag);
            assertEquals(0, r.status(), flag);
            assertTrue(r.out().startsWith("usage: java "), r.out());
            assertTrue(r.out().contains("--max-bulk N"), r.out());
            assertEquals("", r.err(), flag);
        }
    }

    @Test
    void usageNamesTheJarOrTheClassPathItRunsFrom() {
        Path cwd = Path.of("").toAbsolutePath();
        assertEquals("usage: java -jar engine/target/respin-engine-0.1.0-SNAPSHOT.jar decode [--chunk N] [--max-depth N] "
                        + "[--max-elements N] [--max-bulk N] < capture.bin",
                Decode.usage(cwd.resolve("engine/target/respin-engine-0.1.0-SNAPSHOT.jar"), cwd));
        assertEquals("usage: java -jar /opt/respin/respin-engine-1.0.jar decode [--chunk N] [--max-depth N] "
                        + "[--max-elements N] [--max-bulk N] < capture.bin",
                Decode.usage(Path.of("/opt/respin/respin-engine-1.0.jar"), cwd));
        assertEquals("usage: java -cp engine/target/classes io.respin.engine.tools.Main decode [--chunk N] "
                        + "[--max-depth N] [--max-elements N] [--max-bulk N] < capture.bin",
                Decode.usage(cwd.resolve("engine/target/classes"), cwd));
        assertTrue(Decode.usage().contains("io.respin.engine.tools.Main decode"), "tests run from target/classes: "
                + Decode.usage());
    }

    @Test
    void runnableMainAnswersHelpWithExitStatusZero() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        for (List<String> args : List.of(List.of("--help"), List.of("decode", "--help"))) {
            List<String> cmd = new ArrayList<>(List.of(java.toString(), "-cp",
                    System.getProperty("java.class.path"), Main.class.getName()));
            cmd.addAll(args);
            Process p = new ProcessBuilder(cmd).start();
            p.getOutputStream().close();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "decode did not exit");
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertEquals(0, p.exitValue(), args + ": " + err);
            assertTrue(out.startsWith("usage: java "), out);
            assertEquals("", err);
        }
    }

    @Test
    void runnableMainReadsStdinAndExitsWithTheStatus() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "decode", "--chunk", "3").start();
        try (var stdin = p.getOutputStream()) {
            stdin.write("*2\r\n:1\r\n$2\r\nhi\r\n#x\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "decode did not exit");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.US_ASCII);
        assertEquals("array [int 1, bulk \"hi\"]\nprotocol-error: invalid boolean: 'x' (expected #t or #f) at offset 17\n", out, err);
        assertEquals(1, p.exitValue());
        assertEquals("", err, "nothing on stderr, no JVM warnings");
    }
}
