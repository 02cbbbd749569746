package io.respin.testkit;

/**
 * A running Redis a test talks to, whichever backend started it: a {@code redis-server} process
 * ({@link RedisServer}, the default) or a Docker container ({@link RedisContainer}, for users who have Docker).
 * Tests written against this interface run on either.
 *
 * <pre>{@code
 * try (RedisInstance redis = RedisServer.builder().start()) {   // or RedisContainer.start()
 *     connect(redis.uri());
 *     redis.command("SET", "k", "v");                             // admin channel of the kit
 *     redis.flushAll();
 * }
 * }</pre>
 */
public interface RedisInstance extends AutoCloseable {

    /** The host clients connect to. */
    String host();

    /** The plain TCP port on {@link #host()}. */
    int port();

    /** {@code redis://host:port}. */
    String uri();

    /** True while the server runs. */
    boolean isAlive();

    /**
     * Runs one command over a fresh admin connection and returns its reply: {@link String}, {@link Long},
     * {@link java.util.List} or {@code null}.
     *
     * @throws IllegalStateException when the server answers with an error reply
     * @throws java.io.UncheckedIOException when the server cannot be reached
     */
    Object command(String... args);

    /** {@code INFO section} as text. */
    default String info(String section) {
        return (String) command("INFO", section);
    }

    /** Deletes every key in every database. */
    default void flushAll() {
        command("FLUSHALL");
    }

    /** Stops the server and frees what it held. */
    @Override
    void close();
}
