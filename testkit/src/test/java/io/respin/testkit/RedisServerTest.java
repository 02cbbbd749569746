package io.respin.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class RedisServerTest {

    @Test
    void startsAnswersAndStopsWithoutLeavingAProcess() throws Exception {
        RedisServer server = RedisServer.builder().start();
        long pid = server.pid();
        Path dir = server.dir();
        assertEquals("+PONG", ServerProcess.ping(server.port(), 1000));
        server.close();
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "process " + pid + " still alive");
        assertThrows(IOException.class, () -> ServerProcess.ping(server.port(), 200));
        assertFalse(Files.exists(dir), "temp dir " + dir + " left behind");
    }

    @Test
    void logIsCapturedAndOutlivesClose() {
        RedisServer server = RedisServer.builder().start();
        assertTrue(server.log().contains("Ready to accept connections"), server.log());
        server.close();
        assertTrue(server.log().contains("Ready to accept connections"), "log lost on close: " + server.log());
    }

    @Test
    void missingExecutableNamesTheInstallCommand() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> RedisServer.builder().searchPath("/nonexistent/bin:/also/not/here").start());
        assertTrue(e.getMessage().contains("apt-get install -y redis-server"), e.getMessage());
    }

    @Test
    void commandRoundTripsValuesAndReportsErrorReplies() {
        try (RedisServer server = RedisServer.builder().config("maxmemory", "32mb").start()) {
            assertEquals("OK", server.command("SET", "k", "v"));
            assertEquals("v", server.command("GET", "k"));
            assertNull(server.command("GET", "missing"));
            assertEquals(2L, server.command("RPUSH", "l", "a", "b"));
            assertEquals(java.util.List.of("a", "b"), server.command("LRANGE", "l", "0", "-1"));
            assertEquals(java.util.List.of("maxmemory", "33554432"), server.command("CONFIG", "GET", "maxmemory"));
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> server.command("INCR", "k"));
            assertTrue(e.getMessage().contains("not an integer"), e.getMessage());
        }
    }

    @Test
    void requirePassRejectsAnonymousCommandsAndAcceptsThePassword() throws IOException {
        try (RedisServer server = RedisServer.builder().requirePass("s3cret").start();
             RespProbe anonymous = new RespProbe(server.host(), server.port(), 2000)) {
            assertEquals("s3cret", server.password());
            IllegalStateException noAuth = assertThrows(IllegalStateException.class, () -> anonymous.call("GET", "k"));
            assertTrue(noAuth.getMessage().startsWith("NOAUTH"), noAuth.getMessage());
            assertThrows(IllegalStateException.class, () -> anonymous.call("AUTH", "wrong"));
            assertEquals("OK", anonymous.call("AUTH", "s3cret"));
            assertEquals("PONG", anonymous.call("PING"));
            assertEquals("PONG", server.command("PING"), "the admin channel authenticates by itself");
        }
    }

    @Test
    void aclUserAuthenticatesAndAWrongPasswordIsRefused() throws IOException {
        try (RedisServer server = RedisServer.builder()
                .aclUser("alice", "alice-pw", "~* +@all")
                .aclUser("reader", "reader-pw", "~cache:* +get")
                .start();
             RespProbe c = new RespProbe(server.host(), server.port(), 2000)) {
            IllegalStateException wrong = assertThrows(IllegalStateException.class, () -> c.call("AUTH", "alice", "nope"));
            assertTrue(wrong.getMessage().startsWith("WRONGPASS"), wrong.getMessage());
            assertEquals("OK", c.call("AUTH", "alice", "alice-pw"));
            assertEquals("alice", c.call("ACL", "WHOAMI"));
            assertEquals("OK", c.call("SET", "cache:1", "x"));

            assertEquals("OK", c.call("AUTH", "reader", "reader-pw"));
            assertEquals("x", c.call("GET", "cache:1"));
            IllegalStateException denied = assertThrows(IllegalStateException.class, () -> c.call("SET", "cache:1", "y"));
            assertTrue(denied.getMessage().startsWith("NOPERM"), denied.getMessage());
        }
    }

    @Test
    void debugCommandIsEnabledOnRequest() {
        try (RedisServer plain = RedisServer.builder().start();
             RedisServer debug = RedisServer.builder().enableDebugCommand().start()) {
            assertThrows(IllegalStateException.class, () -> plain.command("DEBUG", "SLEEP", "0"));
            assertEquals("OK", debug.command("DEBUG", "SLEEP", "0"));
        }
    }

    @Test
    void killedServerRestartsOnTheSamePort() throws IOException {
        try (RedisServer server = RedisServer.builder().unixSocket().start()) {
            int port = server.port();
            long firstPid = server.pid();
            server.command("SET", "k", "v");

            server.kill();
            assertFalse(server.isAlive());
            assertFalse(ProcessHandle.of(firstPid).map(ProcessHandle::isAlive).orElse(false));
            assertThrows(IOException.class, () -> ServerProcess.ping(port, 200));

            server.restart();
            assertEquals(port, server.port());
            assertNotEquals(firstPid, server.pid());
            assertEquals("+PONG", ServerProcess.ping(port, 1000));
            assertNull(server.command("GET", "k"), "no persistence: a restarted server starts empty");
            assertTrue(Files.exists(server.unixSocket()), "the Unix socket is back at the same path");

            server.restart(); // restarting a running server stops it cleanly first
            assertEquals("+PONG", ServerProcess.ping(port, 1000));
        }
    }

    @Test
    void optionsThatWereNotRequestedFailWithAHint() {
        try (RedisServer server = RedisServer.builder().start()) {
            IllegalStateException uds = assertThrows(IllegalStateException.class, server::unixSocket);
            assertTrue(uds.getMessage().contains(".unixSocket()"), uds.getMessage());
            IllegalStateException tls = assertThrows(IllegalStateException.class, server::tlsPort);
            assertTrue(tls.getMessage().contains(".tls()"), tls.getMessage());
        }
    }
}
