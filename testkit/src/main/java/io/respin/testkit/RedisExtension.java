package io.respin.testkit;

import java.lang.reflect.AnnotatedElement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * The JUnit 5 extension behind {@link RedisTest}; use {@code @ExtendWith(RedisExtension.class)} directly for a
 * server with default options. Servers and proxies live in JUnit's extension store, which closes them when
 * their class or method is done (and the server's shutdown hook covers a JVM that dies first).
 *
 * <pre>{@code
 * @ExtendWith(RedisExtension.class)
 * class PlainTest {
 *     @Test void works(RedisServer server) { server.command("PING"); }
 * }
 * }</pre>
 */
public final class RedisExtension implements ParameterResolver, BeforeEachCallback, TestExecutionExceptionHandler,
        LifecycleMethodExecutionExceptionHandler {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(RedisExtension.class);
    /** Key of a class's shared server. */
    private static final String SERVER = "server";
    /**
     * Key of a method's own server. A different key because store lookups fall back to the parent: under the
     * same key, a method would find its class's server instead of making its own.
     */
    private static final String METHOD_SERVER = "method-server";
    private static final String PROXY = "proxy";
    private static final String CLUSTER = "cluster";

    public RedisExtension() {
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == RedisServer.class || type == FaultProxy.class || type == RedisCluster.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        if (type == RedisCluster.class) {
            // like a class's server: one per class, shared by its tests, emptied before each
            return serverOwner(context).getStore(NAMESPACE)
                    .computeIfAbsent(CLUSTER, k -> RedisCluster.builder().start(), RedisCluster.class);
        }
        RedisServer server = server(context);
        if (type == RedisServer.class) {
            return server;
        }
        if (context.getTestMethod().isEmpty()) {
            throw new ParameterResolutionException("a FaultProxy is per test: ask for it in a test, @BeforeEach or "
                    + "@AfterEach method, not in " + parameter.getDeclaringExecutable());
        }
        return context.getStore(NAMESPACE).computeIfAbsent(PROXY, k -> FaultProxy.start(server), FaultProxy.class);
    }

    /** Before each test of a class-scoped server: bring it back if a test killed it, then empty it. */
    @Override
    public void beforeEach(ExtensionContext context) {
        if (methodAnnotation(context).isPresent()) {
            return;
        }
        ExtensionContext owner = serverOwner(context);
        RedisCluster cluster = owner.getStore(NAMESPACE).get(CLUSTER, RedisCluster.class);
        if (cluster != null && annotation(owner).map(RedisTest::flushBetweenTests).orElse(true)) {
            cluster.flushAll();
        }
        RedisServer server = owner.getStore(NAMESPACE).get(SERVER, RedisServer.class);
        if (server == null) {
            return; // not created yet: it will be fresh
        }
        if (!server.isAlive()) {
            server.restart();
        }
        if (annotation(owner).map(RedisTest::flushBetweenTests).orElse(true)) {
            server.flushAll();
        }
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        throw attachLogs(context, failure);
    }

    @Override
    public void handleBeforeAllMethodExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        throw attachLogs(context, failure);
    }

    @Override
    public void handleBeforeEachMethodExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        throw attachLogs(context, failure);
    }

    @Override
    public void handleAfterEachMethodExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        throw attachLogs(context, failure);
    }

    @Override
    public void handleAfterAllMethodExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        throw attachLogs(context, failure);
    }

    /** The logs of every server this context can see, as suppressed exceptions of the failure and on stderr. */
    private static Throwable attachLogs(ExtensionContext context, Throwable failure) {
        for (RedisServer server : visibleServers(context)) {
            ServerLog log = new ServerLog(server);
            failure.addSuppressed(log);
            System.err.println(context.getDisplayName() + " failed; " + log.getMessage());
        }
        return failure;
    }

    private static List<RedisServer> visibleServers(ExtensionContext context) {
        List<RedisServer> servers = new ArrayList<>();
        for (Optional<ExtensionContext> c = Optional.of(context); c.isPresent(); c = c.get().getParent()) {
            RedisCluster cluster = c.get().getStore(NAMESPACE).get(CLUSTER, RedisCluster.class);
            if (cluster != null) {
                cluster.nodes().stream().filter(n -> !servers.contains(n)).forEach(servers::add);
            }
            for (String key : List.of(METHOD_SERVER, SERVER)) {
                RedisServer s = c.get().getStore(NAMESPACE).get(key, RedisServer.class);
                if (s != null && !servers.contains(s)) {
                    servers.add(s);
                }
            }
        }
        return servers;
    }

    /** The server for this context: the method's own when the method is annotated, else its class's. */
    private static RedisServer server(ExtensionContext context) {
        Optional<RedisTest> onMethod = methodAnnotation(context);
        if (onMethod.isPresent()) {
            return context.getStore(NAMESPACE)
                    .computeIfAbsent(METHOD_SERVER, k -> builder(onMethod).start(), RedisServer.class);
        }
        ExtensionContext owner = serverOwner(context);
        return owner.getStore(NAMESPACE)
                .computeIfAbsent(SERVER, k -> builder(annotation(owner)).start(), RedisServer.class);
    }

    private static Optional<RedisTest> methodAnnotation(ExtensionContext context) {
        return context.getTestMethod().map(m -> m.getAnnotation(RedisTest.class));
    }

    /**
     * The class context that owns a shared server: the innermost class carrying {@link RedisTest}, so that
     * {@code @Nested} classes share their outer class's server; the outermost class when none carries it.
     */
    private static ExtensionContext serverOwner(ExtensionContext context) {
        ExtensionContext c = context;
        while (c.getTestMethod().isPresent() && c.getParent().isPresent()) {
            c = c.getParent().get();
        }
        ExtensionContext outermost = c;
        for (ExtensionContext k = c; k.getTestClass().isPresent(); k = k.getParent().orElse(null)) {
            if (k.getTestClass().get().isAnnotationPresent(RedisTest.class)) {
                return k;
            }
            outermost = k;
            if (k.getParent().isEmpty()) {
                break;
            }
        }
        return outermost;
    }

    private static Optional<RedisTest> annotation(ExtensionContext classContext) {
        return classContext.getElement().map(e -> findAnnotation(e));
    }

    private static RedisTest findAnnotation(AnnotatedElement e) {
        return e.getAnnotation(RedisTest.class);
    }

    static RedisServer.Builder builder(Optional<RedisTest> options) {
        RedisServer.Builder b = RedisServer.builder();
        if (options.isEmpty()) {
            return b;
        }
        RedisTest o = options.get();
        if (o.tls()) {
            b.tls(o.tlsClientAuth());
        }
        if (o.unixSocket()) {
            b.unixSocket();
        }
        if (!o.requirePass().isEmpty()) {
            b.requirePass(o.requirePass());
        }
        for (String user : o.aclUsers()) {
            String[] parts = user.trim().split("\\s+", 3);
            if (parts.length < 3) {
                throw new IllegalArgumentException("@RedisTest aclUsers entry '" + user
                        + "' must be \"name password rules...\", e.g. \"alice pw ~* +@all\"");
            }
            b.aclUser(parts[0], parts[1], parts[2]);
        }
        if (o.debugCommand()) {
            b.enableDebugCommand();
        }
        for (String directive : o.config()) {
            String[] parts = directive.trim().split("\\s+");
            b.config(parts[0], Arrays.copyOfRange(parts, 1, parts.length));
        }
        return b;
    }

    /** Carries a server's log into a test failure report; it has no stack trace of its own. */
    static final class ServerLog extends Exception {
        private static final long serialVersionUID = 1L;

        ServerLog(RedisServer server) {
            super("log of " + server + (server.isAlive() ? "" : " (not running)") + ":\n" + ServerProcess.tail(server.log()),
                    null, false, false);
        }
    }
}
