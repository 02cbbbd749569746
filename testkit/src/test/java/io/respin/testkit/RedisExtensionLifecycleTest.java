package io.respin.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Runs sample test classes through a JUnit launcher, so that what happens after a class ends (servers
 * stopped) and when a test fails (log attached) can be checked from outside.
 */
class RedisExtensionLifecycleTest {

    /** The samples only run inside {@link #run}; when a build tool finds them on its own they are disabled. */
    private static volatile boolean launched;
    private static volatile RedisServer seen;

    @RedisTest(unixSocket = true, tls = true, requirePass = "pw", debugCommand = true,
            aclUsers = "alice alice-pw ~* +@all")
    @EnabledIf("io.respin.testkit.RedisExtensionLifecycleTest#launched")
    static class OptionsSample {
        @Test
        void optionsAreApplied(RedisServer server) throws Exception {
            seen = server;
            assertEquals("pw", server.password());
            assertEquals("OK", server.command("DEBUG", "SLEEP", "0"));
            String overTls = TlsServerTest.pingOverTls(server.sslContext(), server.tlsPort());
            assertTrue(overTls.startsWith("-NOAUTH"), "TLS reaches the password-protected server: " + overTls);
            try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                ch.connect(UnixDomainSocketAddress.of(server.unixSocket()));
                ch.write(ByteBuffer.wrap("AUTH alice alice-pw\r\n".getBytes(StandardCharsets.US_ASCII)));
                assertEquals("+OK\r\n", UnixSocketServerTest.readReply(ch, 5));
            }
        }
    }

    @ExtendWith(RedisExtension.class)
    @EnabledIf("io.respin.testkit.RedisExtensionLifecycleTest#launched")
    static class FailingSample {
        @Test
        void fails(RedisServer server) {
            seen = server;
            fail("deliberate failure");
        }
    }

    private static volatile RedisCluster seenCluster;

    @ExtendWith(RedisExtension.class)
    @EnabledIf("io.respin.testkit.RedisExtensionLifecycleTest#launched")
    @org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
    static class ClusterSample {
        @Test
        @org.junit.jupiter.api.Order(1)
        void getsAClusterAndWrites(RedisCluster cluster) {
            seenCluster = cluster;
            assertEquals(3, cluster.primaries().size());
            assertEquals("OK", cluster.primaryForKey("k").command("SET", "k", "v"));
        }

        @Test
        @org.junit.jupiter.api.Order(2)
        void getsTheSameClusterFlushed(RedisCluster cluster) {
            org.junit.jupiter.api.Assertions.assertSame(seenCluster, cluster, "one cluster per class");
            assertEquals(null, cluster.primaryForKey("k").command("GET", "k"));
        }
    }

    @Test
    void aClusterParameterIsSharedByTheClassFlushedBetweenTestsAndStoppedAfter() {
        Map<String, TestExecutionResult> results = run(ClusterSample.class);
        for (String test : new String[] {"getsAClusterAndWrites(RedisCluster)", "getsTheSameClusterFlushed(RedisCluster)"}) {
            TestExecutionResult result = results.get(test);
            assertNotNull(result, test + " did not run: " + results);
            assertEquals(TestExecutionResult.Status.SUCCESSFUL, result.getStatus(), () -> String.valueOf(result.getThrowable()));
        }
        assertNotNull(seenCluster, "the sample never ran");
        for (RedisServer node : seenCluster.nodes()) {
            assertStopped(node);
        }
    }

    @Test
    void optionsFromTheAnnotationReachTheServerAndItStopsAfterTheClass() {
        Map<String, TestExecutionResult> results = run(OptionsSample.class);
        TestExecutionResult result = results.get("optionsAreApplied(RedisServer)");
        assertNotNull(result, results.toString());
        assertEquals(TestExecutionResult.Status.SUCCESSFUL, result.getStatus(), () -> String.valueOf(result.getThrowable()));
        assertStopped(seen);
    }

    @Test
    void aFailingTestCarriesTheServerLog() {
        Map<String, TestExecutionResult> results = run(FailingSample.class);
        TestExecutionResult result = results.get("fails(RedisServer)");
        assertNotNull(result, results.toString());
        assertEquals(TestExecutionResult.Status.FAILED, result.getStatus());
        Throwable failure = result.getThrowable().orElseThrow();
        assertEquals("deliberate failure", failure.getMessage());
        Throwable[] suppressed = failure.getSuppressed();
        assertTrue(Arrays.stream(suppressed).anyMatch(s -> s instanceof RedisExtension.ServerLog
                        && s.getMessage().contains("Ready to accept connections")),
                "no server log attached: " + Arrays.toString(suppressed));
        assertStopped(seen);
    }

    private static void assertStopped(RedisServer server) {
        assertNotNull(server, "the sample never ran");
        long pid = server.pid();
        Path dir = server.dir();
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "server " + pid + " outlived its class");
        assertFalse(Files.exists(dir), "temp dir " + dir + " left behind");
        assertTrue(server.log().contains("Ready to accept connections"), "log kept after close");
    }

    static boolean launched() {
        return launched;
    }

    private static Map<String, TestExecutionResult> run(Class<?> sample) {
        Map<String, TestExecutionResult> results = new ConcurrentHashMap<>();
        seen = null;
        launched = true;
        try {
            Launcher launcher = LauncherFactory.create();
            launcher.execute(LauncherDiscoveryRequestBuilder.request()
                    .selectors(DiscoverySelectors.selectClass(sample)).build(), new TestExecutionListener() {
                        @Override
                        public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                            results.put(id.getDisplayName(), result);
                        }
                    });
        } finally {
            launched = false;
        }
        return results;
    }

}
