package io.respin.perf.client;

import io.respin.client.RedisClient;
import io.respin.client.sync.RedisCommands;
import io.respin.engine.command.Codec;
import java.time.Duration;

/**
 * respin's blocking API on its one auto-pipelined connection: concurrent callers share it. Two variants: called
 * from platform threads ({@code respin-sync}) or from virtual threads ({@code respin-sync-vt}), where blocking
 * costs no OS thread and thousands of callers pipeline on the one connection.
 *
 * <pre>{@code
 * try (var c = new RespinSyncClient("redis://127.0.0.1:6390", true)) { byte[] v = c.get(key); }
 * }</pre>
 */
public final class RespinSyncClient implements SyncBenchClient {
    private final RedisClient client;
    private final RedisCommands<byte[], byte[]> commands;
    private final boolean virtual;
    private volatile Duration ttl = Duration.ofSeconds(3600);

    public RespinSyncClient(String uri, boolean virtualThreads) {
        this.client = RespinConnection.open(uri);
        this.commands = client.sync(Codec.bytes());
        this.virtual = virtualThreads;
    }

    @Override
    public String name() {
        return virtual ? "respin-sync-vt" : "respin-sync";
    }

    @Override
    public boolean virtualCallers() {
        return virtual;
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
    public void setex(byte[] key, long seconds, byte[] value) {
        Duration d = RespinConnection.seconds(seconds, ttl);
        ttl = d;
        commands.setex(key, d, value);
    }

    @Override
    public void close() {
        client.close();
    }
}
