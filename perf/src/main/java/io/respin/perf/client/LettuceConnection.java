package io.respin.perf.client;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import java.time.Duration;

/** One Lettuce client with one connection (byte[] keys and values), as its documentation recommends sharing it. */
final class LettuceConnection implements AutoCloseable {
    private final RedisClient client;
    final StatefulRedisConnection<byte[], byte[]> connection;

    LettuceConnection(String uri) {
        this.client = RedisClient.create(RedisURI.create(uri));
        this.connection = client.connect(ByteArrayCodec.INSTANCE);
    }

    @Override
    public void close() {
        connection.close();
        // no quiet period: the harness has finished with it, and a default 2 s shutdown would be dead time
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
}
