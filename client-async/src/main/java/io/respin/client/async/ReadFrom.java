package io.respin.client.async;

/**
 * Where a Redis Cluster client sends read-only commands (GET, HGETALL, ZRANGE... — those the server flags
 * {@code readonly}); writes always go to the slot's primary. A replica is asked with {@code READONLY} first, and
 * may lag its primary by the replication delay: read from replicas only what may be a little stale.
 *
 * <pre>{@code
 * RedisClient.builder("redis-cluster://10.0.0.1:7000").clusterReadFrom(ReadFrom.REPLICA_PREFERRED).build();
 * }</pre>
 */
public enum ReadFrom {
    /** Every command to the slot's primary (the default): reads see every write acknowledged before them. */
    PRIMARY,
    /** Reads to one of the slot's replicas, or to its primary while it has none that is up and connected. */
    REPLICA_PREFERRED,
    /** Reads spread over the slot's primary and replicas. */
    ANY
}
