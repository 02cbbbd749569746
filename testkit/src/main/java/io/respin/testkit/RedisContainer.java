package io.respin.testkit;

import java.util.Objects;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * The optional Docker backend: a {@code redis} image run by Testcontainers, as a {@link RedisInstance} like
 * {@link RedisServer}. For users who have Docker and no {@code redis-server} binary, or who want a given server
 * version; the process backend stays the default. Testcontainers is an optional dependency of the kit: add
 * {@code org.testcontainers:testcontainers} to your test scope to use this class.
 *
 * <pre>{@code
 * Assumptions.assumeTrue(RedisContainer.dockerAvailable(), "Docker is not available");
 * try (RedisContainer redis = RedisContainer.start("redis:7.2")) {
 *     connect(redis.uri());                 // redis://localhost:<mapped port>
 *     redis.command("SET", "k", "v");
 * }
 * }</pre>
 */
public final class RedisContainer implements RedisInstance {

    /** The image {@link #start()} runs: the server version the process backend is tested with. */
    public static final String DEFAULT_IMAGE = "redis:7.0";

    private static final int REDIS_PORT = 6379;

    private final String image;
    private final GenericContainer<?> container;

    private RedisContainer(String image, GenericContainer<?> container) {
        this.image = image;
        this.container = container;
    }

    /**
     * True when Testcontainers is on the class path and finds a Docker environment. Never throws: without Docker
     * (or without Testcontainers) it is false, so a test can skip with {@code assumeTrue}.
     */
    public static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (LinkageError | RuntimeException unavailable) {
            return false;
        }
    }

    /** Starts {@link #DEFAULT_IMAGE} and returns once the server accepts connections. */
    public static RedisContainer start() {
        return start(DEFAULT_IMAGE);
    }

    /** Starts {@code image} (a {@code redis} image, e.g. {@code "redis:7.2"}) and returns once it is ready. */
    public static RedisContainer start(String image) {
        Objects.requireNonNull(image, "image");
        if (!dockerAvailable()) {
            throw new IllegalStateException("Docker is not available: Testcontainers found no Docker environment to "
                    + "run " + image + " in; use RedisServer (a redis-server process) instead");
        }
        GenericContainer<?> c = new GenericContainer<>(DockerImageName.parse(image))
                .withExposedPorts(REDIS_PORT)
                .waitingFor(Wait.forLogMessage(".*Ready to accept connections.*\\n", 1));
        c.start();
        return new RedisContainer(image, c);
    }

    /** The image this container runs. */
    public String image() {
        return image;
    }

    @Override
    public String host() {
        return container.getHost();
    }

    /** The host port Docker mapped to the container's 6379. */
    @Override
    public int port() {
        return container.getMappedPort(REDIS_PORT);
    }

    @Override
    public String uri() {
        return "redis://" + host() + ":" + port();
    }

    @Override
    public boolean isAlive() {
        return container.isRunning();
    }

    @Override
    public Object command(String... args) {
        return RespProbe.command(this, "redis container", null, args);
    }

    /** What the server printed so far. */
    public String log() {
        return container.getLogs();
    }

    /** Stops and removes the container. */
    @Override
    public void close() {
        container.stop();
    }

    @Override
    public String toString() {
        return "RedisContainer[" + image + (container.isRunning() ? " at " + uri() : ", stopped") + "]";
    }
}
