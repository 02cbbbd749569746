package io.respin.client;

import io.respin.client.sync.RedisTransaction;
import io.respin.engine.command.Commands;
import io.respin.io.RedisEndpoint;

/** Opens transactions for {@link RedisClient}; the constructor is package-private to the sync package. */
final class RedisTransactionFactory {
    private RedisTransactionFactory() {
    }

    static <K, V> RedisTransaction<K, V> open(RedisEndpoint endpoint, Commands<K, V> commands) {
        return RedisTransaction.open(endpoint.dedicated(), commands);
    }
}
