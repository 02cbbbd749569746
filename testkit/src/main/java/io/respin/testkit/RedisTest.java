package io.respin.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives a JUnit 5 test a running {@link RedisServer}: declare a parameter of that type (in a test, lifecycle
 * method or constructor) and it is injected. On a class, one server serves every test of the class and is
 * flushed ({@code FLUSHALL}) before each test, and restarted first if a test killed it. On a method, that method
 * gets a server of its own with the method's options. A {@link FaultProxy} parameter gets a fresh proxy in front
 * of the server, per test. A {@link RedisCluster} parameter gets a 3-primary cluster shared by the class and
 * flushed before each test (the options here apply to standalone servers only). Servers stop when their scope ends; when a test fails, the server's log is attached
 * to the failure (as a suppressed exception) and printed to stderr.
 *
 * <pre>{@code
 * @RedisTest(unixSocket = true, requirePass = "pw")
 * class MyIntegrationTest {
 *     @Test
 *     void pings(RedisServer server, FaultProxy proxy) {
 *         // connect to server.unixSocket(), or through proxy.port() to inject faults
 *     }
 * }
 * }</pre>
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(RedisExtension.class)
public @interface RedisTest {

    /** A TLS port with generated certificates ({@link RedisServer#sslContext()}). */
    boolean tls() default false;

    /** With {@link #tls()}: {@code tls-auth-clients yes} (the kit's SSLContext presents a client certificate). */
    boolean tlsClientAuth() default false;

    /** Also listen on a Unix domain socket ({@link RedisServer#unixSocket()}). */
    boolean unixSocket() default false;

    /** {@code requirepass} of the default user; empty means none. */
    String requirePass() default "";

    /** ACL users, each {@code "name password rules..."}, e.g. {@code "alice pw ~* +@all"}. */
    String[] aclUsers() default {};

    /** {@code enable-debug-command yes}. */
    boolean debugCommand() default false;

    /** Raw directives, each {@code "name value..."}, e.g. {@code "maxmemory 16mb"}. */
    String[] config() default {};

    /** FLUSHALL before each test when the server is shared by a class. */
    boolean flushBetweenTests() default true;
}
