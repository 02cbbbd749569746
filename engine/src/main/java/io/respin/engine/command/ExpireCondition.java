package io.respin.engine.command;

/**
 * The condition of EXPIRE/PEXPIRE/EXPIREAT/PEXPIREAT (Redis 7): NX only when the key has no expiry, XX only when
 * it has one, GT/LT only when the new expiry is later/earlier.
 *
 * <pre>{@code
 * redis.expire("k", Duration.ofSeconds(60), ExpireCondition.NX);
 * }</pre>
 */
public enum ExpireCondition {
    NX, XX, GT, LT
}
