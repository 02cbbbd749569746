/**
 * Test kit: real redis-server processes (standalone, Unix socket, TLS, ACL, replicas) on free loopback ports,
 * or a redis image in Docker, a JUnit 5 extension that injects them, and a fault-injecting TCP proxy.
 *
 * <p>JUnit is optional at run time ({@code static}): {@link io.respin.testkit.RedisServer} and
 * {@link io.respin.testkit.FaultProxy} work without it, e.g. in benchmarks. It is {@code transitive} because the
 * extension's public signatures use JUnit types. Testcontainers is optional too: only
 * {@link io.respin.testkit.RedisContainer}, the Docker backend, uses it.
 */
module io.respin.testkit {
    requires static transitive org.junit.jupiter.api;
    requires static testcontainers;
    requires static jdk.jfr; // SecretLeakCheck: exception messages through Flight Recorder

    exports io.respin.testkit;
}
