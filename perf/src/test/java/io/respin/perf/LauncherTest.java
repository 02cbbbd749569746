package io.respin.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.DataInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The perf jar's Main-Class: loadable by any Java, and on one older than 25 it says what to do. */
class LauncherTest {

    @Test
    void oldRuntimesAreToldToUseJdk25AndNewOnesPass() {
        String on8 = Launcher.refusal("1.8", "/opt/jdk8");
        assertTrue(on8.startsWith("respin needs Java 25+, this is Java 8 (/opt/jdk8): set JAVA_HOME to a JDK 25"), on8);
        assertTrue(Launcher.refusal("17", "/usr/lib/jvm/java-17").contains("this is Java 17"));
        assertTrue(Launcher.refusal("24", "x").contains("\"$JAVA_HOME/bin/java\" -jar perf/target/respin-perf.jar"));
        assertNull(Launcher.refusal("25", "x"));
        assertNull(Launcher.refusal("26.0.1", "x"));
    }

    @Test
    void theLauncherIsCompiledForJava8() throws Exception {
        try (InputStream in = Launcher.class.getResourceAsStream("Launcher.class")) {
            DataInputStream data = new DataInputStream(in);
            assertEquals(0xCAFEBABE, data.readInt());
            data.readUnsignedShort(); // minor
            assertEquals(52, data.readUnsignedShort(), "class file version 52 = Java 8");
        }
    }

    /** The README's run command with JAVA_HOME unset runs /bin/java; here that is Java 17 (skipped elsewhere). */
    @Test
    void onJava17TheLauncherRefusesWithTheMessageNotAStackTrace() throws Exception {
        Path java = Path.of("/usr/bin/java");
        assumeTrue(Files.isExecutable(java), "no /usr/bin/java on this machine");
        Path release = java.toRealPath().getParent().getParent().resolve("release");
        assumeTrue(Files.exists(release) && !Files.readString(release).matches("(?s).*JAVA_VERSION=\"(2[5-9]|[3-9]\\d).*"),
                "/usr/bin/java is not older than 25 here");
        Path classes = Path.of(Launcher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Process p = new ProcessBuilder(java.toString(), "-cp", classes.toString(), "io.respin.perf.Launcher", "--help")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(1, p.exitValue(), out);
        assertTrue(out.startsWith("respin needs Java 25+, this is Java "), out);
        assertTrue(!out.contains("UnsupportedClassVersionError") && !out.contains("Exception"), out);
    }
}
