package io.respin.perf.client;

import io.respin.client.RedisClient;
import io.respin.client.sync.RedisCommands;
import io.respin.engine.command.Codec;
import java.time.Duration;

/**
 * respin's blocking API on its one auto-pipelined connection: concurrent callers share it. Three variants: called
 * from platform threads ({@code respin-sync}) or from virtual threads ({@code respin-sync-vt}), where blocking
 * costs no OS thread and thousands of callers pipeline on the one connection; and {@code respin-sync-listener},
 * {@code respin-sync} with a {@link CountingListener} set, to measure the event hook against it.
 *
 * <pre>{@code
 * try (var c = new RespinSyncClient("redis://127.0.0.1:6390", true)) { byte[] v = c.get(key); }
 * }</pre>
 */
public final class RespinSyncClient implements SyncBenchClient {
    private final RedisClient client;
    private final RedisCommands<byte[], byte[]> commands;
    private final boolean virtual;
    private final CountingListener listener;
    private volatile Duration ttl = Duration.ofSeconds(3600);

    public RespinSyncClient(String uri, boolean virtualThreads) {
        this(uri, virtualThreads, null);
    }

    private RespinSyncClient(String uri, boolean virtualThreads, CountingListener listener) {
        this.client = RespinConnection.open(uri, listener);
        this.commands = client.sync(Codec.bytes());
        this.virtual = virtualThreads;
        this.listener = listener;
    }

    /** {@code respin-sync-listener}: platform-thread callers, a {@link CountingListener} on the runtime. */
    public static RespinSyncClient listened(String uri) {
        return new RespinSyncClient(uri, false, new CountingListener());
    }

    @Override
    public String name() {
        return listener != null ? ClientCatalog.RESPIN_SYNC_LISTENER : virtual ? "respin-sync-vt" : "respin-sync";
    }

    /** The listener's count of completed commands (0 without one): the run can check that it heard them. */
    public long heard() {
        return listener == null ? 0 : listener.commands();
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
