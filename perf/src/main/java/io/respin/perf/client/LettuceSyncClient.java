package io.respin.perf.client;

import io.lettuce.core.api.sync.RedisCommands;

/**
 * Lettuce's sync API on one shared connection: concurrent callers are pipelined on it by Lettuce itself.
 *
 * <pre>{@code
 * try (var c = new LettuceSyncClient("redis://127.0.0.1:6390")) { byte[] v = c.get(key); }
 * }</pre>
 */
public final class LettuceSyncClient implements SyncBenchClient {
    private final LettuceConnection lettuce;
    private final RedisCommands<byte[], byte[]> commands;

    public LettuceSyncClient(String uri) {
        this.lettuce = new LettuceConnection(uri);
        this.commands = lettuce.connection.sync();
    }

    @Override
    public String name() {
        return "lettuce-sync";
    }

    @Override
    public byte[] get(byte[] key) {
        return commands.get(key);
    }

    @Override
    public void set(byte[] key, byte[] value) {
        commands.set(key, value);
    }

    @Override
    @SuppressWarnings("deprecation") // SETEX is what the seed workload sends; SET … EX would be a different command
    public void setex(byte[] key, long seconds, byte[] value) {
        commands.setex(key, seconds, value);
    }

    @Override
    public void close() {
        lettuce.close();
    }
}
