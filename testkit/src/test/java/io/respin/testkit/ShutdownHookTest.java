package io.respin.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A JVM that exits without closing its servers must not leave redis-server processes or temp dirs behind. */
class ShutdownHookTest {

    /** Runs in a child JVM: starts a server, prints its pid and dir, and exits without closing it. */
    static final class Child {
        public static void main(String[] args) {
            RedisServer server = RedisServer.builder().unixSocket().start();
            System.out.println(server.pid() + " " + server.dir());
            System.out.flush();
            System.exit(0);
        }
    }

    @Test
    void serversDieWithTheirJvm() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Child.class.getName())
                .redirectErrorStream(true).start();
        String line;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            line = out.readLine();
        }
        assertTrue(child.waitFor(30, TimeUnit.SECONDS), "child JVM did not exit");
        assertEquals(0, child.exitValue(), "child output: " + line);
        String[] parts = line.split(" ", 2);
        long pid = Long.parseLong(parts[0]);
        // the hook waits for the server to exit before the JVM ends, so no polling is needed here
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "redis-server " + pid + " outlived its JVM");
        assertFalse(Files.exists(Path.of(parts[1])), "temp dir " + parts[1] + " outlived its JVM");
    }
}
